// `mlplab check` with runs that do not complete and with --update: a diverged seed fails its group (named by
// seed and status) and is never averaged into the `expect:` mean, unless the group says its runs diverge
// (`status: diverged`); --update writes no golden file when an `expect:` bound fails (nor overwrites one), and
// says so; failed bounds are counted as expectations, not drifts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';
import { loadPlan } from '../src/config/plan.js';
import { trainExperiment } from '../src/runner/run.js';

const tempDir = tempDirs('mlplab-check-incomplete');

/**
 * XOR as regression, linear output, SGD at 50 with momentum, 63 epochs: the loss grows about tenfold an epoch,
 * and seeds 1 and 2 overflow in epoch 63 while seed 3 completes (train_loss 2.49e306).
 */
function blowingUp(extra: string, epochs = 63): string {
  const file = join(tempDir(), 'edge.yaml');
  writeFileSync(
    file,
    `name: edge
seed: 3
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } }
model: { layers: [{ units: 2, activation: tanh }, { units: 1, activation: linear }] }
loss: mse
training: { epochs: ${epochs}, batch_size: 4, optimizer: { type: sgd, learning_rate: 50, momentum: 0.9 } }
log: { every: 5 }
sweep:
  seed: [1, 2, 3]
${extra}`,
  );
  return file;
}

describe('check: runs that did not complete', () => {
  it('a diverged seed fails its group, named with its seed and status, and is left out of the mean', async () => {
    const file = blowingUp('expect:\n  train_loss: { max: 1 }\n');
    const runs = loadPlan(file).runs.map((r) => trainExperiment(r.exp));
    expect(runs.map((r) => r.run.status)).toEqual(['diverged', 'diverged', 'completed']); // the corpus is what the test says
    const r = await cli('check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        "edge: seed 1 diverged: a run that did not complete fails its group's expect: and is left out of the mean",
        "edge: seed 2 diverged: a run that did not complete fails its group's expect: and is left out of the mean",
        // the completed seed's value alone: the diverged seeds' last finite losses (8e294, 7e294) are not in it
        `edge: expect train_loss <= 1, got ${runs[2].final.train_loss} (one run (2 of 3 did not complete))`,
        'edge: 1 expectation failed, 2 runs did not complete (3 runs; no golden file)',
        '',
      ].join('\n'),
    );
  });

  it('a group whose bounds hold still fails when one of its runs diverged', async () => {
    const r = await cli('check', blowingUp('expect:\n  train_loss: { max: 1e307 }\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^edge: seed 1 diverged: [^\n]*\nedge: seed 2 diverged: [^\n]*\nedge: 2 runs did not complete \(3 runs; no golden file\)\n$/);
  });

  it('a group without bounds is not checked: its runs may diverge (a golden-only file)', async () => {
    const file = blowingUp('golden: edge.csv\n');
    expect((await cli('check', file, '--update')).code).toBe(0);
    const r = await cli('check', file);
    expect(r.stdout).toMatch(/^edge: ok \(3 runs; golden .*edge\.csv\)\n$/);
    expect(r.code).toBe(0);
  });
});

describe('check: expect: status', () => {
  const grid = 'sweep:\n  training.epochs: [62, 64]\n  seed: [1, 2]\n';
  it('status: diverged holds for a group whose runs all diverge; the other group keeps its bounds', async () => {
    const file = blowingUp(`expect:\n  training.epochs=64:\n    status: diverged\n  train_loss: { max: 1e307 }\n`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/sweep:\n  seed: \[1, 2, 3\]\n/, grid));
    const r = await cli('check', file);
    expect(r.stdout).toBe('edge: ok (4 runs; no golden file)\n');
    expect(r.code).toBe(0);
  });

  it('a run that completes where status: diverged is expected fails the expectation, named', async () => {
    const file = blowingUp(`expect:\n  status: diverged\n`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/sweep:\n  seed: \[1, 2, 3\]\n/, grid));
    const r = await cli('check', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'edge: seed 1 (training.epochs=62) completed, expected diverged (expect: status: diverged)',
        'edge: seed 2 (training.epochs=62) completed, expected diverged (expect: status: diverged)',
        'edge: 2 expectations failed (4 runs; no golden file)',
        '',
      ].join('\n'),
    );
  });

  it('bounds beside status: diverged are refused, located', async () => {
    const r = await cli('validate', blowingUp('expect:\n  seed=1:\n    status: diverged\n    train_loss: { max: 1 }\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/edge\.yaml:\d+:5: expect\.seed=1\.train_loss: bounds need completed runs: runs expected to diverge \(status: diverged\) have no final metrics to bound\n/);
    const bad = await cli('validate', blowingUp('expect:\n  status: failed\n'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/edge\.yaml:\d+:\d+: expect\.status: .*completed.*diverged/);
  });
});

describe('check --update', () => {
  it('writes no golden when an expect: bound fails, and overwrites none', async () => {
    const file = blowingUp('expect:\n  train_loss: { max: 1 }\ngolden: edge.csv\n');
    const golden = join(file, '..', 'edge.csv');
    const r = await cli('check', file, '--update');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\nedge: 1 expectation failed, 2 runs did not complete \(3 runs; did not write .*edge\.csv\)\n$/);
    expect(existsSync(golden)).toBe(false);
    writeFileSync(golden, 'epoch,step,train_loss\n0,0,1\n');
    const again = await cli('check', file, '--update');
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^edge: loss log header: expected epoch,step,train_loss, got [\s\S]*\nedge: 1 drift\(s\), 1 expectation failed, 2 runs did not complete \(3 runs; did not write .*edge\.csv\)\n$/);
    expect(readFileSync(golden, 'utf8')).toBe('epoch,step,train_loss\n0,0,1\n');
  });

  it('writes no golden when a run of a bounded group diverged, though the bounds hold', async () => {
    const file = blowingUp('expect:\n  train_loss: { max: 1e307 }\ngolden: edge.csv\n');
    const r = await cli('check', file, '--update');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\nedge: 2 runs did not complete \(3 runs; did not write .*edge\.csv\)\n$/);
    expect(existsSync(join(file, '..', 'edge.csv'))).toBe(false);
  });

  it('writes the golden when every bound holds and every run completed (62 epochs)', async () => {
    const file = blowingUp('expect:\n  train_loss: { max: 1e307 }\ngolden: edge.csv\n', 62);
    const r = await cli('check', file, '--update');
    expect(r.stdout).toMatch(/^edge: ok \(3 runs; wrote .*edge\.csv\)\n$/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(file, '..', 'edge.csv'), 'utf8').split('\n')[0]).toMatch(/^epoch,step,train_loss/);
    expect((await cli('check', file)).code).toBe(0);
  });
});
