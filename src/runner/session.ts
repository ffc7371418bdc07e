// One training run in the making: the network, the evaluation buffers and the loss log, driven batch by batch
// (trainSteps) by run.ts, then summed up as a RunResult whatever the ending: completed, diverged (a
// non-finite loss, gradient or weight: no model kept) or interrupted (the log so far kept: no model kept).
// With hooks.checkpoint it hands over its whole state every N epochs, and it continues from such a state (resume).

import type { LoadedExperiment } from '../config/load.js';
import type { ExperimentConfig } from '../config/types.js';
import type { LogRow } from '../files/losslog.js';
import { RUN_FORMAT, type RunRecord, type RunStatus } from '../files/runfile.js';
import type { PreparedData } from '../data/load.js';
import { trainSteps, type Divergence, type ResumableSteps, type TrainOutcome, type TrainState, type TrainSteps } from '../training/train.js';
import { wakeThreads } from '../kernels/index.js';
import { cloneNetwork } from '../model/network.js';
import type { ModelFile } from '../files/modelfile.js';
import { Rng } from '../random.js';
import { VERSION } from '../version.js';
import type { Prepared } from './prepare.js';
import { classificationRecord, modelOf } from './record.js';
import { EpochWatch, logsLearningRate, metricColumns, type WatchState } from './watch.js';

export { metricColumns } from './watch.js';

export interface RunResult {
  name: string;
  columns: string[];
  /** The loss log; when it was streamed out (onRow), only its last row. */
  rows: LogRow[];
  /** When streamed: the rows for the loss chart, at most CHART_ROWS of them, evenly thinned. */
  chartRows?: LogRow[];
  /** The last row's metrics. */
  final: Record<string, number>;
  /** The trained model; absent unless the run completed. */
  model?: ModelFile;
  config: ExperimentConfig;
  /** The experiment file's folder: relative paths in config start there. */
  baseDir: string;
  /** The run record; config_sha256 and inputs are filled when the files are made (runFiles). */
  run: RunRecord;
  /** The files read to prepare the run (absolute path → SHA-256 of those bytes), for run.json's inputs. */
  read?: Record<string, string>;
}

/** Where a run stands at the end of an epoch: its weights (each layer's, then its bias), the training loop's and the watch's state. */
export interface SessionState {
  weights: Float64Array[];
  train: TrainState;
  watch: WatchState;
}

/** A session's hooks: the loss log's rows, progress, and checkpoints (every `every` epochs, never after the last). */
export interface SessionHooks {
  onRow?: (row: LogRow) => void;
  onEpoch?: (epoch: number, epochs: number, trainLoss: number) => void;
  checkpoint?: { every: number; save(state: SessionState): void };
}

/** At most this many loss-log rows are kept for the loss chart of a streamed log (memory stays flat). */
const CHART_ROWS = 2000;

/** Keeps every k-th row (k doubling whenever more than CHART_ROWS are kept), and always the last one. */
function thinned(): { add(row: LogRow): void; rows(): LogRow[] } {
  let kept: LogRow[] = [];
  let every = 1;
  let seen = 0;
  let last: LogRow | undefined;
  return {
    add(row) {
      if (seen++ % every === 0) kept.push(row);
      last = row;
      if (kept.length > CHART_ROWS) (kept = kept.filter((_, i) => i % 2 === 0)), (every *= 2);
    },
    rows: () => (last !== undefined && kept[kept.length - 1] !== last ? [...kept, last] : kept),
  };
}

/** Multiply-adds of work between two pauses of the training loop (about 0.1 ms): see pauseEvery. */
const PAUSE_WORK = 2e5;

/** The loss log's columns: epoch, step, the metrics, and learning_rate with a schedule. */
export function logColumns(cfg: ExperimentConfig, data: PreparedData): string[] {
  return ['epoch', 'step', ...metricColumns(data), ...(logsLearningRate(cfg) ? ['learning_rate'] : [])];
}

/** A run's training, as an iterator of pauses (trainSteps), and its result once the iterator is done. */
export function startSession(exp: LoadedExperiment, prepared: Prepared, hooks: SessionHooks, resume?: SessionState & { rows: LogRow[] }) {
  wakeThreads(); // rested by runExperiment once the run before had trained
  const started = new Date();
  const { config: cfg } = exp;
  const data = prepared.data;
  const net = cloneNetwork(prepared.network);
  if (resume) net.layers.forEach((l, k) => (l.w.set(resume.weights[2 * k]), l.b.set(resume.weights[2 * k + 1])));
  const { epochs } = cfg.training;
  const rows: LogRow[] = [];
  const chart = thinned();
  let lossDivergence: Divergence | undefined;
  // Every logged row passes here: a non-finite loss stops the run (divergence) and is never logged.
  const log = (row: LogRow) => {
    const bad = Object.keys(row).find((k) => k.endsWith('_loss') && !Number.isFinite(row[k]));
    if (bad !== undefined) return void (lossDivergence ??= { epoch: row.epoch, step: row.step, value: 'loss', where: bad });
    if (hooks.onRow) rows.length = 0; // streamed: keep only the last row, and a thinned copy for the chart
    rows.push(row);
    hooks.onRow?.(row);
    if (hooks.onRow) chart.add(row);
  };
  // Resumed: the log's rows so far stand as logged (the chart's and the last row), and epoch 0 is not logged again.
  for (const row of resume?.rows ?? []) {
    if (hooks.onRow) (rows[0] = row), chart.add(row);
    else rows.push(row);
  }
  const watch = new EpochWatch(net, data, cfg, log, resume?.watch);
  const checkpoint = hooks.checkpoint;
  // A loss that is not finite before the first update (targets near 1e200, say): a divergence at epoch 0, nothing trained.
  const before = lossDivergence;
  const batch = cfg.training.batch_size === 'full' ? data.train.x.rows : cfg.training.batch_size;
  const params = net.layers.reduce((s, l) => s + l.w.length + l.b.length, 0);
  const steps: TrainSteps | ResumableSteps = before ? untrained() : trainSteps(net, data.train.x, data.train.y, {
    epochs,
    batchSize: cfg.training.batch_size,
    shuffle: cfg.training.shuffle,
    loss: cfg.loss,
    reduction: cfg.reduction,
    optimizer: cfg.training.optimizer,
    clipGradNorm: cfg.training.clip_grad_norm,
    rng: Rng.stream(cfg.seed, 'shuffle'),
    dropoutRng: Rng.stream(cfg.seed, 'dropout'),
    pauseEvery: Math.max(1, Math.floor(PAUSE_WORK / (Math.min(batch, data.train.x.rows) * params))),
    resume: resume?.train,
    onEpoch: (epoch, step, optimizer) => {
      const go = watch.endEpoch(epoch, step, optimizer);
      if (lossDivergence) return false;
      hooks.onEpoch?.(epoch, epochs, rows[rows.length - 1].train_loss);
      // NOTE: after the watch stepped the schedule: the optimizer's learning rate saved is the next epoch's.
      if (go && checkpoint && epoch % checkpoint.every === 0 && epoch < epochs) {
        const weights = net.layers.flatMap((l) => [Float64Array.from(l.w), Float64Array.from(l.b)]);
        checkpoint.save({ weights, train: (steps as ResumableSteps).saveState(), watch: watch.saveState() });
      }
      return go;
    },
  });

  function finish(outcome: TrainOutcome, signal?: string): RunResult {
    const divergence = outcome.divergence ?? lossDivergence;
    const status: RunStatus = divergence ? 'diverged' : outcome.stopped && signal !== undefined ? 'interrupted' : 'completed';
    const stopping = status === 'completed' ? watch.finish() : undefined;
    // The model written is the one measured last, unless early stopping put the best epoch's weights back.
    const { epoch: _e, step: _s, learning_rate: _lr, ...last } = rows[rows.length - 1] ?? {}; // no row: not finite at epoch 0
    const final = stopping?.restored_best ? watch.measure() : last;
    const classified = status === 'completed' ? classificationRecord(data, watch.outputs(data.test ? 'test' : 'train')!) : undefined;
    const ended = new Date();
    const run: RunRecord = {
      format: RUN_FORMAT,
      ...(cfg.run_id !== undefined ? { run_id: cfg.run_id } : {}),
      name: cfg.name,
      file: exp.file,
      seed: cfg.seed,
      status,
      started: started.toISOString(),
      ended: ended.toISOString(),
      duration_ms: ended.getTime() - started.getTime(),
      node: process.version,
      mlplab: VERSION,
      task: data.kind === 'regression' ? 'regression' : 'classification',
      kind: data.kind,
      ...(data.strata !== undefined ? { strata: data.strata } : {}),
      epochs,
      steps: outcome.steps,
      ...(status === 'completed' ? {} : { epochs_done: lossDivergence ? Math.max(0, lossDivergence.epoch - 1) : outcome.epochs }),
      ...(divergence ? { divergence: { ...divergence, cause: divergence.epoch === 0 ? scaleCause(data) : divergenceCause(cfg) } } : {}),
      ...(status === 'interrupted' ? { signal } : {}),
      final,
      ...(stopping ? { stopping } : {}),
      ...(classified ?? {}),
      ...(data.test ? { test_rows: Array.from(data.split.test) } : {}),
      ...(data.validation ? { validation_rows: Array.from(data.split.validation) } : {}),
      config_sha256: '',
      inputs: [],
    };
    const model: { model?: ModelFile } = status === 'completed' ? { model: modelOf(net, data, cfg) } : {};
    const streamed = hooks.onRow ? { chartRows: chart.rows() } : {};
    return { name: cfg.name, columns: logColumns(cfg, data), rows, ...streamed, final, ...model, config: cfg, baseDir: exp.baseDir, run, read: { ...data.read, ...prepared.read } };
  }
  return { steps, finish };
}

/** The likely cause of a divergence, in a sentence naming the key to change and its value. */
export function divergenceCause(cfg: ExperimentConfig): string {
  const lr = cfg.training.optimizer.learning_rate;
  return `the learning rate training.optimizer.learning_rate = ${lr} is likely too large for this data and network: try ${Number((lr / 10).toPrecision(3))} or smaller`;
}

/** The likely cause of a loss that is not finite before any update: the size of the targets or inputs. */
export function scaleCause(data: PreparedData): string {
  const largest = (m: { data: Float64Array }) => m.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const y = largest(data.train.y);
  const x = largest(data.train.x);
  const which = y >= x ? `targets (up to ${y.toPrecision(3)})` : `inputs (up to ${x.toPrecision(3)})`;
  const fix = y >= x ? 'data.preprocess: { targets: standardize }' : 'data.preprocess: standardize';
  return `the loss was not finite before any update, so the ${which} are likely too large for float64 arithmetic: scale them (${fix}) or check the data`;
}

/** Training steps for a run that cannot start (its loss is not finite at epoch 0): over at once, nothing trained. */
function untrained(): TrainSteps {
  return { next: () => ({ done: true, value: { steps: 0, epochs: 0, stopped: true } }) };
}
