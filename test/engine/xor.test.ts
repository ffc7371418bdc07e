// End to end: XOR learned from fixed seeds, bitwise reproducibility, the number of weight updates for each batch
// size, and the batching itself (consecutive rows, a smaller last batch averaged over its own size, reshuffling
// every epoch) against a plain-number transcription of mini-batch gradient descent on a linear model.

import { describe, expect, it } from 'vitest';
import { argmaxRow, fromRows, type Matrix } from '../../src/matrix.js';
import { Evaluator } from '../../src/model/evaluator.js';
import { initialize } from '../../src/model/init.js';
import type { LossName, Reduction } from '../../src/model/losses.js';
import { createNetwork, type LayerSpec, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { train, type TrainLoopOptions } from '../../src/training/train.js';

const X = fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const Y_ONE_HOT = fromRows([[1, 0], [0, 1], [0, 1], [1, 0]]);
const Y_BINARY = fromRows([[0], [1], [1], [0]]);

interface Setup {
  layers: LayerSpec[];
  y: Matrix;
  loss: LossName;
}

const SOFTMAX_CE: Setup = {
  layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }],
  y: Y_ONE_HOT,
  loss: 'cross_entropy',
};
const SIGMOID_MSE: Setup = {
  layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
  y: Y_BINARY,
  loss: 'mse',
};

/** Hyper-parameters found to solve XOR from seed 1 for both setups (xavier_uniform init). */
const SEED = 1;
const EPOCHS = 2000;
const OPTIMIZER = { type: 'sgd', learning_rate: 0.5, momentum: 0.9 } as const;

function newNet(setup: Setup, seed: number): Network {
  const net = createNetwork(2, setup.layers);
  initialize(net, { scheme: 'xavier_uniform' }, Rng.stream(seed, 'init'));
  return net;
}

/** Trains a fresh network; returns it, the number of steps, and the mean loss after every epoch. */
function run(setup: Setup, seed: number, overrides: Partial<TrainLoopOptions> = {}) {
  const net = newNet(setup, seed);
  const ev = new Evaluator(net);
  const losses: number[] = [];
  const steps = train(net, X, setup.y, {
    epochs: EPOCHS,
    batchSize: 4,
    shuffle: true,
    loss: setup.loss,
    reduction: 'mean',
    optimizer: OPTIMIZER,
    rng: Rng.stream(seed, 'shuffle'),
    onEpoch: () => {
      losses.push(ev.run(X, setup.y, setup.loss));
    },
    ...overrides,
  });
  return { net, steps, losses, outputs: ev.outputs(X) };
}

/** Fraction of rows classified right: argmax for several outputs, threshold 0.5 for one. */
function accuracy(out: Matrix, y: Matrix): number {
  let right = 0;
  for (let r = 0; r < out.rows; r++) {
    const ok = out.cols === 1 ? out.data[r] > 0.5 === y.data[r] > 0.5 : argmaxRow(out, r) === argmaxRow(y, r);
    if (ok) right++;
  }
  return right / out.rows;
}

/** Every weight and bias as raw bytes, for bitwise comparison. */
const bytes = (net: Network): string[] =>
  net.layers.flatMap((l) => [l.w, l.b].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')));

describe('XOR', () => {
  it('2-2-2 tanh → softmax with cross_entropy reaches 100% accuracy', () => {
    const { outputs, losses, steps } = run(SOFTMAX_CE, SEED);
    expect(steps).toBe(EPOCHS);
    expect(accuracy(outputs, Y_ONE_HOT)).toBe(1);
    expect(losses[losses.length - 1]).toBeLessThan(0.05);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  });

  it('2-2-1 sigmoid → sigmoid with mse reaches 100% accuracy', () => {
    const { outputs, losses } = run(SIGMOID_MSE, SEED);
    expect(accuracy(outputs, Y_BINARY)).toBe(1);
    expect(losses[losses.length - 1]).toBeLessThan(0.05);
  });

  it('the accuracy check can fail: an untrained network does not reach 100%', () => {
    const { outputs } = run(SOFTMAX_CE, SEED, { epochs: 0 });
    expect(accuracy(outputs, Y_ONE_HOT)).toBeLessThan(1);
  });
});

describe('reproducibility', () => {
  it('two runs from the same seed give bit-identical weights and per-epoch losses', () => {
    for (const setup of [SOFTMAX_CE, SIGMOID_MSE]) {
      const a = run(setup, SEED, { epochs: 300, batchSize: 1 });
      const b = run(setup, SEED, { epochs: 300, batchSize: 1 });
      expect(bytes(a.net)).toEqual(bytes(b.net));
      expect(a.losses.length).toBe(300);
      expect(a.losses.every((v, i) => Object.is(v, b.losses[i]))).toBe(true);
    }
  });

  it('two seeds give different initial weights (and different training runs)', () => {
    expect(bytes(newNet(SOFTMAX_CE, 1))).not.toEqual(bytes(newNet(SOFTMAX_CE, 2)));
    const a = run(SOFTMAX_CE, 1, { epochs: 20 });
    const b = run(SOFTMAX_CE, 2, { epochs: 20 });
    expect(a.losses).not.toEqual(b.losses);
  });

  it('the shuffle stream changes the batches, not the initial weights', () => {
    const a = run(SOFTMAX_CE, SEED, { epochs: 5, batchSize: 1, rng: Rng.stream(100, 'shuffle') });
    const b = run(SOFTMAX_CE, SEED, { epochs: 5, batchSize: 1, rng: Rng.stream(200, 'shuffle') });
    expect(bytes(a.net)).not.toEqual(bytes(b.net));
    expect(bytes(newNet(SOFTMAX_CE, SEED))).toEqual(bytes(newNet(SOFTMAX_CE, SEED)));
  });
});

describe('weight updates per epoch: ceil(n / batch_size)', () => {
  // 5 rows, so that batch sizes 2 and 3 leave a smaller last batch.
  const X5 = fromRows([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]);
  const Y5 = fromRows([[0], [1], [1], [0], [1]]);
  const epochs = 7;

  it.each([
    [1, 5],
    [2, 3],
    [3, 2],
    [4, 2],
    [5, 1],
    [50, 1],
    ['full', 1],
  ] as const)('batch_size %s → %i per epoch', (batchSize, perEpoch) => {
    for (const shuffle of [true, false]) {
      const net = newNet(SIGMOID_MSE, 3);
      const seen: [number, number][] = [];
      const steps = train(net, X5, Y5, {
        epochs,
        batchSize,
        shuffle,
        loss: 'mse',
        reduction: 'mean',
        optimizer: { type: 'sgd', learning_rate: 0.1 },
        rng: Rng.stream(3, 'shuffle'),
        onEpoch: (epoch, s) => {
          seen.push([epoch, s]);
        },
      });
      expect(steps).toBe(epochs * perEpoch);
      expect(seen).toEqual(Array.from({ length: epochs }, (_, i) => [i + 1, (i + 1) * perEpoch]));
    }
  });

  it('onEpoch returning false stops after that epoch', () => {
    const steps = train(newNet(SIGMOID_MSE, 3), X5, Y5, {
      epochs: 100,
      batchSize: 2,
      shuffle: true,
      loss: 'mse',
      reduction: 'mean',
      optimizer: { type: 'sgd', learning_rate: 0.1 },
      rng: Rng.stream(3, 'shuffle'),
      onEpoch: (epoch) => epoch < 4,
    });
    expect(steps).toBe(4 * 3);
  });
});

// ----- The batches themselves, against plain numbers -----
//
// A linear model z = x·W + b (one linear layer) with mse has the closed-form gradient
//   ∂L/∂W[i][j] = s · Σ_r 2·x[r][i]·(z[r][j] − y[r][j]),  ∂L/∂b[j] = s · Σ_r 2·(z[r][j] − y[r][j])
// with s = 1/(rows·cols) for reduction 'mean' over the batch's own rows, and s = 1 for 'sum'. Plain SGD then
// subtracts lr times it after every batch. This is written below with number[][] and loops, without the engine.

const XL = [[1, 2], [-1, 0.5], [0.3, -2], [2, 1], [-0.7, -0.4]];
const YL = [[1, 0], [0, -1], [2, 0.5], [-1, 1], [0.5, 0.25]];
const W0 = [[0.1, -0.2], [0.3, 0.05]];
const B0 = [0.01, -0.02];
const LR = 0.05;

/** nominal: average every batch over `batch` rows, even a smaller last one (a deliberate mistake, to show the check fails). */
function plainEpochs(batch: number, epochs: number, reduction: Reduction, orders: number[][], nominal = false): { w: number[][]; b: number[] } {
  const w = W0.map((row) => [...row]);
  const b = [...B0];
  const n = XL.length;
  for (let e = 0; e < epochs; e++) {
    const order = orders[e];
    for (let start = 0; start < n; start += batch) {
      const rowsIdx = order.slice(start, Math.min(start + batch, n));
      const s = reduction === 'mean' ? 1 / ((nominal ? batch : rowsIdx.length) * 2) : 1;
      const gw = [[0, 0], [0, 0]];
      const gb = [0, 0];
      for (const r of rowsIdx) {
        for (let j = 0; j < 2; j++) {
          const z = XL[r][0] * w[0][j] + XL[r][1] * w[1][j] + b[j];
          const d = 2 * (z - YL[r][j]) * s;
          gw[0][j] += XL[r][0] * d;
          gw[1][j] += XL[r][1] * d;
          gb[j] += d;
        }
      }
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) w[i][j] -= LR * gw[i][j];
      for (let j = 0; j < 2; j++) b[j] -= LR * gb[j];
    }
  }
  return { w, b };
}

function engineEpochs(batch: number | 'full', epochs: number, reduction: Reduction, shuffle: boolean, rng: Rng): { w: number[][]; b: number[] } {
  const net = createNetwork(2, [{ units: 2, activation: 'linear' }]);
  net.layers[0].w.set(W0.flat());
  net.layers[0].b.set(B0);
  train(net, fromRows(XL), fromRows(YL), { epochs, batchSize: batch, shuffle, loss: 'mse', reduction, optimizer: { type: 'sgd', learning_rate: LR }, rng });
  const w = net.layers[0].w;
  return { w: [[w[0], w[1]], [w[2], w[3]]], b: Array.from(net.layers[0].b) };
}

function expectSameModel(actual: { w: number[][]; b: number[] }, expected: { w: number[][]; b: number[] }): void {
  actual.w.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.w.flat()[i], 13));
  actual.b.forEach((v, i) => expect(v).toBeCloseTo(expected.b[i], 13));
}

describe('batches (shuffle false): consecutive rows, the last batch averaged over its own size', () => {
  const inOrder = (epochs: number) => Array.from({ length: epochs }, () => [0, 1, 2, 3, 4]);

  it.each([1, 2, 3, 5] as const)('batch_size %i, reduction mean and sum, 3 epochs', (batch) => {
    for (const reduction of ['mean', 'sum'] as const) {
      expectSameModel(engineEpochs(batch, 3, reduction, false, new Rng(1)), plainEpochs(batch, 3, reduction, inOrder(3)));
    }
  });

  it("'full' is one batch of every row", () => {
    expectSameModel(engineEpochs('full', 4, 'mean', false, new Rng(1)), plainEpochs(5, 4, 'mean', inOrder(4)));
  });

  it('the comparison can fail: other batchings give weights far from the engine\'s', () => {
    const e = engineEpochs(2, 1, 'mean', false, new Rng(1));
    const maxDiff = (a: { w: number[][]; b: number[] }, b: { w: number[][]; b: number[] }) =>
      Math.max(...[...a.w.flat(), ...a.b].map((v, i) => Math.abs(v - [...b.w.flat(), ...b.b][i])));
    const order = [[0, 1, 2, 3, 4]];
    expect(maxDiff(e, plainEpochs(2, 1, 'mean', order))).toBeLessThan(1e-14);
    expect(maxDiff(e, plainEpochs(2, 1, 'mean', order, true))).toBeGreaterThan(1e-3); // last batch over 2 rows
    expect(maxDiff(e, plainEpochs(3, 1, 'mean', order))).toBeGreaterThan(1e-3); // other batch size
    expect(maxDiff(e, plainEpochs(2, 1, 'mean', [[0, 2, 1, 3, 4]]))).toBeGreaterThan(1e-3); // other order
  });
});

describe('batches (shuffle true): the row order is reshuffled from the rng every epoch', () => {
  it('matches the plain computation over the orders the same rng produces', () => {
    const seed = 17;
    const orderRng = Rng.stream(seed, 'shuffle');
    const order = [0, 1, 2, 3, 4];
    const orders = Array.from({ length: 3 }, () => [...orderRng.shuffle(order)]);
    expect(new Set(orders.map((o) => o.join(''))).size).toBeGreaterThan(1); // the orders do change between epochs
    const expected = plainEpochs(2, 3, 'mean', orders);
    expectSameModel(engineEpochs(2, 3, 'mean', true, Rng.stream(seed, 'shuffle')), expected);
    // ... and differ from the unshuffled run.
    const unshuffled = engineEpochs(2, 3, 'mean', false, Rng.stream(seed, 'shuffle'));
    expect(unshuffled.w.flat()).not.toEqual(expected.w.flat());
  });
});
