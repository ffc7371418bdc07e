// Splitting products over helper threads changes no bit: whole trainings with 1, 2 and 3 threads (every
// product split, thresholds 0) give the scalar reference's weights.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import type { Matrix } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { createNetwork } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { train } from '../../src/training/train.js';

/** 50 rows of 13 inputs (a fifth exact zeros), 4 classes; a relu and a tanh layer of odd widths. */
function run(kernels: Kernels): string[] {
  const rng = new Rng(9);
  const x: Matrix = { data: new Float64Array(50 * 13), rows: 50, cols: 13 };
  const y: Matrix = { data: new Float64Array(50 * 4), rows: 50, cols: 4 };
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next() < 0.2 ? 0 : rng.normal();
  for (let r = 0; r < 50; r++) y.data[r * 4 + rng.int(4)] = 1;
  const net = createNetwork(13, [{ units: 21, activation: 'relu' }, { units: 7, activation: 'tanh' }, { units: 4, activation: 'softmax' }], undefined, kernels);
  initialize(net, { scheme: 'he_uniform' }, new Rng(1));
  train(net, x, y, { epochs: 5, batchSize: 9, shuffle: true, loss: 'cross_entropy', reduction: 'mean', optimizer: { type: 'adam', learning_rate: 0.01 }, rng: new Rng(2), kernels });
  return net.layers.flatMap((l) => [l.w, l.b].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')));
}

describe.skipIf(!wasmKernels())('helper threads', () => {
  it('give the same bits with 1, 2 and 3 threads as the scalar kernels', () => {
    const ref = run(scalarKernels);
    for (const threads of [1, 2, 3]) {
      const kernels = createWasmKernels({ product: 0, threads, threaded: 0 });
      expect(run(kernels), `${threads} threads`).toEqual(ref);
      expect(kernels.threadsInUse()).toBe(threads); // the helpers did start (a part a helper is slow to take, the caller runs)
    }
  });

  it('give the scalar bits on 3,000 products in a row, of random shapes, claimed by 3 threads', () => {
    // Back-to-back splits: a helper still finishing one operation's part while the next is posted must never take
    // a part of the wrong one (the ticket holds the operation's number).
    const kernels = createWasmKernels({ product: 0, threads: 3, threaded: 0 });
    const rng = new Rng(12);
    for (let t = 0; t < 3000; t++) {
      const [rows, nIn, nOut] = [1 + rng.int(40), 1 + rng.int(9), 1 + rng.int(9)];
      const x = kernels.alloc(rows * nIn), w = kernels.alloc(nIn * nOut), b = kernels.alloc(nOut);
      for (const a of [x, w, b]) for (let i = 0; i < a.length; i++) a[i] = rng.normal();
      const out = kernels.alloc(rows * nOut), expected = new Float64Array(rows * nOut);
      kernels.affine(x, w, b, out, rows, nIn, nOut);
      scalarKernels.affine(x, w, b, expected, rows, nIn, nOut);
      if (!out.every((v, i) => Object.is(v, expected[i]))) expect.fail(`product ${t} (${rows}×${nIn}×${nOut}) differs`);
    }
    expect(kernels.threadPool()!.posted).toBeGreaterThan(3000);
  });

  it('rest: the helpers stop and products run on one thread, same bits; after wake they start again', async () => {
    const ref = run(scalarKernels);
    const kernels = createWasmKernels({ product: 0, threads: 2, threaded: 0 });
    expect(run(kernels)).toEqual(ref);
    expect([kernels.threadStarts(), kernels.threadsInUse()]).toEqual([1, 2]);
    await kernels.rest();
    expect([kernels.threadPool(), kernels.threadsInUse()]).toEqual([null, 1]);
    expect(run(kernels)).toEqual(ref); // resting: the caller runs every product
    expect([kernels.threadPool(), kernels.threadStarts()]).toEqual([null, 1]);
    kernels.wake();
    expect(run(kernels)).toEqual(ref);
    expect([kernels.threadStarts(), kernels.threadsInUse()]).toEqual([2, 2]);
    await kernels.rest();
  });
});
