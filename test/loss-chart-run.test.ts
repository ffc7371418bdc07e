// A run's loss.svg and loss.vl.json name the run (NAME/RUN-ID for a sweep run) and, when early stopping put the
// best epoch's weights back, mark that epoch (run.json's stopping.best_epoch). Which runs draw them (log.charts):
// a run alone unless told not to, a sweep's run only when told to, on every path.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';
import { workersOnlyForTests } from '../src/runner/pool.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tempDir = tempDirs('mlplab-losschart');

describe('loss.svg of a run that stopped early', () => {
  it('is titled with the run and marks the best epoch whose weights were kept', async () => {
    const out = tempDir();
    // a sweep's run (diabetes sweeps its seeds) draws its chart when log.charts says so
    const r = await cli('run', join(ROOT, 'experiments', 'diabetes.yaml'), '--seed', '3', '--set', 'training.epochs=300', '--set', 'log.charts=true', '--out', out, '-q');
    expect(r.code, r.stderr).toBe(0);
    const dir = join(out, 'diabetes', 'epochs=300,charts=true', 'seed=3'); // the --set's folder, then the seed's
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { stopping: { reason: string; best_epoch: number; restored_best: boolean } };
    expect(run.stopping).toMatchObject({ reason: 'early_stopping', restored_best: true });
    const svg = readFileSync(join(dir, 'loss.svg'), 'utf8');
    expect(svg).toContain('<title>diabetes/epochs=300,charts=true/seed=3: mse loss by epoch</title>');
    expect(svg).toContain(`>best epoch ${run.stopping.best_epoch} (weights kept)</text>`);
    expect(svg).toContain('class="best"');
    expect(readFileSync(join(dir, 'loss.vl.json'), 'utf8')).toContain(`"label": "best epoch ${run.stopping.best_epoch} (weights kept)"`);
  });
});

describe('log.charts: which runs draw their loss chart', () => {
  const CHARTS = ['loss.svg', 'loss.vl.json'];
  const xor = (extra: string) => {
    const file = join(tempDir(), 'tiny.yaml');
    writeFileSync(file, `name: tiny
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }
model: { layers: [{ units: 2, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 5, batch_size: 4 }
${extra}`);
    return file;
  };
  const charted = (dir: string) => readdirSync(dir).filter((f) => CHARTS.includes(f)).sort();

  it('a run alone draws it by default and not with log.charts: false', async () => {
    for (const [extra, want] of [['', CHARTS], ['log: { charts: false }\n', []]] as const) {
      const out = tempDir();
      expect((await cli('run', xor(extra), '--out', out, '-q')).code).toBe(0);
      expect(charted(join(out, 'tiny')), extra).toEqual(want);
    }
  });

  it("a sweep's runs do not by default, with log.charts: true they do, serially and with --jobs 2 (every run on the worker) alike", async () => {
    for (const [extra, want] of [['', []], ['log: { charts: true }\n', CHARTS]] as const) {
      for (const jobs of ['1', '2']) {
        const out = tempDir();
        Object.assign(workersOnlyForTests, { on: jobs === '2', answered: 0 });
        try {
          expect((await cli('run', xor(`${extra}sweep: { seed: [1, 2] }\n`), '--out', out, '--jobs', jobs, '-q')).code).toBe(0);
          expect(workersOnlyForTests.answered, 'runs the worker answered').toBe(jobs === '2' ? 2 : 0);
        } finally {
          Object.assign(workersOnlyForTests, { on: false, answered: 0 });
        }
        for (const run of ['seed=1', 'seed=2']) expect(charted(join(out, 'tiny', run)), `${extra} --jobs ${jobs} ${run}`).toEqual(want);
      }
    }
  });
});
