// Limits up front: before any large array is made, an estimate of the memory a run needs (data, network,
// training and evaluation buffers), refused with the estimate in the message when it would not fit, instead of
// a RangeError or V8 running out of heap mid-way. Two limits: the machine's memory, shared by the runs under way
// at once (--jobs N), and the wasm kernels' memory, one per thread, which no WebAssembly memory can take past
// MAX_HEAP_BYTES (kernels/heap.ts), whatever the machine has. The runs at once share their data (made once for
// the invocation, runner/datacache.ts), so the data count once, the rest once per run; the splits that cache
// keeps for later runs (at most a 16th of the machine's memory) are not counted. Each run is checked alone as it is
// prepared (checkMemory); the runs at once once the invocation's runs are known (checkRunsAtOnce: the costliest of
// the runs it will train, of every file given, a shard's only), since the runs of several files go side by side. Both limits are checked for
// every kernel set, so a run is refused or not whichever kernels would train it. A training batch whose arrays would
// not fit the kernels' memory is trained in row chunks instead (chunkRows; training/train.ts: the same bits as one
// pass), except with dropout, whose masks are drawn over the whole batch: that run is refused.

import { totalmem } from 'node:os';
import { formatPath, UserError, type KeyPath } from '../errors.js';
import type { LoadedExperiment } from '../config/load.js';
import { optimizers, type OptimizerConfig, type OptimizerDescriptor } from '../training/optimizers/index.js';
import { MAX_HEAP_BYTES } from '../kernels/heap.js';
import { CHUNK } from '../model/evaluator.js';
import { IN_KERNELS_BYTES } from '../training/batch.js';
import type { PreparedData } from '../data/load.js';

/** Rows of evaluation at a time (model/evaluator.ts CHUNK is at most this). */
const EVAL_CHUNK = 4096;
/** The share of the machine's memory a run may plan to use. */
const SHARE = 0.6;
/** The share of the kernels' memory a run may plan to use: the rest for what the estimate leaves out (the free
 *  list's gaps, the kernels' scratch blocks growing by doubling). */
const HEAP_SHARE = 0.9;
/** Values a wasm product stages from outside the memory at once (kernels/wasm.ts STAGED), and the kernels' fixed
 *  blocks (static data, settings, a thread pool's block), in bytes. */
const STAGED = 1 << 16;
const FIXED_BYTES = 1 << 20;

export interface MemoryEstimate {
  data: number;
  /** Of the data, one split and scaled copy: runs at once with other seeds (a sweep's) each hold their own. */
  split: number;
  network: number;
  buffers: number;
  /** All of the above: the machine's memory one run takes. */
  total: number;
  /** Of the total, what lies in the wasm kernels' memory: the part that does not depend on the batch size, and
   *  the part per row of a training batch (or chunk). */
  heap: { fixed: number; perRow: number; total: number };
  /** Rows of a training batch that forward and backward take at a time: the batch's, or fewer when its arrays would
   *  not fit the kernels' memory (at least 1; without dropout only). */
  chunkRows: number;
}

/** Per-parameter arrays an optimizer keeps: its descriptor says (training/optimizers/). */
function optimizerStates(o: OptimizerConfig): number {
  return (optimizers[o.type] as OptimizerDescriptor<OptimizerConfig>).buffers(o);
}

/**
 * For the tests that a run trains its batches in row chunks from end to end (test/runs/chunked-run.test.ts):
 * with `bytes` set, the kernels' memory a run may plan to use, instead of HEAP_SHARE of MAX_HEAP_BYTES. Otherwise
 * only a batch of gigabytes would be chunked, and the session's path to the chunks would go untested.
 */
export const heapBudgetForTests: { bytes?: number } = {};

/** The kernels' memory one run may plan to use, by default. */
const heapBudgetNow = (): number => heapBudgetForTests.bytes ?? MAX_HEAP_BYTES * HEAP_SHARE;

/** Bytes a run of exp needs with `rows` examples of `inputs` features (float64 everywhere), `trainRows` of them
 *  training rows (default: all; known once the data are split), its batch in chunks that fit `heapBudget`. */
export function estimateMemory(exp: LoadedExperiment, rows: number, inputs: number, trainRows = rows, heapBudget = heapBudgetNow()): MemoryEstimate {
  const layers = exp.config.model.layers;
  const outputs = layers[layers.length - 1].units;
  const widths = [inputs, ...layers.map((l) => l.units)];
  let params = 0;
  let widest = 0;
  for (let k = 1; k < widths.length; k++) {
    params += widths[k - 1] * widths[k] + widths[k];
    widest = Math.max(widest, widths[k - 1] * widths[k]);
  }
  const units = widths.reduce((s, w) => s + w, 0);
  const bs = exp.config.training.batch_size;
  const split = 8 * rows * (inputs + outputs);
  const data = 3 * split; // parsed, encoded and split copies
  const network = 8 * params * 6; // initial, trained, gradients, two optimizer states, model file
  // In the kernels' memory: the initial network, the trained one, its gradients and the optimizer's state; per
  // batch row its inputs and targets and each layer's z, a, dz, da (a dropout layer: its mask and output too);
  // the evaluation's z and a (and dropout arrays) per chunk row; scratch: the staged inputs, w transposed (each
  // up to twice the need: scratch blocks grow by doubling); the training inputs and targets, each when small
  // enough to be gathered there (training/batch.ts IN_KERNELS_BYTES).
  const hidden = units - inputs;
  const dropped = layers.reduce((s, l) => s + ((l.dropout ?? 0) > 0 ? l.units : 0), 0);
  const fixed = 8 * (params * (3 + optimizerStates(exp.config.training.optimizer)) + CHUNK * (2 * hidden + 2 * dropped) +
    2 * (STAGED + 4 * inputs) + 2 * widest) + FIXED_BYTES + inKernels(trainRows * inputs) + inKernels(trainRows * outputs);
  const perRow = 8 * (inputs + outputs + 4 * hidden + 2 * dropped);
  const batchRows = Math.max(1, bs === 'full' ? trainRows : Math.min(bs, trainRows));
  const chunkRows = dropped > 0 ? batchRows : Math.max(1, Math.min(batchRows, Math.floor((heapBudget - fixed) / perRow)));
  const heap = { fixed, perRow, total: fixed + chunkRows * perRow };
  const buffers = 8 * (4 * chunkRows * units + 4 * Math.min(rows, EVAL_CHUNK) * units + 2 * rows * outputs);
  return { data, split, network, buffers, total: data + network + buffers, heap, chunkRows };
}

/** What the estimate reads of prepared data: all its rows, its inputs, its training rows. */
export const memoryShapeOf = (data: PreparedData) => ({
  rows: data.train.x.rows + (data.validation?.x.rows ?? 0) + (data.test?.x.rows ?? 0),
  inputs: data.train.x.cols,
  trainRows: data.train.x.rows,
});

/** The rows at a time of exp's training batches on `data` (TrainLoopOptions.chunkRows): a batch's, or fewer (estimateMemory). */
export function trainingChunkRows(exp: LoadedExperiment, data: PreparedData): number {
  const { rows, inputs, trainRows } = memoryShapeOf(data);
  return estimateMemory(exp, rows, inputs, trainRows).chunkRows;
}

/** The bytes of a training matrix of n values copied into the kernels' memory (training/batch.ts), or 0. */
const inKernels = (n: number): number => (8 * n <= IN_KERNELS_BYTES ? 8 * n : 0);

const size = (bytes: number) => {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let k = 0;
  while (bytes >= 1000 && k < units.length - 1) (bytes /= 1000), k++;
  return `${Number(bytes.toPrecision(3))} ${units[k]}`;
};

export interface MemoryLimits {
  /** The machine's memory the runs may use (default: SHARE of it). */
  budget?: number;
  /** The kernels' memory one run may use (default: HEAP_SHARE of MAX_HEAP_BYTES). */
  heapBudget?: number;
  /** The training rows among `rows`, once known (a batch_size of full is that many). */
  trainRows?: number;
}

/**
 * Refuses a run whose estimate exceeds the share of this machine's memory, or the kernels' memory, located where it
 * can be made smaller. The runs at once are checkRunsAtOnce's, once the invocation's runs are known.
 */
export function checkMemory(exp: LoadedExperiment, rows: number, inputs: number, limits: MemoryLimits = {}): void {
  const { budget = totalmem() * SHARE, heapBudget = heapBudgetNow() } = limits;
  const e = estimateMemory(exp, rows, inputs, limits.trainRows, heapBudget);
  // One run on the machine, then the kernels' memory (its limit holds for each run); the runs at once come later
  // (checkRunsAtOnce): a run that cannot fit alone is refused with the same message serially and with --jobs.
  checkAtOnce([{ exp, estimate: e, source: '' }], 1, budget);
  const at = (path: KeyPath) => ({ ...exp.source.at(path), path: formatPath(path) });
  if (e.heap.total > heapBudget) {
    const batch = e.heap.total - e.heap.fixed;
    const most = Math.floor((heapBudget - e.heap.fixed) / e.heap.perRow);
    const what = `this run's arrays in the kernels' memory would take about ${size(e.heap.total)} (${size(batch)} for its training batches, ` +
      `${size(e.heap.fixed)} for the network, its gradients, optimizer state and evaluation), more than the ${size(heapBudget)} a run may use ` +
      `there (WebAssembly memory stops at ${size(MAX_HEAP_BYTES)}, whatever the machine has)`;
    if (batch >= e.heap.fixed && most >= 1) {
      // NOTE: only with dropout (estimateMemory chunks any other batch to fit): its masks are drawn over the whole batch.
      throw new UserError('check', `${what}, and a batch with dropout is not trained in row chunks: set training.batch_size to ${most} or less, or use fewer or smaller layers`, at(['training', 'batch_size']));
    }
    throw new UserError('check', `${what}: use fewer or smaller layers in model.layers`, at(['model', 'layers']));
  }
}

/** What memoryShapeOf reads of a run's data: the estimate's rows, inputs and training rows. */
export type MemoryShape = ReturnType<typeof memoryShapeOf>;

/** A run of the invocation with the shape of its data and the key of its data's source (data/load.ts dataKeys). */
export interface RunToRun {
  exp: LoadedExperiment;
  shape: MemoryShape;
  /** Runs of one source share its read and parsed copies (runner/datacache.ts). */
  source: string;
}

/**
 * Refuses the runs this invocation will train (`runs`: a shard's, those not skipped) when `jobs` of them under way at
 * once would not fit the machine's share: runs of several files go side by side, and a shard runs only its own.
 */
export function checkRunsAtOnce(runs: readonly RunToRun[], jobs: number, budget = totalmem() * SHARE): void {
  if (Math.min(jobs, runs.length) <= 1) return; // one run at a time: each was checked alone (checkMemory)
  const estimated = runs.map(({ exp, shape, source }) => ({ exp, source, estimate: estimateMemory(exp, shape.rows, shape.inputs, shape.trainRows) }));
  checkAtOnce(estimated, jobs, budget);
}

/**
 * The machine's memory for min(jobs, runs) runs at once. NOTE: every source's read and parsed copies count once (the
 * invocation keeps them: runner/datacache.ts), whichever runs are under way; then the network, buffers and a split
 * of each of the costliest runs that can be under way together (runs at once may have other seeds, each seed its own
 * split). For N runs of one file: data + N × (network + buffers) + (N − 1) splits. Located at the costliest run.
 */
function checkAtOnce(runs: readonly { exp: LoadedExperiment; estimate: MemoryEstimate; source: string }[], jobs: number, budget: number): void {
  const count = Math.min(jobs, runs.length);
  const each = ({ estimate: e }: (typeof runs)[number]) => e.network + e.buffers + e.split;
  const sources = new Map(runs.map((r) => [r.source, r.estimate.data - r.estimate.split]));
  const atOnce = [...runs].sort((a, b) => each(b) - each(a)).slice(0, count);
  const needed = [...sources.values()].reduce((s, d) => s + d, 0) + atOnce.reduce((s, r) => s + each(r), 0);
  if (needed <= budget) return;
  const { exp, estimate: e } = atOnce[0];
  const own = e.network + e.buffers;
  const path: KeyPath = e.data >= own ? ['data'] : ['model', 'layers'];
  const alike = atOnce.every((r) => each(r) === each(atOnce[0])) && sources.size === 1;
  const eachText = alike ? `each about ${size(own + e.split)} besides the data they share` : `the largest about ${size(own + e.split)} besides the data`;
  const need = count > 1 ? `${count} runs at once (--jobs ${jobs}) would need about ${size(needed)} of memory, ${eachText}` : `this run would need about ${size(e.total)} of memory`;
  throw new UserError(
    'check',
    `${need} (data ${size(e.data)}, network ${size(e.network)}, training and evaluation buffers ${size(e.buffers)}), more than the ` +
      `${size(budget)} ${count > 1 ? 'they' : 'it'} may use on this machine: use ${count > 1 ? 'fewer --jobs, ' : ''}fewer or smaller layers, fewer examples or a smaller batch_size`,
    { ...exp.source.at(path), path: formatPath(path) },
  );
}
