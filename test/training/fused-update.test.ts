// An optimizer whose parameters all have the same settings (no weight decay) updates them in one kernel call when
// the parameters, gradients and its state lie back to back in the kernels' memory (kernels.span), with the same
// bits as one call per parameter array; with weight decay it keeps one call per array.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import type { Matrix } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { createNetwork } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import type { OptimizerConfig } from '../../src/training/optimizers/index.js';
import { train } from '../../src/training/train.js';

const UPDATES = ['sgdStep', 'adamStep', 'rmspropStep', 'adagradStep'] as const;

/** The kernels, counting the element-wise update calls. */
function counting(k: Kernels): { kernels: Kernels; calls: () => number } {
  let n = 0;
  const kernels = { ...k } as Record<string, unknown>;
  for (const name of UPDATES) {
    const f = k[name] as (...args: unknown[]) => void;
    kernels[name] = (...args: unknown[]) => {
      n++;
      f(...args);
    };
  }
  return { kernels: kernels as unknown as Kernels, calls: () => n };
}

/** 3 epochs of 4 batches (steps) on 20 rows; layers of odd widths, so arrays are padded apart in memory. */
function run(optimizer: OptimizerConfig, k: Kernels): { bits: string[]; calls: number } {
  const { kernels, calls } = counting(k);
  const rng = new Rng(5);
  const x: Matrix = { data: Float64Array.from({ length: 20 * 3 }, () => rng.normal()), rows: 20, cols: 3 };
  const y: Matrix = { data: new Float64Array(20 * 2), rows: 20, cols: 2 };
  for (let r = 0; r < 20; r++) y.data[r * 2 + rng.int(2)] = 1;
  const net = createNetwork(3, [{ units: 7, activation: 'tanh' }, { units: 2, activation: 'softmax' }], undefined, kernels);
  initialize(net, { scheme: 'xavier_uniform' }, new Rng(1));
  train(net, x, y, { epochs: 3, batchSize: 5, shuffle: true, loss: 'cross_entropy', reduction: 'mean', optimizer, rng: new Rng(2), kernels });
  return { bits: net.layers.flatMap((l) => [l.w, l.b].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'))), calls: calls() };
}

const CASES: OptimizerConfig[] = [
  { type: 'sgd', learning_rate: 0.1, momentum: 0.9 },
  { type: 'adam', learning_rate: 0.01 },
  { type: 'adamw', learning_rate: 0.01, weight_decay: 0 },
  { type: 'rmsprop', learning_rate: 0.01, momentum: 0.5, centered: true },
  { type: 'adagrad', learning_rate: 0.1, initial_accumulator_value: 0.1 },
];

describe.skipIf(!wasmKernels())('one update call for all parameters', () => {
  const steps = 12;
  const params = 4; // w and b of two layers
  for (const optimizer of CASES) {
    it(`${optimizer.type}: one call a step, the bits of one call per array`, () => {
      const wasm = createWasmKernels({ product: 0, update: 0 });
      const fused = run(optimizer, wasm);
      const reference = run(optimizer, scalarKernels); // scalar kernels never span: a call per array
      expect(reference.calls).toBe(steps * params);
      expect(fused.calls).toBe(steps);
      expect(fused.bits).toEqual(reference.bits);
    });
  }
  it('keeps a call per array under weight decay (weights and biases differ)', () => {
    const wasm = createWasmKernels({ product: 0, update: 0 });
    for (const optimizer of [{ type: 'adam', learning_rate: 0.01, weight_decay: 0.01 }, { type: 'adamw', learning_rate: 0.01 }] as OptimizerConfig[]) {
      const r = run(optimizer, wasm);
      expect(r.calls).toBe(steps * params);
      expect(r.bits).toEqual(run(optimizer, scalarKernels).bits);
    }
  });
});
