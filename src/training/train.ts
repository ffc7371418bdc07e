// The training loop: epochs of batches, a weight update after every `batch_size` samples (1 = online,
// N = mini-batch, 'full' = the whole set). The last batch of an epoch may be smaller and is averaged over
// its own size. Logging and metrics are the caller's, through onEpoch. Divergence (a non-finite loss,
// gradient or weight) stops training before the bad update is applied; see divergence.ts.
// A run stopped at the end of an epoch continues from its TrainState (saveState, then resume) with the same bits.
// A batch too large for memory goes through forward and backward in row chunks (chunkRows), with one pass's bits.

import type { Kernels } from '../kernels/index.js';
import type { Matrix } from '../matrix.js';
import type { LossName, Reduction } from '../model/losses.js';
import { backward, createWorkspace, forward, lossOf, lossTotalOf, reducedLoss, type Network, type Workspace } from '../model/network.js';
import type { Rng, RngState } from '../random.js';
import { diagnose, FiniteChecks, type Divergence } from './divergence.js';
import { clipGradients } from './clip.js';
import { RowGather } from './batch.js';
import { createOptimizer, type Optimizer, type OptimizerConfig, type OptimizerState, type Param } from './optimizers/index.js';

export type { Divergence, DivergedValue } from './divergence.js';

export interface TrainLoopOptions {
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
  /**
   * Rows that forward and backward take at a time (default: the whole batch). A larger batch goes in chunks of this
   * many rows, its gradients summed over the chunks in row order: the same bits as one pass (Kernels.paramGrads
   * continues each sum), in the memory of one chunk. Not with dropout (its masks are drawn over the whole batch).
   */
  chunkRows?: number;
  /**
   * Continue from the end of an epoch as saveState() left it (the network already holds that epoch's weights): the
   * same updates, shuffles and dropout masks follow as in a run that was never stopped. rng and dropoutRng are set to it.
   */
  resume?: TrainState;
}

/**
 * Where training stands at the end of an epoch (TrainSteps.saveState, called from onEpoch): the epochs and updates
 * made, the row order the next shuffle starts from, the optimizer's state and the random streams'.
 */
export interface TrainState {
  epoch: number;
  steps: number;
  order: Int32Array;
  optimizer: OptimizerState;
  shuffle: RngState;
  dropout?: RngState;
}

/** How training ended: updates made, whole epochs finished, and the divergence that stopped it, if any. */
export interface TrainOutcome {
  steps: number;
  epochs: number;
  divergence?: Divergence;
  /** Stopped by the caller (onEpoch returned false, or true was passed to next() at a pause). */
  stopped: boolean;
}

/**
 * A batch boundary, or the end of a row chunk of a batch too large for one pass: the caller may yield to the event
 * loop here, and stop training by next(true) (a batch stopped between its chunks is left undone). Reused: read it at once.
 */
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
export function train(net: Network, x: Matrix, y: Matrix, opts: TrainLoopOptions): number {
  return trainToEnd(net, x, y, { ...opts, pauseEvery: Infinity }).steps;
}

/** train() that also says how it ended (divergence, early stop). */
export function trainToEnd(net: Network, x: Matrix, y: Matrix, opts: TrainLoopOptions): TrainOutcome {
  const run = trainSteps(net, x, y, opts);
  for (;;) {
    const r = run.next(false);
    if (r.done) return r.value;
  }
}

/** trainSteps' iterator: next(false) trains to the next pause, next(true) at a pause stops there. */
export type TrainSteps = Iterator<Pause, TrainOutcome, boolean | undefined>;

/** trainSteps' own iterator, whose saveState() is for onEpoch (an epoch's end, before the next shuffle): a TrainState. */
export type ResumableSteps = TrainSteps & { saveState(): TrainState };

/**
 * The training loop, paused (a Pause returned) at batch boundaries, every opts.pauseEvery batches, so an async
 * caller can let signal handlers run; the last result is the outcome. NOTE: not a generator, whose every
 * next() allocates its result object: each pause returns the same object, its Pause updated in place.
 */
export function trainSteps(net: Network, x: Matrix, y: Matrix, opts: TrainLoopOptions): ResumableSteps {
  return new Steps(net, x, y, opts);
}

class Steps implements ResumableSteps {
  private readonly n: number;
  private readonly batch: number;
  /** Rows forward and backward take at a time (TrainLoopOptions.chunkRows): the batch, or less. */
  private readonly chunk: number;
  /** Of a batch in chunks, the rows whose forward and backward are made (chunkPass). */
  private chunkAt = 0;
  private readonly ws: Workspace;
  private readonly params: Param[];
  private readonly optimizer: Optimizer;
  private readonly clip: number | null;
  private readonly dropoutRng: Rng | undefined;
  private readonly order: Int32Array;
  private readonly xRows: RowGather;
  private readonly yRows: RowGather;
  private readonly xb: Float64Array;
  private readonly yb: Float64Array;
  private readonly pauseEvery: number;
  /** The gradients' check every step, the weights' every epoch. */
  private readonly finite: FiniteChecks;
  /** The epoch under way (0: none yet) and the first row of its next batch (n: the epoch is over). */
  private epoch = 0;
  private start: number;
  private steps = 0;
  private sincePause = 0;
  private paused = false;
  private readonly pause: Pause = { epoch: 0, steps: 0 };
  /** xb and yb already hold the batch starting at `start` (copied beside the last update). */
  private prefetched = false;
  /** Resumed at the end of epoch `epoch`: its onEpoch ran before the checkpoint, so the first boundary skips it. */
  private resumed = false;
  /** The optimizer's update, and the next batch's copy made beside it (both made once: a step allocates nothing). */
  private readonly update = (): void => this.optimizer.step();
  private readonly prefetch = (): void => {
    if (this.start >= this.n) return; // the next epoch's rows come after its shuffle
    if (this.chunk < this.batch) return; // xb holds a chunk: the next batch is gathered chunk by chunk (chunkPass)
    this.gather(this.start, Math.min(this.batch, this.n - this.start));
    this.prefetched = true;
  };
  private readonly pauseResult: IteratorYieldResult<Pause> = { done: false, value: this.pause };
  private ended: IteratorReturnResult<TrainOutcome> | undefined;

  constructor(private readonly net: Network, x: Matrix, y: Matrix, private readonly opts: TrainLoopOptions) {
    const n = (this.n = this.start = x.rows);
    if (opts.batchSize !== 'full' && !(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) {
      throw new RangeError(`batchSize must be a whole number >= 1 or 'full', got ${opts.batchSize}`);
    }
    const batch = (this.batch = opts.batchSize === 'full' ? n : Math.min(opts.batchSize, n));
    if (opts.chunkRows !== undefined && !(Number.isInteger(opts.chunkRows) && opts.chunkRows >= 1)) throw new RangeError(`chunkRows must be a whole number >= 1, got ${opts.chunkRows}`);
    const chunk = (this.chunk = Math.min(batch, opts.chunkRows ?? batch));
    const dropping = net.layers.some((l) => l.dropout > 0);
    if (chunk < batch && dropping) throw new Error('train: a batch in row chunks cannot have dropout (its masks are drawn over the whole batch)');
    const ws = (this.ws = createWorkspace(net, chunk, opts.kernels));
    this.params = parameters(net, ws.dw, ws.db);
    this.finite = new FiniteChecks(net, ws);
    this.optimizer = createOptimizer(opts.optimizer, this.params, ws.kernels);
    this.clip = opts.clipGradNorm ?? null;
    if (dropping && !opts.dropoutRng) throw new Error('train: a layer has dropout but no dropoutRng was given');
    this.dropoutRng = dropping ? opts.dropoutRng : undefined;
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.xRows = new RowGather(x, ws.kernels);
    this.yRows = new RowGather(y, ws.kernels);
    this.xb = ws.kernels.alloc(chunk * x.cols); // in the kernels' memory: used in place, never copied
    this.yb = ws.kernels.alloc(chunk * y.cols);
    this.pauseEvery = opts.pauseEvery ?? 1;
    if (opts.resume) this.resume(opts.resume);
  }

  saveState(): TrainState {
    if (this.start < this.n || this.epoch === 0) throw new Error('saveState: only at the end of an epoch (from onEpoch)');
    const { rng, dropoutRng } = this.opts;
    const state: TrainState = { epoch: this.epoch, steps: this.steps, order: Int32Array.from(this.order), optimizer: this.optimizer.saveState(), shuffle: rng.saveState() };
    if (dropoutRng) state.dropout = dropoutRng.saveState();
    return state;
  }

  private resume(state: TrainState): void {
    if (state.order.length !== this.n) throw new RangeError(`resume: a row order of ${state.order.length} rows, the data have ${this.n}`);
    this.epoch = state.epoch;
    this.steps = state.steps;
    this.order.set(state.order);
    this.optimizer.loadState(state.optimizer);
    this.opts.rng.loadState(state.shuffle);
    if (this.dropoutRng && !state.dropout) throw new RangeError("resume: no state of the dropout stream, which this network's dropout draws from");
    if (state.dropout) this.opts.dropoutRng?.loadState(state.dropout);
    this.resumed = true;
  }

  next(stop?: boolean): IteratorResult<Pause, TrainOutcome> {
    if (this.ended) return this.ended;
    if (stop === true && this.paused) return this.end({ steps: this.steps, epochs: this.epoch - 1, stopped: true });
    this.paused = false;
    for (;;) {
      if (this.start >= this.n) {
        const over = this.epoch > 0 && !this.resumed ? this.endEpoch() : undefined;
        this.resumed = false;
        if (over) return this.end(over);
        if (this.epoch + 1 > this.opts.epochs) return this.end({ steps: this.steps, epochs: this.opts.epochs, stopped: false });
        this.epoch++;
        if (this.opts.shuffle) this.opts.rng.shuffle(this.order);
        this.start = 0;
      }
      // A batch in row chunks pauses after each chunk (minutes of work each, for the batches that need chunks): a stop
      // there leaves the batch undone, as if stopped before it.
      if (this.chunkPass()) return this.pauseHere();
      const divergence = this.step();
      if (divergence) return this.end({ steps: this.steps, epochs: this.epoch - 1, divergence, stopped: false });
      this.steps++;
      if (++this.sincePause >= this.pauseEvery) {
        this.sincePause = 0;
        return this.pauseHere();
      }
    }
  }

  private pauseHere(): IteratorYieldResult<Pause> {
    this.paused = true;
    this.pause.epoch = this.epoch;
    this.pause.steps = this.steps;
    return this.pauseResult;
  }

  /** One batch: forward, backward, and the update unless a gradient is not finite (then the divergence). */
  private step(): Divergence | undefined {
    const { net, ws, xb, yb, opts } = this;
    const first = this.start;
    const rows = Math.min(this.batch, this.n - first);
    const chunked = rows > this.chunk;
    if (chunked) this.chunkAt = 0; // its chunks' passes made (chunkPass)
    else {
      if (!this.prefetched) this.gather(first, rows);
      forward(net, ws, xb, rows, this.dropoutRng);
      backward(net, ws, xb, yb, rows, opts.loss, opts.reduction);
    }
    this.prefetched = false;
    this.start += rows;
    // NOTE: one finiteness pass over the gradients per step (allFinite); the bad update is never applied.
    if (!this.finite.gradients()) {
      return diagnose(net, ws, chunked ? this.chunkedLoss(first, rows) : lossOf(net, ws, yb, rows, opts.loss, opts.reduction), this.epoch, this.steps);
    }
    if (this.clip !== null) clipGradients(this.params, this.clip);
    // NOTE: the update no longer reads xb or yb, so the next batch is copied into them while helper threads run the
    // update's parts (Kernels.overlap): mnist-shape's 64 rows of 784 take ≈80 µs, beside Adam's 160 µs on 2 threads.
    ws.kernels.overlap(this.prefetch, this.update);
    return undefined;
  }

  /**
   * The next chunk's forward and backward when the batch starting at `start` has more rows than a chunk: backward
   * adding to the gradients (the batch's first chunk starting them), the 'mean' over the batch's rows. True while
   * chunks of the batch are left; false once all are made (then step() checks and updates) or for a batch in one pass.
   * NOTE: nothing is copied beside the update (prefetch): the next batch's first chunk is gathered here.
   */
  private chunkPass(): boolean {
    const rows = Math.min(this.batch, this.n - this.start);
    if (rows <= this.chunk || this.chunkAt >= rows) return false;
    const { net, ws, xb, yb, opts } = this;
    const c = this.chunkAt;
    const n = Math.min(this.chunk, rows - c);
    this.gather(this.start + c, n);
    forward(net, ws, xb, n, undefined);
    backward(net, ws, xb, yb, n, opts.loss, opts.reduction, rows, c > 0);
    this.chunkAt = c + n;
    return this.chunkAt < rows;
  }

  /** lossOf for a batch in chunks (forward again): its loss summed chunk by chunk, in one pass's order. */
  private chunkedLoss(first: number, rows: number): number {
    const { net, ws, xb, yb, opts } = this;
    let total = 0;
    for (let c = 0; c < rows; c += this.chunk) {
      const n = Math.min(this.chunk, rows - c);
      this.gather(first + c, n);
      forward(net, ws, xb, n, undefined);
      total = lossTotalOf(net, ws, yb, n, opts.loss, total);
    }
    return reducedLoss(net, total, rows, opts.loss, opts.reduction);
  }

  /** Copies the rows order[at … at + count) into xb and yb. */
  private gather(at: number, count: number): void {
    this.xRows.gather(this.order, at, count, this.xb);
    this.yRows.gather(this.order, at, count, this.yb);
  }

  /** After the epoch's last batch: the outcome if training ends here, else undefined. */
  private endEpoch(): TrainOutcome | undefined {
    const { epoch, steps } = this;
    // Once per epoch: a weight that overflowed while every gradient stayed finite (relu can hide it).
    const bad = this.finite.firstBadWeight();
    if (bad !== undefined) return { steps, epochs: epoch - 1, divergence: { epoch, step: steps, value: 'weight', where: bad }, stopped: false };
    if (this.opts.onEpoch?.(epoch, steps, this.optimizer) === false) return { steps, epochs: epoch, stopped: true };
    return undefined;
  }

  private end(outcome: TrainOutcome): IteratorReturnResult<TrainOutcome> {
    return (this.ended = { done: true, value: outcome });
  }
}
