// The training loop: epochs of batches, a weight update after every `batch_size` samples (1 = online,
// N = mini-batch, 'full' = the whole set). The last batch of an epoch may be smaller and is averaged over
// its own size. Logging and metrics are the caller's, through onEpoch. Divergence (a non-finite loss,
// gradient or weight) stops training before the bad update is applied; see divergence.ts.

import type { Kernels } from '../kernels/index.js';
import type { Matrix } from '../matrix.js';
import type { LossName, Reduction } from '../model/losses.js';
import { backward, createWorkspace, forward, type Network } from '../model/network.js';
import type { Rng } from '../random.js';
import { diagnose, firstNonFiniteWeight, gradientsFinite, type Divergence } from './divergence.js';
import { clipGradNorm } from './clip.js';
import { createOptimizer, type Optimizer, type OptimizerConfig, type Param } from './optimizers/index.js';

export type { Divergence, DivergedValue } from './divergence.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number | 'full';
  /** Reshuffle the row order every epoch (from rng); otherwise batches are consecutive rows in order. */
  shuffle: boolean;
  loss: LossName;
  reduction: Reduction;
  optimizer: OptimizerConfig;
  /** Rescale the gradients when their global L2 norm exceeds this (clip.ts); null or absent: never. */
  clipGradNorm?: number | null;
  /** The experiment's 'shuffle' stream. */
  rng: Rng;
  /** The experiment's 'dropout' stream: masks for layers with dropout (none are drawn without such a layer). */
  dropoutRng?: Rng;
  /**
   * Called after each epoch with the number of weight updates so far and the optimizer (a schedule sets its
   * learningRate for the next epoch here); return false to stop early.
   */
  onEpoch?: (epoch: number, steps: number, optimizer: Optimizer) => boolean | void;
  /** The kernels running the products (default: defaultKernels(), the wasm ones where they run). */
  kernels?: Kernels;
  /** trainSteps: pause (yield) after every this many batches (default 1). */
  pauseEvery?: number;
}

/** How training ended: updates made, whole epochs finished, and the divergence that stopped it, if any. */
export interface TrainOutcome {
  steps: number;
  epochs: number;
  divergence?: Divergence;
  /** Stopped by the caller (onEpoch returned false, or true was passed to next() at a pause). */
  stopped: boolean;
}

/** A batch boundary: the caller may yield to the event loop here, and stop training by next(true). */
export interface Pause {
  epoch: number;
  steps: number;
}

/** The network's parameters paired with the workspace's gradient arrays, weights decayed, biases not. */
export function parameters(net: Network, dw: Float64Array[], db: Float64Array[]): Param[] {
  return net.layers.flatMap((l, k) => [
    { value: l.w, grad: dw[k], decay: true },
    { value: l.b, grad: db[k], decay: false },
  ]);
}

/** Trains net in place on x: (rows, inputs), y: (rows, nOut); returns the number of weight updates. */
export function train(net: Network, x: Matrix, y: Matrix, opts: TrainOptions): number {
  return trainToEnd(net, x, y, { ...opts, pauseEvery: Infinity }).steps;
}

/** train() that also says how it ended (divergence, early stop). */
export function trainToEnd(net: Network, x: Matrix, y: Matrix, opts: TrainOptions): TrainOutcome {
  const run = trainSteps(net, x, y, opts);
  for (;;) {
    const r = run.next(false);
    if (r.done) return r.value;
  }
}

/**
 * The training loop as a generator: it yields a Pause at batch boundaries (every opts.pauseEvery batches),
 * so an async caller can let signal handlers run, and returns the outcome. next(true) stops at that pause.
 */
export function* trainSteps(net: Network, x: Matrix, y: Matrix, opts: TrainOptions): Generator<Pause, TrainOutcome, boolean | undefined> {
  const n = x.rows;
  if (opts.batchSize !== 'full' && !(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) {
    throw new RangeError(`batchSize must be a whole number >= 1 or 'full', got ${opts.batchSize}`);
  }
  const batch = opts.batchSize === 'full' ? n : Math.min(opts.batchSize, n);
  const ws = createWorkspace(net, batch, opts.kernels);
  const params = parameters(net, ws.dw, ws.db);
  const optimizer = createOptimizer(opts.optimizer, params, ws.kernels);
  const clip = opts.clipGradNorm ?? null;
  const dropping = net.layers.some((l) => l.dropout > 0);
  if (dropping && !opts.dropoutRng) throw new Error('train: a layer has dropout but no dropoutRng was given');
  const dropoutRng = dropping ? opts.dropoutRng : undefined;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const xb = ws.kernels.alloc(batch * x.cols); // in the kernels' memory: used in place, never copied
  const yb = ws.kernels.alloc(batch * y.cols);
  const pauseEvery = opts.pauseEvery ?? 1;
  let steps = 0;
  let sincePause = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    if (opts.shuffle) opts.rng.shuffle(order);
    for (let start = 0; start < n; start += batch) {
      const rows = Math.min(batch, n - start);
      gather(x, order, start, rows, xb);
      gather(y, order, start, rows, yb);
      forward(net, ws, xb, rows, dropoutRng);
      backward(net, ws, xb, yb, rows, opts.loss, opts.reduction);
      // NOTE: one sum over the gradients per step; the bad update is never applied.
      if (!gradientsFinite(ws)) {
        const divergence = diagnose(net, ws, yb, rows, opts.loss, opts.reduction, epoch, steps);
        return { steps, epochs: epoch - 1, divergence, stopped: false };
      }
      if (clip !== null) clipGradNorm(params, clip);
      optimizer.step();
      steps++;
      if (++sincePause >= pauseEvery) {
        sincePause = 0;
        if ((yield { epoch, steps }) === true) return { steps, epochs: epoch - 1, stopped: true };
      }
    }
    // Once per epoch: a weight that overflowed while every gradient stayed finite (relu can hide it).
    const bad = firstNonFiniteWeight(net);
    if (bad !== undefined) return { steps, epochs: epoch - 1, divergence: { epoch, step: steps, value: 'weight', where: bad }, stopped: false };
    if (opts.onEpoch?.(epoch, steps, optimizer) === false) return { steps, epochs: epoch, stopped: true };
  }
  return { steps, epochs: opts.epochs, stopped: false };
}

/** Copies rows order[start .. start+rows) of m into out: (rows, m.cols). */
function gather(m: Matrix, order: Int32Array, start: number, rows: number, out: Float64Array): void {
  const cols = m.cols;
  for (let k = 0; k < rows; k++) {
    const from = order[start + k] * cols;
    for (let c = 0; c < cols; c++) out[k * cols + c] = m.data[from + c]; // NOTE: no subarray: views allocate
  }
}
