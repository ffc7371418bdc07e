// A resume never waits on a FIFO (runner/checkpoints.ts): a checkpoint.json or the loss.csv beside it that is a
// FIFO is refused at once with a sentence naming it, exit 1. Each case runs in a child process with a timeout and
// SIGKILL (the bin, or the built library for a checkpoint named to runExperiment), so a regression fails instead
// of hanging the tests. A checkpoint.json in NAME.interrupted/ that is a FIFO is refused (it was passed over: the run
// started again), and one that is a link to a checkpoint is followed, as the guide says of every file a resume reads.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment, runExperiment } from '../../src/index.js';
import { BIN, removeTemps, ROOT, tempDir } from './spawn.js';

afterAll(removeTemps);

/** An experiment with a checkpoint every epoch (enough work a batch to pause at), run into dir/out/rf and interrupted after epoch 2. */
async function interrupted(dir: string): Promise<{ file: string; out: string }> {
  const file = join(dir, 'rf.yaml');
  writeFileSync(
    file,
    'name: rf\nseed: 3\ndata:\n  generate: { kind: spirals, samples: 200, classes: 3, noise: 0.1 }\nmodel:\n  layers:\n    - { units: 32, activation: tanh }\n    - { units: 3, activation: softmax }\n' +
      'loss: cross_entropy\ntraining:\n  epochs: 8\n  batch_size: 16\n  checkpoint: { every: 1 }\n',
  );
  const out = join(dir, 'out', 'rf');
  let epoch = 0;
  const r = await runExperiment(loadExperiment(file), { outDir: out, onEpoch: (e) => void (epoch = e), interrupt: () => (epoch >= 2 ? 'SIGINT' : undefined) });
  expect(r.run.status).toBe('interrupted');
  return { file, out };
}

const fifo = (path: string) => (rmSync(path, { force: true }), expect(spawnSync('mkfifo', [path]).status).toBe(0));
const child = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });

describe('a FIFO where a resume reads', () => {
  it('run --resume: the loss.csv beside the checkpoint a FIFO; exit 1, a sentence', async () => {
    const { file, out } = await interrupted(tempDir());
    const log = join(`${out}.interrupted`, 'loss.csv');
    fifo(log);
    const r = child([BIN, 'run', file, '--out', join(out, '..'), '--resume', '--quiet']);
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(`${log}: expected a loss log (a regular file), but found a named pipe (FIFO)\n`);
    expect(r.status).toBe(1);
  });

  it("the library's resume: a checkpoint that is a FIFO; a UserError naming it", async () => {
    const dir = tempDir();
    const { file, out } = await interrupted(dir);
    const checkpoint = join(dir, 'cp.json');
    fifo(checkpoint);
    const script = `import { loadExperiment, runExperiment } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
      try { await runExperiment(loadExperiment(${JSON.stringify(file)}), { outDir: ${JSON.stringify(`${out}-2`)}, resume: ${JSON.stringify(checkpoint)} }); }
      catch (e) { console.error(e.name + ': ' + e.format()); process.exit(1); }`;
    const r = child(['--input-type=module', '-e', script]);
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(`UserError: ${checkpoint}: expected a checkpoint (a regular file), but found a named pipe (FIFO)\n`);
    expect(r.status).toBe(1);
  });

  it('run --resume: NAME.interrupted/checkpoint.json a FIFO: exit 1, a sentence (it was passed over, and the run started again from epoch 0)', async () => {
    const { file, out } = await interrupted(tempDir());
    const checkpoint = join(`${out}.interrupted`, 'checkpoint.json');
    fifo(checkpoint);
    const r = child([BIN, 'run', file, '--out', join(out, '..'), '--resume', '--quiet']);
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(`${checkpoint}: expected a checkpoint (a regular file), but found a named pipe (FIFO)\n`);
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('run --resume: NAME.interrupted/checkpoint.json a symbolic link to a checkpoint: followed, the run continues from it', async () => {
    const dir = tempDir();
    const { file, out } = await interrupted(dir);
    const checkpoint = join(`${out}.interrupted`, 'checkpoint.json');
    renameSync(checkpoint, join(dir, 'kept.json'));
    symlinkSync(join(dir, 'kept.json'), checkpoint);
    const r = child([BIN, 'run', file, '--out', join(out, '..'), '--resume']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('resuming 1 interrupted run(s) from their checkpoints');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'kept.json'))).toBe(true); // the link's target is not the run's to remove
  });
});
