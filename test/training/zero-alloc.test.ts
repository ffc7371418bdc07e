// Zero allocation per training step (issue #11): after a warm-up, 10,000 steps of small networks, driven through
// trainSteps paused after every batch as the runner drives it, allocate nothing on the JavaScript heap. Bytes are
// counted by V8's sampling heap profiler, objects already collected included, so no garbage collection hides any.

import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultKernels, scalarKernels, type Kernels } from '../../src/kernels/index.js';
import { fromRows } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import type { LossName, Reduction } from '../../src/model/losses.js';
import { createNetwork, type LayerSpec } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import type { OptimizerConfig } from '../../src/training/optimizers/index.js';
import { trainSteps, type TrainSteps } from '../../src/training/train.js';

const STEPS = 10_000;
/** Steps before measuring: the first ones run before V8 has optimized them (unoptimized code boxes every float). */
const WARMUP = 5000;
/**
 * Far below one object per step (a 16-byte heap number each step: 160 kB; the old `{ epoch, steps }` pause and
 * the generator's result object: 800 kB), far above what a clean window shows (0 to a few hundred bytes).
 */
const LIMIT = 16_000;
/**
 * NOTE: a window can still see a burst of allocation while V8 (re)compiles in the background, later on a busy
 * machine: the best of up to this many windows counts. Steps that allocate do so in every window.
 */
const WINDOWS = 8;

const session = new Session();
session.connect();

/** A DevTools protocol call; the in-thread session answers synchronously. */
function post<T>(method: string, params?: object): T {
  let answer: { error: Error | null; result?: T } | undefined;
  session.post(method, params, (error, result) => (answer = { error, result: result as T }));
  if (answer === undefined) throw new Error(`${method}: no synchronous answer`);
  if (answer.error) throw answer.error;
  return answer.result as T;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

/** Code whose allocations count: src/ and this file (where trainSteps' next() may be inlined); not the inspector's. */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const HERE = fileURLToPath(import.meta.url);
/** A frame's url is a path under vitest, a file: URL under plain Node. */
const ours = (url: string) => {
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  return path.startsWith(SRC) || path === HERE;
};

/** The frames of ours that allocated most in the last window, for the failure message. */
let lastTop = '';
function topFrames(head: ProfileNode): string {
  const by = new Map<string, number>();
  const walk = (n: ProfileNode) => {
    if (n.selfSize && ours(n.callFrame.url)) {
      const name = `${n.callFrame.functionName || '(anonymous)'} (${n.callFrame.url.split('/').slice(-2).join('/')})`;
      by.set(name, (by.get(name) ?? 0) + n.selfSize);
    }
    n.children.forEach(walk);
  };
  walk(head);
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([f, b]) => `${f}: ${b} B`).join('; ');
}

/** Bytes (estimated from samples, about every 32 bytes) allocated by `run` in src/ or this file. */
function allocated(run: () => void): number {
  post('HeapProfiler.startSampling', { samplingInterval: 32, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  try {
    run();
    const { profile } = post<{ profile: { head: ProfileNode } }>('HeapProfiler.getSamplingProfile');
    // Below our code, Node's own (node:…) frames and what they call are the profiler's calls, not a step's.
    const sum = (n: ProfileNode, under: boolean): number => {
      const url = n.callFrame.url;
      const counted = ours(url) || (under && !url.startsWith('node:'));
      return (counted ? n.selfSize : 0) + n.children.reduce((s, c) => s + sum(c, counted), 0);
    };
    lastTop = topFrames(profile.head);
    return sum(profile.head, false);
  } finally {
    post('HeapProfiler.stopSampling');
  }
}

/** The fewest bytes any of up to WINDOWS windows of `count` calls of step allocated, and every window's count. */
function fewest(step: () => void, count = STEPS): { least: number; windows: number[] } {
  const windows: number[] = [];
  const run = () => {
    for (let i = 0; i < count; i++) step();
  };
  while (windows.length < WINDOWS && !(Math.min(...windows) < LIMIT)) windows.push(allocated(run));
  return { least: Math.min(...windows), windows };
}

interface Case {
  layers: LayerSpec[];
  loss: LossName;
  optimizer: OptimizerConfig;
  batch: number | 'full';
  reduction?: Reduction;
  clip?: number;
  kernels?: Kernels;
  /** Inputs per row (default 3). */
  inputs?: number;
}

/** trainSteps on 12 rows (an epoch every few steps, so shuffles and epoch ends are inside the window), warmed up. */
function stepper(c: Case): TrainSteps {
  const rng = new Rng(11, 0);
  const inputs = c.inputs ?? 3;
  const out = c.layers[c.layers.length - 1].units;
  const x = fromRows(Array.from({ length: 12 }, () => Array.from({ length: inputs }, () => rng.uniform(-1, 1))));
  // Classes for softmax and sigmoid outputs (one-hot, or 0/1), values in (-1, 1) otherwise.
  const target = (r: number, k: number) => (c.loss === 'mse' ? rng.uniform(-1, 1) : out === 1 ? r % 2 : Number(r % out === k));
  const y = fromRows(Array.from({ length: 12 }, (_, r) => Array.from({ length: out }, (_, k) => target(r, k))));
  const kernels = c.kernels ?? defaultKernels();
  const net = createNetwork(inputs, c.layers, undefined, kernels);
  initialize(net, { scheme: 'xavier_uniform' }, new Rng(11, 1));
  let epochs = 0;
  const steps = trainSteps(net, x, y, {
    epochs: 1e9,
    batchSize: c.batch,
    shuffle: true,
    loss: c.loss,
    reduction: c.reduction ?? 'mean',
    optimizer: c.optimizer,
    clipGradNorm: c.clip,
    rng: new Rng(11, 2),
    dropoutRng: new Rng(11, 7),
    kernels,
    pauseEvery: 1, // as the runner for small networks: a pause after every batch
    onEpoch: () => void epochs++,
  });
  for (let i = 0; i < WARMUP; i++) steps.next(false);
  return steps;
}

/** Trains with c and expects a window of STEPS steps to allocate (next to) nothing. */
function expectNoAllocation(c: Case): void {
  const steps = stepper(c);
  const { least, windows } = fewest(() => {
    if (steps.next(false).done) throw new Error('training ended');
  });
  expect(least, `bytes allocated per ${STEPS} steps, per window: ${windows.join(', ')}; last window's top frames: ${lastTop}`).toBeLessThan(LIMIT);
}

const dense = (units: number, activation: LayerSpec['activation'], dropout?: number): LayerSpec => ({ units, activation, dropout });

describe('a training step allocates nothing', () => {
  it('the measurement sees one small object per step (the control: without it, a pass would mean nothing)', () => {
    const sink: object[] = [{}, {}];
    const bytes = allocated(() => {
      for (let i = 0; i < STEPS; i++) sink[i & 1] = { epoch: i, steps: i }; // as the old trainSteps' pauses
    });
    expect(bytes).toBeGreaterThan(10 * LIMIT);
  });

  it('softmax with cross-entropy, sgd with momentum', () => {
    expectNoAllocation({ layers: [dense(8, 'tanh'), dense(3, 'softmax')], loss: 'cross_entropy', optimizer: { type: 'sgd', learning_rate: 0.1, momentum: 0.9 }, batch: 4 });
  });

  it('tanh with mse, adam, online (batch 1)', () => {
    expectNoAllocation({ layers: [dense(8, 'tanh'), dense(2, 'tanh')], loss: 'mse', optimizer: { type: 'adam', learning_rate: 0.01 }, batch: 1 });
  });

  it('dropout, adamw, a smaller last batch', () => {
    expectNoAllocation({ layers: [dense(8, 'relu', 0.2), dense(3, 'softmax')], loss: 'cross_entropy', optimizer: { type: 'adamw', learning_rate: 0.01 }, batch: 5 });
  });

  it('linear and sigmoid with binary cross-entropy, gradient clipping, the whole set as one batch', () => {
    const layers = [dense(6, 'linear'), dense(1, 'sigmoid')];
    expectNoAllocation({ layers, loss: 'binary_cross_entropy', optimizer: { type: 'sgd', learning_rate: 0.1 }, batch: 'full', clip: 0.5 });
  });

  it('leaky_relu with mse summed, rmsprop (centered, momentum); a hidden softmax, adagrad', () => {
    expectNoAllocation({ layers: [dense(5, 'leaky_relu'), dense(2, 'linear')], loss: 'mse', reduction: 'sum', optimizer: { type: 'rmsprop', learning_rate: 0.01, momentum: 0.5, centered: true }, batch: 3 });
    expectNoAllocation({ layers: [dense(5, 'sigmoid'), dense(4, 'softmax'), dense(2, 'sigmoid')], loss: 'mse', optimizer: { type: 'adagrad', learning_rate: 0.1 }, batch: 2 });
  });

  // NOTE: the one wasm kernel set of defaultKernels() only. With a second set in the process (createWasmKernels), the
  // optimizers' calls into wasm see two targets, are no longer inlined, and box their float arguments every step.
  it('products large enough for the wasm kernels (16 × 16 units, batch 8: 2048 multiply-adds), and the scalar kernels', () => {
    const c: Case = { inputs: 16, layers: [dense(16, 'relu'), dense(16, 'tanh'), dense(3, 'softmax')], loss: 'cross_entropy', optimizer: { type: 'adam', learning_rate: 0.01 }, batch: 8 };
    expectNoAllocation(c);
    expectNoAllocation({ ...c, kernels: scalarKernels });
  });

  it('rows of 200 inputs, copied into the batch through row views (training/batch.ts)', () => {
    expectNoAllocation({ inputs: 200, layers: [dense(4, 'relu'), dense(2, 'softmax')], loss: 'cross_entropy', optimizer: { type: 'sgd', learning_rate: 0.1 }, batch: 4 });
  });
});
