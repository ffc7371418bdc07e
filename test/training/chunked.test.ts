// A batch trained in row chunks (TrainLoopOptions.chunkRows; runner/memory.ts chooses it when a batch's arrays
// would not fit the kernels' memory) gives the bits of one pass: forward chunk by chunk, the gradients summed over
// the chunks in row order (Kernels.paramGrads continuing each sum), the 'mean' over the whole batch. Held here
// for the scalar and wasm kernels, every loss, SGD with momentum, Adam and RMSprop, clipping, a last batch
// smaller than the rest, inputs with zeros (the products' skip path), chunks of 1, 3 and 7 rows; a run that
// diverges stops at the same step naming the same value; dropout is not chunked. The memory estimate chunks the
// issue's full batch of 60,000 rows instead of refusing it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/index.js';
import { defaultKernels, scalarKernels, type Kernels } from '../../src/kernels/index.js';
import { fromRows, type Matrix } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import type { LossName } from '../../src/model/losses.js';
import { createNetwork, type LayerSpec, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { checkMemory, estimateMemory } from '../../src/runner/memory.js';
import { trainSteps, trainToEnd, type TrainLoopOptions, type TrainOutcome } from '../../src/training/train.js';
import type { OptimizerConfig } from '../../src/training/optimizers/index.js';
import { tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-chunked');

/** n rows of `inputs` values from a seeded stream, about a third of them exactly 0; targets by `target`. */
function data(n: number, inputs: number, target: (row: number[], r: number) => number[]): { x: Matrix; y: Matrix } {
  const rng = Rng.stream(7, 'data');
  const rows = Array.from({ length: n }, () => Array.from({ length: inputs }, () => (rng.next() < 0.33 ? 0 : 4 * rng.next() - 2)));
  return { x: fromRows(rows), y: fromRows(rows.map(target)) };
}

interface Case {
  name: string;
  layers: LayerSpec[];
  loss: LossName;
  optimizer: OptimizerConfig;
  batchSize: number | 'full';
  clip?: number;
  lr?: number;
}

const CASES: Case[] = [
  { name: 'tanh, softmax cross-entropy, full batch, SGD with momentum', layers: [{ units: 9, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'cross_entropy', optimizer: { type: 'sgd', learning_rate: 0.3, momentum: 0.9 } as OptimizerConfig, batchSize: 'full' },
  { name: 'relu, mse, batch 10 of 23 (a last batch of 3), Adam, clipping', layers: [{ units: 17, activation: 'relu' }, { units: 6, activation: 'leaky_relu' }, { units: 2, activation: 'linear' }], loss: 'mse', optimizer: { type: 'adam', learning_rate: 0.01 } as OptimizerConfig, batchSize: 10, clip: 0.5 },
  { name: 'sigmoid, binary cross-entropy (multilabel), full batch, RMSprop', layers: [{ units: 5, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'binary_cross_entropy', optimizer: { type: 'rmsprop', learning_rate: 0.01 } as OptimizerConfig, batchSize: 'full' },
];

const targets: Record<LossName, (row: number[], r: number) => number[]> = {
  cross_entropy: (row) => [0, 1, 2].map((k) => (k === (row[0] > 0 ? 0 : row[1] > 0 ? 1 : 2) ? 1 : 0)),
  mse: (row) => [row[0] * row[1] - row[2], Math.sin(row[3])],
  binary_cross_entropy: (row) => [row[0] > 0 ? 1 : 0, row[2] + row[3] > 0 ? 1 : 0],
};

function setup(c: Case, kernels: Kernels, chunkRows: number | undefined, lr?: number, epochs = 12) {
  const { x, y } = data(23, 5, targets[c.loss]);
  const net = createNetwork(5, c.layers, undefined, kernels);
  initialize(net, { scheme: 'xavier_uniform' }, Rng.stream(3, 'init'));
  const optimizer = lr === undefined ? c.optimizer : { ...c.optimizer, learning_rate: lr };
  const opts: TrainLoopOptions = {
    epochs, batchSize: c.batchSize, shuffle: true, loss: c.loss, reduction: 'mean', optimizer, clipGradNorm: c.clip ?? null, rng: Rng.stream(3, 'shuffle'), kernels, chunkRows,
  };
  return { net, x, y, opts };
}

function trained(c: Case, kernels: Kernels, chunkRows: number | undefined, lr?: number, epochs = 12): { net: Network; outcome: TrainOutcome } {
  const { net, x, y, opts } = setup(c, kernels, chunkRows, lr, epochs);
  return { net, outcome: trainToEnd(net, x, y, opts) };
}

/** Every weight and bias as bits. */
const bits = (net: Network) => net.layers.flatMap((l) => [Buffer.from(l.w.buffer, l.w.byteOffset, l.w.byteLength).toString('hex'), Buffer.from(l.b.buffer, l.b.byteOffset, l.b.byteLength).toString('hex')]);

for (const [which, kernels] of [['scalar', () => scalarKernels], ['wasm (default)', () => defaultKernels()]] as const) {
  describe(`row chunks, ${which} kernels: the bits of one pass`, () => {
    for (const c of CASES) {
      it(c.name, () => {
        const whole = trained(c, kernels(), undefined);
        expect(whole.outcome.divergence).toBeUndefined();
        for (const chunk of [1, 3, 7]) {
          const chunked = trained(c, kernels(), chunk);
          expect(chunked.outcome, `chunks of ${chunk}`).toEqual(whole.outcome);
          expect(bits(chunked.net), `chunks of ${chunk}`).toEqual(bits(whole.net));
        }
      });
    }

    it('a run that diverges stops at the same step, naming the same value', () => {
      for (const lr of [1e200, 1e300]) {
        const whole = trained(CASES[1], kernels(), undefined, lr);
        expect(whole.outcome.divergence).toBeDefined();
        expect(trained(CASES[1], kernels(), 3, lr).outcome).toEqual(whole.outcome);
      }
    });
  });
}

describe('pauses between the chunks of a batch', () => {
  it('a batch of 23 rows in chunks of 3 pauses after each of its 8 chunks; stopped between them, it is left undone', () => {
    const { net, x, y, opts } = setup(CASES[0], scalarKernels, 3, undefined, 5);
    const steps = trainSteps(net, x, y, opts);
    const seen: number[] = [];
    for (;;) {
      const r = steps.next(false);
      if (r.done) throw new Error('ended before the stop');
      seen.push(r.value.steps);
      if (r.value.steps === 2 && seen.filter((s) => s === 2).length === 4) break; // the 3rd batch's 4th chunk made
    }
    expect(seen.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1]); // 7 pauses between chunks, then the batch's end
    expect(steps.next(true)).toEqual({ done: true, value: { steps: 2, epochs: 2, stopped: true } });
    expect(bits(net)).toEqual(bits(trained(CASES[0], scalarKernels, undefined, undefined, 2).net)); // 2 epochs' weights
  });

  it('training data of 0 rows and no chunkRows: no complaint about chunkRows', () => {
    const { net, opts } = setup(CASES[0], scalarKernels, undefined);
    expect(() => trainToEnd(net, fromRows([]), fromRows([]), opts)).not.toThrow();
  });
});

describe('where chunks are not offered', () => {
  it('dropout: a batch in chunks is refused by the training loop', () => {
    const c: Case = { ...CASES[0], layers: [{ units: 9, activation: 'tanh', dropout: 0.5 } as LayerSpec, { units: 3, activation: 'softmax' }] };
    const { x, y } = data(23, 5, targets[c.loss]);
    const net = createNetwork(5, c.layers, undefined, scalarKernels);
    const opts: TrainLoopOptions = { epochs: 1, batchSize: 'full', shuffle: false, loss: c.loss, reduction: 'mean', optimizer: c.optimizer, rng: Rng.stream(1, 'shuffle'), dropoutRng: Rng.stream(1, 'dropout'), kernels: scalarKernels, chunkRows: 4 };
    expect(() => trainToEnd(net, x, y, opts)).toThrow(/dropout/);
  });
});

describe('the memory estimate chunks a batch too large for the kernels’ memory', () => {
  // The case: batch_size full on 60,000 rows through two 2048-unit layers (was exit 3 after minutes, then refused).
  const big = (dropout: boolean) => {
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, [
      'data: { generate: { kind: blobs, samples: 60000, classes: 10 } }',
      'model:',
      `  layers: [{ units: 2048, activation: relu${dropout ? ', dropout: 0.1' : ''} }, { units: 2048, activation: relu }, { units: 10, activation: softmax }]`,
      'loss: cross_entropy',
      'training: { epochs: 1, batch_size: full, optimizer: { type: adam } }',
      '',
    ].join('\n'));
    return loadExperiment(file);
  };

  it('without dropout: chunks of 5,000-15,000 rows whose arrays fit, and no refusal', () => {
    const exp = big(false);
    const e = estimateMemory(exp, 60000, 2, 60000);
    expect(e.chunkRows).toBeGreaterThan(5000);
    expect(e.chunkRows).toBeLessThan(15000);
    expect(e.heap.total).toBeLessThanOrEqual(2 ** 31 * 0.9);
    expect(() => checkMemory(exp, 60000, 2, { trainRows: 60000, budget: Infinity })).not.toThrow();
  });

  it('with dropout: one pass, refused at training.batch_size with the most that fits', () => {
    const exp = big(true);
    expect(estimateMemory(exp, 60000, 2, 60000).chunkRows).toBe(60000);
    expect(() => checkMemory(exp, 60000, 2, { trainRows: 60000, budget: Infinity })).toThrow(/a batch with dropout is not trained in row chunks: set training\.batch_size to \d+ or less/);
  });
});
