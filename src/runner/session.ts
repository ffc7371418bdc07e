// One training run in the making: the network, the evaluation buffers and the loss log, driven batch by batch
// (trainSteps) by run.ts, then summed up as a RunResult whatever the ending: completed, diverged (a
// non-finite loss, gradient or weight: no model kept) or interrupted (the log so far kept: no model kept).
// With hooks.checkpoint it hands over its whole state every N epochs, and it continues from such a state (resume).
// Left to others: the run record and model file (record.ts), the chart's thinned rows (chart-rows.ts), telling a
// non-finite loss in a row (training/divergence.ts), the metrics of each epoch and early stopping (watch.ts).

import type { LoadedExperiment } from '../config/load.js';
import type { ExperimentConfig } from '../config/types.js';
import type { LogRow } from '../files/losslog.js';
import type { RunRecord, RunStatus } from '../files/runfile.js';
import type { PreparedData } from '../data/load.js';
import { lossDivergence } from '../training/divergence.js';
import { trainSteps, type Divergence, type ResumableSteps, type TrainOutcome, type TrainState, type TrainSteps } from '../training/train.js';
import { wakeThreads } from '../kernels/index.js';
import { cloneNetwork } from '../model/network.js';
import type { ModelFile } from '../files/modelfile.js';
import { Rng } from '../random.js';
import { thinnedRows } from './chart-rows.js';
import { filesRead, type Prepared } from './prepare.js';
import { trainingChunkRows } from './memory.js';
import { modelOf, runRecord, scoredPart } from './record.js';
import { EpochWatch, logsLearningRate, metricColumns, type WatchState } from './watch.js';

export { metricColumns } from './watch.js';

export interface RunResult {
  name: string;
  columns: string[];
  /** The loss log; when it was streamed out (onRow), only its last row. */
  rows: LogRow[];
  /** When streamed: the rows for the loss chart, at most CHART_ROWS of them, evenly thinned (chart-rows.ts). */
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

/** Multiply-adds of work between two pauses of the training loop (about 0.1 ms): see pauseEvery. */
const PAUSE_WORK = 2e5;

/** The loss log's columns: epoch, step, the metrics, and learning_rate with a schedule. */
export function logColumns(cfg: ExperimentConfig, data: PreparedData): string[] {
  return ['epoch', 'step', ...metricColumns(data), ...(logsLearningRate(cfg) ? ['learning_rate'] : [])];
}

/** A run's training, as an iterator of pauses (trainSteps), and its result once the iterator is done. */
export function startSession(exp: LoadedExperiment, prepared: Prepared, hooks: SessionHooks, resume?: SessionState & { rows: Iterable<LogRow> }) {
  wakeThreads(); // rested by runExperiment once the run before had trained
  const started = new Date();
  const { config: cfg } = exp;
  const data = prepared.data;
  const net = cloneNetwork(prepared.network);
  if (resume) net.layers.forEach((l, k) => (l.w.set(resume.weights[2 * k]), l.b.set(resume.weights[2 * k + 1])));
  const { epochs } = cfg.training;
  const rows: LogRow[] = [];
  const chart = thinnedRows();
  let logDivergence: Divergence | undefined;
  // Every logged row passes here: a non-finite loss stops the run (divergence) and is never logged.
  const log = (row: LogRow) => {
    const diverged = lossDivergence(row);
    if (diverged !== undefined) return void (logDivergence ??= diverged);
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
  const before = logDivergence;
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
    chunkRows: trainingChunkRows(exp, data), // a batch too large for the kernels' memory, in row chunks (memory.ts)
    resume: resume?.train,
    onEpoch: (epoch, step, optimizer) => {
      const go = watch.endEpoch(epoch, step, optimizer);
      if (logDivergence) return false;
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
    const divergence = outcome.divergence ?? logDivergence;
    const status: RunStatus = divergence ? 'diverged' : outcome.stopped && signal !== undefined ? 'interrupted' : 'completed';
    const stopping = status === 'completed' ? watch.finish() : undefined;
    // The model written is the one measured last, unless early stopping put the best epoch's weights back.
    const { epoch: _e, step: _s, learning_rate: _lr, ...last } = rows[rows.length - 1] ?? {}; // no row: not finite at epoch 0
    const final = stopping?.restored_best ? watch.measure() : last;
    const run: RunRecord = runRecord(exp, data, {
      status,
      started,
      steps: outcome.steps,
      epochsDone: logDivergence ? Math.max(0, logDivergence.epoch - 1) : outcome.epochs,
      divergence,
      signal,
      final,
      stopping,
      outputs: status === 'completed' ? watch.outputs(scoredPart(data))! : undefined,
    });
    const model: { model?: ModelFile } = status === 'completed' ? { model: modelOf(net, data, cfg) } : {};
    const streamed = hooks.onRow ? { chartRows: chart.rows() } : {};
    return { name: cfg.name, columns: logColumns(cfg, data), rows, ...streamed, final, ...model, config: cfg, baseDir: exp.baseDir, run, read: filesRead(prepared) };
  }
  return { steps, finish };
}

/** Training steps for a run that cannot start (its loss is not finite at epoch 0): over at once, nothing trained. */
function untrained(): TrainSteps {
  return { next: () => ({ done: true, value: { steps: 0, epochs: 0, stopped: true } }) };
}
