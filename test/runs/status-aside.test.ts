// A run that diverges or is interrupted is written to NAME.diverged/ or NAME.interrupted/ beside NAME/, under NAME's
// lock and by the same two renames (files/outputs.ts). A writer killed between them (the previous NAME.interrupted/
// moved aside to .NAME.interrupted.old-PID-TIME, the new one still in its staging folder) left that folder missing
// and the one moved aside for good: the next run of NAME repaired NAME/ only. It repairs NAME.diverged/ and
// NAME.interrupted/ as it does NAME/: a missing one is put back from the folder moved aside, the rest removed.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, runExperiment } from '../../src/index.js';
import { tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-status-aside');

function experiment(dir: string): string {
  const file = join(dir, 'sa.yaml');
  writeFileSync(
    file,
    'name: sa\nseed: 3\ndata:\n  generate: { kind: spirals, samples: 100, classes: 3, noise: 0.1 }\n' +
      'model:\n  layers:\n    - { units: 8, activation: tanh }\n    - { units: 3, activation: softmax }\n' +
      'loss: cross_entropy\ntraining:\n  epochs: 6\n  batch_size: 16\n  optimizer: { type: adam, learning_rate: 0.01 }\n',
  );
  return file;
}

describe("a writer killed between the renames of a run's NAME.interrupted/ or NAME.diverged/", () => {
  for (const status of ['interrupted', 'diverged']) {
    it(`NAME.${status}/ moved aside and not replaced: the next run puts it back and leaves nothing stray`, async () => {
      const dir = tempDir();
      const file = experiment(dir);
      const out = join(dir, 'sa');
      const earlier = join(dir, `sa.${status}`);
      mkdirSync(earlier);
      writeFileSync(join(earlier, 'run.json'), `{"status":"${status}"}\n`);
      const killed = join(dir, '.sa.partial-99999999-1001');
      cpSync(earlier, killed, { recursive: true }); // the new set, never renamed in
      renameSync(earlier, join(dir, `.sa.${status}.old-99999999-1000`));
      const r = await runExperiment(loadExperiment(file), { outDir: out });
      expect(r.run.status).toBe('completed');
      expect(readdirSync(dir).sort()).toEqual(['sa', `sa.${status}`, 'sa.yaml']);
      expect(readFileSync(join(earlier, 'run.json'), 'utf8')).toBe(`{"status":"${status}"}\n`);
    });
  }

  it('NAME.interrupted/ in place and an older one moved aside: the one aside is removed', async () => {
    const dir = tempDir();
    const file = experiment(dir);
    mkdirSync(join(dir, 'sa.interrupted'));
    mkdirSync(join(dir, '.sa.interrupted.old-99999999-1000'));
    await runExperiment(loadExperiment(file), { outDir: join(dir, 'sa') });
    expect(readdirSync(dir).sort()).toEqual(['sa', 'sa.interrupted', 'sa.yaml']);
    expect(existsSync(join(dir, 'sa', 'model.json'))).toBe(true);
  });
});
