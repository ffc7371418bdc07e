// Divergence detection in the training loop: a non-finite loss, gradient or weight stops training before the
// bad update is applied, and says which value went first; the loss log written while training streams out in
// exactly the bytes of the whole-log writer, keeping only the last row in memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { lossLogCsv } from '../../src/files/losslog.js';
import { fromRows } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { createNetwork, createWorkspace, type LayerSpec } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { runExperiment, trainExperiment } from '../../src/runner/run.js';
import { gradientsFinite } from '../../src/training/divergence.js';
import { trainToEnd, type TrainLoopOptions } from '../../src/training/train.js';
import { cli } from '../helpers/cli.js';
import { removeTemps, tempDir, XOR } from './spawn.js';

afterAll(removeTemps);

const X = fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const Y = fromRows([[0], [1], [1], [0]]);

function setup(layers: LayerSpec[], lr: number) {
  const net = createNetwork(2, layers);
  initialize(net, { scheme: 'xavier_uniform' }, Rng.stream(1, 'init'));
  const opts: TrainLoopOptions = { epochs: 100, batchSize: 4, shuffle: false, loss: 'mse', reduction: 'mean', optimizer: { type: 'sgd', learning_rate: lr }, rng: Rng.stream(1, 'shuffle') };
  return { net, opts };
}

describe('trainToEnd stops at the first non-finite value', () => {
  it('a learning rate of 1e300: stopped before the bad update, the weights still finite', () => {
    const { net, opts } = setup([{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }], 1e300);
    const outcome = trainToEnd(net, X, Y, opts);
    expect(outcome.divergence).toBeDefined();
    expect(['loss', 'gradient']).toContain(outcome.divergence!.value);
    expect(outcome.steps).toBeLessThan(10);
    for (const l of net.layers) for (const v of [...l.w, ...l.b]) expect(Number.isFinite(v)).toBe(true);
  });

  it('a NaN weight is found as the weight, before any update', () => {
    const { net, opts } = setup([{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }], 0.1);
    net.layers[1].w[0] = NaN;
    expect(trainToEnd(net, X, Y, opts).divergence).toEqual({ epoch: 1, step: 0, value: 'weight', where: 'layer 2 weights' });
  });

  it('a NaN weight hidden by relu (its gradients stay finite) is found at the end of the epoch', () => {
    const { net, opts } = setup([{ units: 3, activation: 'relu' }, { units: 1, activation: 'linear' }], 0.1);
    net.layers[0].b[0] = NaN;
    const outcome = trainToEnd(net, X, Y, opts);
    expect(outcome.divergence).toMatchObject({ value: 'weight', where: 'layer 1 biases' });
    expect(outcome.divergence!.epoch).toBe(1);
    expect(outcome.steps).toBe(1); // the epoch's one update was applied: only the end-of-epoch check saw it
  });

  it('a finite run is not stopped, and gradients whose sum overflows are still finite', () => {
    const { net, opts } = setup([{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }], 0.1);
    expect(trainToEnd(net, X, Y, opts)).toEqual({ steps: 100, epochs: 100, stopped: false });
    const ws = createWorkspace(net, 1);
    ws.dw[0].fill(1e308);
    expect(gradientsFinite(ws)).toBe(true);
    ws.dw[0][1] = Infinity;
    expect(gradientsFinite(ws)).toBe(false);
  });
});

describe('the streamed loss log', () => {
  it('is byte-identical to the whole log, and only the last row is kept in memory', async () => {
    const exp = loadExperiment(XOR, { set: ['log.every=1'] });
    const whole = trainExperiment(exp);
    const run = await runExperiment(exp, { outDir: join(tempDir(), 'xor') });
    expect(readFileSync(join(run.outDir, 'loss.csv'), 'utf8')).toBe(lossLogCsv(whole.columns, whole.rows));
    expect(whole.rows.length).toBe(2001);
    expect(run.rows).toEqual([whole.rows[2000]]);
  });
});

describe('a loss that is not finite before the first update', () => {
  it('is a divergence at epoch 0 (exit 4, NAME.diverged/, a sentence on the targets\' scale), not an internal error', async () => {
    const dir = tempDir();
    const file = join(dir, 'huge.yaml');
    writeFileSync(
      file,
      'data:\n  inline:\n    inputs: [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]\n    targets: [[1e200], [2e200], [3e200], [1e200], [5e200]]\n' +
        'model:\n  layers: [{ units: 3, activation: tanh }, { units: 1, activation: linear }]\nloss: mse\ntraining: { epochs: 5, batch_size: 2 }\n',
    );
    const r = await cli('run', file, '--out', dir);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/huge diverged in epoch 0 after 0 weight update\(s\): the train_loss became NaN or infinite; the loss was not finite before any update, so the targets \(up to 5\.00e\+200\) are likely too large/);
    expect(r.stderr).toMatch(/Kept run\.json \(no finite loss to log\)/);
    expect(r.stderr).not.toMatch(/ at /); // no stack trace
    const run = JSON.parse(readFileSync(join(dir, 'huge.diverged', 'run.json'), 'utf8'));
    expect([run.status, run.epochs_done, run.steps, run.divergence.epoch]).toEqual(['diverged', 0, 0, 0]);
    expect(readFileSync(join(dir, 'huge.diverged', 'loss.csv'), 'utf8')).toBe('epoch,step,train_loss,train_r2,train_rmse,train_mae\n');
  });
});
