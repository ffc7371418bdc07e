// What happens between two epochs of a run: measuring the metrics (for the loss log, a plateau schedule and
// early stopping), logging a row, stepping the learning-rate schedule and early stopping, keeping the best
// epoch's weights. Allocates its buffers once; the training step itself is training/train.ts's.

import type { EarlyStoppingConfig, ExperimentConfig } from '../config/types.js';
import type { PreparedData } from '../data/load.js';
import { isLoggedEpoch, type LogRow } from '../files/losslog.js';
import type { RunRecord } from '../files/runfile.js';
import { zeros, type Matrix } from '../matrix.js';
import { KIND_SCORES, scores } from '../metrics.js';
import { Evaluator } from '../model/evaluator.js';
import { outputWidth, type Network } from '../model/network.js';
import { EarlyStopping, type EarlyStoppingState } from '../training/early-stopping.js';
import type { Optimizer } from '../training/optimizers/index.js';
import { createSchedule, scheduleMonitor, type Schedule, type ScheduleState } from '../training/schedules/index.js';

const PARTS = ['train', 'validation', 'test'] as const;

/** The metric columns of the loss log for this data (after epoch and step, before learning_rate). */
export function metricColumns(data: PreparedData): string[] {
  return PARTS.filter((p) => data[p]).flatMap((p) => [`${p}_loss`, ...KIND_SCORES[data.kind].map((s) => `${p}_${s}`)]);
}

/** Does the loss log get a learning_rate column (a schedule other than constant)? */
export const logsLearningRate = (cfg: ExperimentConfig): boolean => cfg.training.schedule.type !== 'constant';

/** What an EpochWatch holds between epochs, for a checkpoint: the schedule's and early stopping's states, the best weights. */
export interface WatchState {
  /** The last epoch ended. */
  epoch: number;
  schedule: ScheduleState;
  earlyStopping?: EarlyStoppingState & { bestWeights?: Float64Array[] };
}

/** How the run ended, for run.json. */
export type Stopping = NonNullable<RunRecord['stopping']>;

export class EpochWatch {
  readonly rows: LogRow[] = [];
  private readonly ev: Evaluator;
  private readonly out: Partial<Record<(typeof PARTS)[number], Matrix>> = {};
  private readonly schedule?: Schedule;
  private readonly stopper?: EarlyStopping;
  private readonly best: Float64Array[] = [];
  private lastEpoch = 0;
  private stopped = false;
  /** The plateau schedule's metric, if any (read every epoch: made once). */
  private readonly monitor: string | undefined;

  constructor(
    private readonly net: Network,
    private readonly data: PreparedData,
    private readonly cfg: ExperimentConfig,
    /** Receives each logged row as it comes (a file sink); `rows` then keeps only the last one (flat memory). */
    private readonly onRow?: (row: LogRow) => void,
    /** Continue from a checkpoint's state (loadState): epoch 0 is not measured and logged again. */
    resume?: WatchState,
  ) {
    this.ev = new Evaluator(net);
    for (const p of PARTS) if (data[p]) this.out[p] = zeros(data[p]!.x.rows, outputWidth(net));
    const { schedule, early_stopping: es, optimizer } = cfg.training;
    this.monitor = scheduleMonitor(schedule);
    if (logsLearningRate(cfg)) this.schedule = createSchedule(schedule, optimizer.learning_rate);
    if (es) {
      this.stopper = new EarlyStopping(es.monitor, es.patience, es.min_delta);
      if (es.restore_best) for (const l of net.layers) this.best.push(new Float64Array(l.w.length), new Float64Array(l.b.length));
    }
    if (resume) this.loadState(resume);
    else this.log(0, 0, optimizer.learning_rate, this.measure());
  }

  /** The state at the end of an epoch (after endEpoch), for a checkpoint; copies, never the live arrays. */
  saveState(): WatchState {
    const state: WatchState = { epoch: this.lastEpoch, schedule: this.schedule?.saveState() ?? {} };
    if (this.stopper) state.earlyStopping = { ...this.stopper.saveState(), ...(this.best.length > 0 ? { bestWeights: this.best.map((a) => Float64Array.from(a)) } : {}) };
    return state;
  }

  /**
   * Puts back a state saveState gave (for the same configuration and network). A state without a part this watch
   * keeps (early stopping's, its best weights) is a RangeError: a damaged checkpoint.
   */
  loadState(state: WatchState): void {
    this.lastEpoch = state.epoch;
    this.schedule?.loadState({ ...state.schedule });
    const es = state.earlyStopping;
    if (this.stopper && !es) throw new RangeError('loadState: no state of early stopping, which training.early_stopping keeps');
    if (this.best.length > 0 && !es?.bestWeights) throw new RangeError("loadState: no best weights, which early stopping's restore_best keeps");
    if (this.stopper && es) this.stopper.loadState({ best: es.best, bestEpoch: es.bestEpoch, wait: es.wait }, state.epoch);
    if (es?.bestWeights && es.bestWeights.length === this.best.length) es.bestWeights.forEach((a, k) => this.best[k].set(a));
  }

  /** The network's metrics now, on every part of the data. */
  measure(): Record<string, number> {
    const m: Record<string, number> = {};
    for (const p of PARTS) {
      const part = this.data[p];
      const buf = this.out[p];
      if (!part || !buf) continue;
      m[`${p}_loss`] = this.ev.run(part.x, part.y, this.cfg.loss, buf);
      const s = scores(this.data.kind, buf, part.y, { threshold: this.data.threshold, targetScale: this.data.targetScaler?.scale });
      for (const k in s) m[`${p}_${k}`] = s[k];
    }
    return m;
  }

  /** The network's outputs on a part of the data at the last measurement. */
  outputs(part: 'train' | 'test'): Matrix | undefined {
    return this.out[part];
  }

  /** After an epoch's updates: log, step early stopping and the schedule; false when training must stop. */
  endEpoch(epoch: number, steps: number, optimizer: Optimizer): boolean {
    const logged = isLoggedEpoch(epoch, this.cfg.log.every, this.cfg.training.epochs);
    this.lastEpoch = epoch;
    // NOTE: most epochs of a small run have nothing due (no row, no schedule, no early stopping): XOR's 2,000 one-step epochs.
    if (!logged && this.stopper === undefined && this.schedule === undefined) return true;
    const monitor = this.monitor;
    const m = logged || this.stopper || monitor ? this.measure() : undefined;
    const lr = optimizer.learningRate;
    if (this.stopper) {
      const verdict = this.stopper.update(epoch, m![this.stopper.monitor]);
      if (verdict === 'improved' && this.best.length > 0) this.net.layers.forEach((l, k) => (this.best[2 * k].set(l.w), this.best[2 * k + 1].set(l.b)));
      this.stopped = verdict === 'stop';
    }
    if (logged || this.stopped) this.log(epoch, steps, lr, m!);
    if (this.stopped) return false;
    if (this.schedule) optimizer.learningRate = this.schedule.step(monitor ? m![monitor] : NaN);
    return true;
  }

  /** After training: puts the best epoch's weights back (restore_best); how the run ended. */
  finish(): Stopping | undefined {
    const es: EarlyStoppingConfig | null = this.cfg.training.early_stopping;
    if (!es || !this.stopper) return undefined;
    const restore = this.best.length > 0 && this.stopper.bestEpoch > 0;
    if (restore) this.net.layers.forEach((l, k) => (l.w.set(this.best[2 * k]), l.b.set(this.best[2 * k + 1])));
    const { bestEpoch, best } = this.stopper;
    return { reason: this.stopped ? 'early_stopping' : 'epochs', epoch: this.lastEpoch, monitor: es.monitor, best_epoch: bestEpoch, best_value: bestEpoch > 0 ? best : null, restored_best: restore };
  }

  private log(epoch: number, step: number, lr: number, m: Record<string, number>): void {
    const row: LogRow = { epoch, step, ...m, ...(this.schedule ? { learning_rate: lr } : {}) };
    if (this.onRow) this.rows.length = 0;
    this.rows.push(row);
    this.onRow?.(row);
  }
}
