// What a resumed run removes when it completes (runner/checkpoints.ts retire()): the NAME.interrupted/ it
// continued, and nothing else. Through the library API a checkpoint may sit in a folder of the user's own
// (runExperiment(exp, { resume: 'mine/checkpoint.json' })): that folder and every file in it stay.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, runExperiment } from '../../src/index.js';
import { tempDirs } from '../helpers/cli.js';
import { checkpointedSpirals } from '../helpers/experiments.js';

const tempDir = tempDirs('mlplab-retire');

/** A small experiment with a checkpoint every epoch. */
const experiment = (dir: string): string => checkpointedSpirals(dir, 'rt');

/** Runs into outDir, interrupted at the first pause after epoch 3: its NAME.interrupted/ holds a checkpoint. */
async function interruptedRun(file: string, outDir: string): Promise<string> {
  let epoch = 0;
  const r = await runExperiment(loadExperiment(file), { outDir, onEpoch: (e) => void (epoch = e), interrupt: () => (epoch >= 3 ? 'SIGINT' : undefined) });
  expect(r.run.status).toBe('interrupted');
  expect(r.checkpointEpoch).toBeGreaterThan(0);
  return `${outDir}.interrupted`;
}

describe('a resumed run completes', () => {
  it("from a checkpoint in the user's own folder: the folder and the files in it stay", async () => {
    const dir = tempDir();
    const file = experiment(dir);
    const interrupted = await interruptedRun(file, join(dir, 'first'));
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    for (const f of ['checkpoint.json', 'loss.csv']) copyFileSync(join(interrupted, f), join(mine, f));
    writeFileSync(join(mine, 'notes.txt'), 'my notes\n');
    const before = readFileSync(join(mine, 'checkpoint.json'));
    const r = await runExperiment(loadExperiment(file), { outDir: join(dir, 'second'), resume: join(mine, 'checkpoint.json') });
    expect(r.run.status).toBe('completed');
    expect(readdirSync(mine).sort()).toEqual(['checkpoint.json', 'loss.csv', 'notes.txt']);
    expect(readFileSync(join(mine, 'checkpoint.json')).equals(before)).toBe(true);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(existsSync(interrupted)).toBe(true); // another run's folder: not this run's to retire either
  });

  it("from another run's NAME.interrupted/: that folder stays", async () => {
    const dir = tempDir();
    const file = experiment(dir);
    const interrupted = await interruptedRun(file, join(dir, 'first'));
    const r = await runExperiment(loadExperiment(file), { outDir: join(dir, 'second'), resume: join(interrupted, 'checkpoint.json') });
    expect(r.run.status).toBe('completed');
    expect(readdirSync(interrupted)).toContain('checkpoint.json');
  });

  it('from its own NAME.interrupted/: that folder is retired, as before', async () => {
    const dir = tempDir();
    const file = experiment(dir);
    const out = join(dir, 'run');
    const interrupted = await interruptedRun(file, out);
    const r = await runExperiment(loadExperiment(file), { outDir: out, resume: join(interrupted, 'checkpoint.json') });
    expect(r.run.status).toBe('completed');
    expect(existsSync(interrupted)).toBe(false);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });

  it("from a killed writer's staging folder: that folder stays until the resumed run completes (a run that fails keeps it for the next --resume)", async () => {
    const dir = tempDir();
    const file = experiment(dir);
    const out = join(dir, 'run');
    const whole = await runExperiment(loadExperiment(file), { outDir: join(dir, 'whole') });
    // What a writer killed after a checkpoint leaves beside its folder: its staging folder, its process gone.
    const killed = join(dir, '.run.partial-99999999-1000');
    renameSync(await interruptedRun(file, out), killed);
    const checkpoint = readFileSync(join(killed, 'checkpoint.json'));
    process.env.MLPLAB_TEST_FAIL = 'append:ENOSPC'; // the resumed run's first write: a full disk
    try {
      await expect(runExperiment(loadExperiment(file), { outDir: out, resume: join(killed, 'checkpoint.json') })).rejects.toThrow(/ENOSPC/);
    } finally {
      delete process.env.MLPLAB_TEST_FAIL;
    }
    expect(readFileSync(join(killed, 'checkpoint.json')).equals(checkpoint)).toBe(true);
    const r = await runExperiment(loadExperiment(file), { outDir: out, resume: join(killed, 'checkpoint.json') });
    expect(r.run.status).toBe('completed');
    expect(readFileSync(join(out, 'model.json')).equals(readFileSync(join(whole.outDir, 'model.json')))).toBe(true);
    expect(existsSync(killed)).toBe(false); // retired once the resumed run completed
    expect(readdirSync(dir).sort()).toEqual(['rt.yaml', 'run', 'whole']);
  });
});
