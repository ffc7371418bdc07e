// trainSteps' pauses and endings: where it pauses (every pauseEvery batches, across epochs), what next(true) and
// onEpoch's false report, and that pausing changes no weight. 10 rows in batches of 4: 3 batches an epoch (4, 4, 2).

import { describe, expect, it } from 'vitest';
import { scalarKernels } from '../../src/kernels/index.js';
import { fromRows } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { createNetwork, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { train, trainSteps, type TrainLoopOptions } from '../../src/training/train.js';

const data = new Rng(3, 0);
const X = fromRows(Array.from({ length: 10 }, () => [data.uniform(-1, 1), data.uniform(-1, 1)]));
const Y = fromRows(Array.from({ length: 10 }, (_, r) => [r % 2, 1 - (r % 2)]));

function net(): Network {
  const n = createNetwork(2, [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }], undefined, scalarKernels);
  initialize(n, { scheme: 'xavier_uniform' }, new Rng(3, 1));
  return n;
}

const options = (more: Partial<TrainLoopOptions> = {}): TrainLoopOptions => ({
  epochs: 3,
  batchSize: 4,
  shuffle: true,
  loss: 'cross_entropy',
  reduction: 'mean',
  optimizer: { type: 'sgd', learning_rate: 0.1, momentum: 0.9 },
  rng: new Rng(3, 2),
  kernels: scalarKernels,
  ...more,
});

describe('trainSteps', () => {
  it('pauses every pauseEvery batches, across epochs, then returns the outcome', () => {
    const run = trainSteps(net(), X, Y, options({ pauseEvery: 2 }));
    const seen: string[] = [];
    let r = run.next(false);
    for (; !r.done; r = run.next(false)) seen.push(`${r.value.epoch}:${r.value.steps}`);
    // 9 steps: epoch 1 is steps 1–3, epoch 2 steps 4–6, epoch 3 steps 7–9.
    expect(seen).toEqual(['1:2', '2:4', '2:6', '3:8']);
    expect(r.value).toEqual({ steps: 9, epochs: 3, stopped: false });
  });

  it('next(true) at a pause stops there, with the epochs finished before it', () => {
    const run = trainSteps(net(), X, Y, options({ pauseEvery: 2 }));
    run.next(false); // step 2, epoch 1
    expect(run.next(false).value).toEqual({ epoch: 2, steps: 4 });
    expect(run.next(true)).toEqual({ done: true, value: { steps: 4, epochs: 1, stopped: true } });
  });

  it('onEpoch returning false stops after that epoch; no epochs, no steps', () => {
    const run = trainSteps(net(), X, Y, options({ onEpoch: (epoch) => epoch < 2 }));
    let r = run.next(false);
    while (!r.done) r = run.next(false);
    expect(r.value).toEqual({ steps: 6, epochs: 2, stopped: true });
    expect(trainSteps(net(), X, Y, options({ epochs: 0 })).next(false)).toEqual({ done: true, value: { steps: 0, epochs: 0, stopped: false } });
  });

  it('each pause is the same object, updated (nothing allocated per pause)', () => {
    const run = trainSteps(net(), X, Y, options());
    const first = run.next(false);
    expect(run.next(false)).toBe(first);
    expect(first.value).toEqual({ epoch: 1, steps: 2 });
  });

  it('pausing after every batch gives the weights of an unpaused run, bit for bit', () => {
    const paused = net();
    const run = trainSteps(paused, X, Y, options({ pauseEvery: 1 }));
    while (!run.next(false).done);
    const whole = net();
    expect(train(whole, X, Y, options())).toBe(9);
    paused.layers.forEach((l, k) => {
      expect(l.w).toEqual(whole.layers[k].w);
      expect(l.b).toEqual(whole.layers[k].b);
    });
  });
});
