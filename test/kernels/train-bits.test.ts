// Whole training runs give the same bits with either kernel set: every activation, loss and optimizer, batches
// with a smaller last one, weight decay, momentum and nesterov. The per-kernel property tests are bits.test.ts and
// update-bits.test.ts.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import type { Matrix } from '../../src/matrix.js';
import { ACTIVATION_NAMES } from '../../src/model/activations.js';
import { initialize } from '../../src/model/init.js';
import type { LossName } from '../../src/model/losses.js';
import { createNetwork, type LayerSpec } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import type { OptimizerConfig } from '../../src/training/optimizers/index.js';
import { train } from '../../src/training/train.js';

// Thresholds 0: these small layers run in wasm too (by default tiny products run the scalar loops).
const wasm = wasmKernels() && createWasmKernels({ product: 0 });

interface Setup { hidden: LayerSpec[]; out: LayerSpec; loss: LossName; optimizer: OptimizerConfig; batch: number | 'full' }

const hiddenOf = (a: (typeof ACTIVATION_NAMES)[number]): LayerSpec[] => [{ units: 9, activation: a }, { units: 6, activation: a === 'softmax' ? 'tanh' : a }];
const SETUPS: Setup[] = [
  ...ACTIVATION_NAMES.map((a, i): Setup => ({
    hidden: hiddenOf(a),
    out: { units: 3, activation: 'softmax' },
    loss: 'cross_entropy',
    optimizer: i % 2 ? { type: 'adam', learning_rate: 0.01, weight_decay: 1e-3 } : { type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: i % 3 === 0 },
    batch: [8, 'full', 5][i % 3] as number | 'full',
  })),
  { hidden: hiddenOf('tanh'), out: { units: 1, activation: 'linear' }, loss: 'mse', optimizer: { type: 'sgd', learning_rate: 0.05 }, batch: 7 },
  { hidden: hiddenOf('relu'), out: { units: 2, activation: 'sigmoid' }, loss: 'binary_cross_entropy', optimizer: { type: 'adam', learning_rate: 0.01 }, batch: 1 },
  // The other optimizers' updates (with every branch of their kernels: momentum, centered, decay).
  { hidden: hiddenOf('tanh'), out: { units: 3, activation: 'softmax' }, loss: 'cross_entropy', optimizer: { type: 'adamw', learning_rate: 0.01, weight_decay: 0.1 }, batch: 8 },
  { hidden: hiddenOf('sigmoid'), out: { units: 3, activation: 'softmax' }, loss: 'cross_entropy', optimizer: { type: 'rmsprop', learning_rate: 0.01, momentum: 0.5, centered: true, weight_decay: 1e-3 }, batch: 5 },
  { hidden: hiddenOf('relu'), out: { units: 1, activation: 'linear' }, loss: 'mse', optimizer: { type: 'rmsprop', learning_rate: 0.01 }, batch: 'full' },
  { hidden: hiddenOf('tanh'), out: { units: 3, activation: 'softmax' }, loss: 'cross_entropy', optimizer: { type: 'adagrad', learning_rate: 0.1, lr_decay: 0.01, weight_decay: 1e-3 }, batch: 8 },
];

/** 37 rows of 5 inputs, some exact zeros, targets one-hot (or values for mse) of width cols. */
function data(cols: number): { x: Matrix; y: Matrix } {
  const rng = new Rng(3);
  const x: Matrix = { data: new Float64Array(37 * 5), rows: 37, cols: 5 };
  const y: Matrix = { data: new Float64Array(37 * cols), rows: 37, cols };
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next() < 0.2 ? 0 : rng.normal();
  for (let r = 0; r < 37; r++) {
    if (cols === 1) y.data[r] = rng.normal();
    else y.data[r * cols + rng.int(cols)] = 1;
  }
  return { x, y };
}

function run(s: Setup, kernels: Kernels): string[] {
  const { x, y } = data(s.out.units);
  const net = createNetwork(5, [...s.hidden, s.out], undefined, kernels);
  initialize(net, { scheme: 'xavier_uniform' }, new Rng(1));
  train(net, x, y, { epochs: 6, batchSize: s.batch, shuffle: true, loss: s.loss, reduction: 'mean', optimizer: s.optimizer, rng: new Rng(2), kernels });
  return net.layers.flatMap((l) => [l.w, l.b].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')));
}

describe.skipIf(!wasm)('training with the wasm kernels gives the scalar kernels’ bits', () => {
  for (const s of SETUPS) {
    it(`${s.hidden[0].activation} → ${s.out.activation}, ${s.loss}, ${s.optimizer.type}, batch ${s.batch}`, () => {
      const ref = run(s, scalarKernels);
      expect(run(s, wasm!)).toEqual(ref);
      expect(run(s, wasmKernels()!)).toEqual(ref); // the default thresholds: a mix of scalar and wasm calls
      expect(ref).not.toEqual(run({ ...s, optimizer: { ...s.optimizer, learning_rate: s.optimizer.learning_rate * 2 } }, scalarKernels));
    });
  }
});
