// The training loop's finiteness checks (training/divergence.ts FiniteChecks) take one of two ways: with the wasm
// kernels all gradients (all weights) in one pass over their span, with the scalar kernels (no spans) array by
// array. Both stop at the same epoch and step and name the same value, for a small and a large network: a
// non-finite weight before any update, one hidden by relu until the epoch's end, and a gradient that overflows.
import { beforeEach, describe, expect, it } from 'vitest';
import { fromRows } from '../../src/matrix.js';
import { defaultKernels, scalarKernels, type Kernels } from '../../src/kernels/index.js';
import { initialize } from '../../src/model/init.js';
import { createNetwork, type LayerSpec } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { trainToEnd, type TrainLoopOptions } from '../../src/training/train.js';

const X = fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const Y = fromRows([[0], [1], [1], [0]]);

let kernels: Kernels;

function setup(units: number, activation: LayerSpec['activation'], lr: number) {
  const net = createNetwork(2, [{ units, activation }, { units: 1, activation: 'linear' }], undefined, kernels);
  initialize(net, { scheme: 'xavier_uniform' }, Rng.stream(1, 'init'));
  const opts: TrainLoopOptions = { epochs: 20, batchSize: 2, shuffle: true, loss: 'mse', reduction: 'mean', optimizer: { type: 'sgd', learning_rate: lr }, rng: Rng.stream(1, 'shuffle'), kernels };
  return { net, opts };
}

// 3 units: 13 values; 400 units: 1,601; each with the default kernels (spans) and the scalar ones (array by array).
for (const [units, which] of [[3, 'default'], [400, 'default'], [3, 'scalar'], [400, 'scalar']] as const) {
  describe(`a network of ${4 * units + 1} weights and biases, ${which} kernels`, () => {
    beforeEach(() => void (kernels = which === 'scalar' ? scalarKernels : defaultKernels()));
    it('a NaN weight is found as the weight, before any update', () => {
      const { net, opts } = setup(units, 'tanh', 0.1);
      net.layers[1].w[units - 1] = NaN;
      expect(trainToEnd(net, X, Y, opts).divergence).toEqual({ epoch: 1, step: 0, value: 'weight', where: 'layer 2 weights' });
    });

    it('a NaN bias hidden by relu is found at the end of the first epoch, after its two updates', () => {
      const { net, opts } = setup(units, 'relu', 0.1);
      for (let j = 0; j < units; j++) net.layers[0].w[j] = net.layers[0].w[units + j] = 1; // every unit's input weights positive
      net.layers[0].b[units - 1] = -Infinity; // that unit's output is 0 on every row: its gradient too
      const outcome = trainToEnd(net, X, Y, opts);
      expect(outcome.divergence).toEqual({ epoch: 1, step: 2, value: 'weight', where: 'layer 1 biases' });
      expect(outcome.steps).toBe(2);
    });

    it('an overflowing update is stopped at the gradient or loss, the weights finite; a finite run is not stopped', () => {
      const big = setup(units, 'tanh', 1e300);
      const outcome = trainToEnd(big.net, X, Y, big.opts);
      expect(['loss', 'gradient']).toContain(outcome.divergence?.value);
      for (const l of big.net.layers) for (const v of [...l.w, ...l.b]) expect(Number.isFinite(v)).toBe(true);
      const fine = setup(units, 'tanh', 0.01);
      expect(trainToEnd(fine.net, X, Y, fine.opts)).toEqual({ steps: 40, epochs: 20, stopped: false });
    });
  });
}
