// Kernels.overlap(during, work): during runs once, on the calling thread, after the parts of work's first split
// operation are posted (so the helpers work beside it), else after work; the training loop copies the next batch
// that way beside the optimizer's update, and trains to the same bits, pauses or not.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels, type WasmKernels } from '../../src/kernels/wasm.js';
import type { AdamStep } from '../../src/kernels/types.js';
import type { Matrix } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { createNetwork } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { trainSteps } from '../../src/training/train.js';

const SETTINGS: AdamStep = { shrink: 1, lambda: 0, beta1: 0.9, beta2: 0.999, stepSize: 1e-3, bc2Sqrt: 0.5, eps: 1e-8 };

/** An adam update of n values in k's memory, as work for overlap; `events` records where it started and ended. */
function adamWork(k: Kernels, n: number, events: string[]): () => void {
  const [w, g, m, v] = [k.alloc(n), k.alloc(n), k.alloc(n), k.alloc(n)];
  g.fill(0.25);
  return () => {
    events.push('work starts');
    k.adamStep(w, g, m, v, n, SETTINGS);
    events.push('work ends');
  };
}

/** Runs overlap with a `during` that records itself, and where the pool stood when it ran. */
function order(k: Kernels, n: number): { events: string[]; postedBefore: number | null } {
  const events: string[] = [];
  let postedBefore: number | null = null;
  k.overlap(() => {
    events.push('during');
    postedBefore = (k as WasmKernels).threadPool?.()?.posted ?? null;
  }, adamWork(k, n, events));
  return { events, postedBefore };
}

describe('Kernels.overlap', () => {
  it('scalar kernels: work, then during, once', () => {
    expect(order(scalarKernels, 100).events).toEqual(['work starts', 'work ends', 'during']);
  });

  it.skipIf(!wasmKernels())('wasm kernels on one thread, or work too small to split: during after work, once', () => {
    expect(order(createWasmKernels({ threads: 1, threaded: 0 }), 10_000).events).toEqual(['work starts', 'work ends', 'during']);
    expect(order(createWasmKernels({ threads: 2 }), 100).events).toEqual(['work starts', 'work ends', 'during']);
  });

  it.skipIf(!wasmKernels())("wasm kernels on 2 threads: during inside work, once the split's parts are posted", async () => {
    const k = createWasmKernels({ threads: 2, threaded: 0, update: 0 });
    const { events, postedBefore } = order(k, 10_000);
    expect(events).toEqual(['work starts', 'during', 'work ends']);
    expect(postedBefore).toBe(k.threadPool()!.posted); // the one split had posted its parts when during ran
    // Two splits in work: during runs in the first only.
    const twice: string[] = [];
    const one = adamWork(k, 10_000, twice);
    k.overlap(() => twice.push('during'), () => (one(), one()));
    expect(twice).toEqual(['work starts', 'during', 'work ends', 'work starts', 'work ends']);
    await k.rest();
  });

  it.skipIf(!wasmKernels())('when work throws, during never runs, not even in a later split', async () => {
    const k = createWasmKernels({ threads: 2, threaded: 0, update: 0 });
    let runs = 0;
    expect(() => k.overlap(() => runs++, () => { throw new Error('work failed'); })).toThrow('work failed');
    order(k, 10_000);
    expect(runs).toBe(0);
    await k.rest();
  });

  it.skipIf(!wasmKernels())('when during throws, every part of the split is done before overlap returns (nothing written after)', async () => {
    const k = createWasmKernels({ threads: 2, threaded: 0, update: 0 });
    const n = 1 << 20;
    const [w, g, m, v] = [k.alloc(n), k.alloc(n).fill(1), k.alloc(n), k.alloc(n)];
    k.adamStep(w, g, m, v, n, SETTINGS); // starts the helper
    await new Promise((done) => setTimeout(done, 200));
    expect(() => k.overlap(() => { throw new Error('during failed'); }, () => k.adamStep(w, g, m, v, n, SETTINGS))).toThrow('during failed');
    const atThrow = Float64Array.from(w);
    await new Promise((done) => setTimeout(done, 200));
    expect(w.every((x, i) => Object.is(x, atThrow[i])), 'w written after overlap threw').toBe(true);
    const ref = [new Float64Array(n), new Float64Array(n).fill(1), new Float64Array(n), new Float64Array(n)];
    for (let s = 0; s < 2; s++) scalarKernels.adamStep(ref[0], ref[1], ref[2], ref[3], n, SETTINGS);
    expect(w.every((x, i) => Object.is(x, ref[0][i])), 'the two updates whole').toBe(true);
    await k.rest();
  });
});

/** 60 rows of 11 inputs, 3 classes; adam over ≈1,100 parameters, batches of 7 (the last smaller); weights as hex. */
function train(kernels: Kernels, pauseEvery: number): string[] {
  const rng = new Rng(31);
  const x: Matrix = { data: new Float64Array(60 * 11), rows: 60, cols: 11 };
  const y: Matrix = { data: new Float64Array(60 * 3), rows: 60, cols: 3 };
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  for (let r = 0; r < 60; r++) y.data[r * 3 + rng.int(3)] = 1;
  const net = createNetwork(11, [{ units: 40, activation: 'tanh' }, { units: 3, activation: 'softmax' }], undefined, kernels);
  initialize(net, { scheme: 'xavier_uniform' }, new Rng(3));
  const steps = trainSteps(net, x, y, {
    epochs: 4, batchSize: 7, shuffle: true, loss: 'cross_entropy', reduction: 'mean', optimizer: { type: 'adam', learning_rate: 0.01 }, rng: new Rng(4), kernels, pauseEvery,
  });
  while (!steps.next(false).done);
  return net.layers.flatMap((l) => [l.w, l.b].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')));
}

/** Scalar kernels whose overlap never runs `during`: every step then copies its own batch, the reference here. */
const copyEachStep: Kernels = { ...scalarKernels, overlap: (_during, work) => work() };

describe('the next batch copied beside the update', () => {
  it('trains to the same bits as each step copying its own batch: scalar kernels', () => {
    expect(train(scalarKernels, Infinity)).toEqual(train(copyEachStep, Infinity));
  });

  it.skipIf(!wasmKernels())('and wasm kernels on 2 threads (every update split), pausing after every batch or never', async () => {
    const ref = train(copyEachStep, Infinity);
    for (const pauseEvery of [1, 3, Infinity]) {
      const k = createWasmKernels({ product: 0, threads: 2, threaded: 0, update: 0 });
      expect(train(k, pauseEvery), `pauseEvery ${pauseEvery}`).toEqual(ref);
      expect(k.threadsInUse()).toBe(2);
      await k.rest();
    }
  });
});
