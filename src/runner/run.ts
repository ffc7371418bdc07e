// Running a loaded experiment: training with a loss log (trainExperiment: writes nothing), and the run's files
// (loss.csv streamed while training, then model.json, config.json, run.json, and the loss chart loss.svg with
// its spec when the run draws it: wantsCharts) written atomically (runExperiment). A run that diverged or was
// interrupted goes beside the results, to NAME.diverged/ or NAME.interrupted/, leaving the last complete NAME/ as
// it was. With training.checkpoint a run writes checkpoints while it trains and resumes from one (checkpoints.ts).

import { dirname, join } from 'node:path';
import { Arena, restThreads } from '../kernels/index.js';
import type { LoadedExperiment } from '../config/load.js';
import { LossLogWriter, type LogRow } from '../files/losslog.js';
import { refusedCheckpointState } from '../files/checkpoint.js';
import { modelJsonPieces } from '../files/modelfile.js';
import { StagedFolder } from '../files/outputs.js';
import type { LeftoverScan } from '../files/recover.js';
import type { RunRecord } from '../files/runfile.js';
import { lossChart, lossChartSpec } from '../report/charts.js';
import { specJson } from '../report/render.js';
import { lossChartSvg } from '../report/svgchart.js';
import type { TrainSteps } from '../training/train.js';
import { checkedInterrupt, checkRunArguments } from './arguments.js';
import { readResumePoint, runCheckpoints } from './checkpoints.js';
import type { DataCache } from './datacache.js';
import { filesRead, prepare, type Prepared } from './prepare.js';
import { logColumns, startSession, type RunResult } from './session.js';
import { snapshotFiles } from './snapshot.js';
import { mark } from '../trace.js';

export { metricColumns, type RunResult } from './session.js';

export interface TrainOptions {
  /** Called after every epoch, for progress displays, with the training loss last logged. */
  onEpoch?: (epoch: number, epochs: number, trainLoss: number) => void;
  /** The data and untrained network from prepare(exp), when already made; they are not changed. */
  prepared?: Prepared;
  /** The invocation's data sets (made once for all its runs), when not prepared. */
  data?: DataCache;
  /** Asked at batch boundaries: a reason (a signal's name, a non-empty string) stops training there, as `interrupted`; undefined goes on, anything else is a TypeError (checkedInterrupt). */
  interrupt?: () => string | undefined;
}

export interface RunOptions extends TrainOptions {
  /** Output folder (default: results/NAME under the current directory, results/NAME/RUN-ID for a run with a run_id, as mlplab run writes it). */
  outDir?: string;
  /** A sweep run: its position in the grid and swept values, recorded in run.json. */
  sweep?: RunRecord['sweep'];
  /** A checkpoint file of this configuration to continue from (resume.ts: NAME.interrupted/checkpoint.json, or a killed run's). */
  resume?: string;
  /**
   * Called once the run's files are written and its arrays in the kernels' memory given back, as they are
   * flushed to disk (--jobs trains the next run in this thread meanwhile: runner/pool.ts).
   */
  onFlushing?: () => void;
  /** The leftovers of killed writers beside the run folders, listed once for an invocation's runs (files/recover.ts). */
  leftovers?: LeftoverScan;
}

/** How often an async run lets the event loop run (signal handlers, timers), in milliseconds. */
const YIELD_MS = 15;

/**
 * Trains a loaded experiment and returns its loss log, model and run record; writes no file. The arrays it made in
 * the kernels' memory go back there when it returns (nothing returned refers to them: the model is a copy).
 */
export function trainExperiment(exp: LoadedExperiment, options: TrainOptions = {}): RunResult {
  checkRunArguments('trainExperiment', exp, options);
  // NOTE: the training loop is not tracked: what the caller's onEpoch and interrupt allocate stays theirs.
  const arena = new Arena();
  try {
    const prepared = arena.track(() => options.prepared ?? prepare(exp, {}, options.data));
    const session = arena.track(() => startSession(exp, prepared, { onEpoch: options.onEpoch }));
    const interrupt = checkedInterrupt('trainExperiment', options.interrupt);
    let reason: string | undefined;
    for (;;) {
      const r = session.steps.next(reason !== undefined);
      if (r.done) return arena.track(() => session.finish(r.value, reason));
      reason = interrupt?.();
    }
  } finally {
    arena.release();
  }
}

/** Drives the training steps (trainSteps), letting the event loop run every YIELD_MS (so a signal handler can ask to stop). */
async function trainYielding(steps: TrainSteps, interrupt?: () => string | undefined) {
  let reason: string | undefined;
  // NOTE: Date.now(), not performance.now(): the global \`performance\` loads Node's perf_hooks (≈1 ms a start).
  let last = Date.now();
  for (;;) {
    const r = steps.next(reason !== undefined);
    if (r.done) return { outcome: r.value, reason };
    if (Date.now() - last >= YIELD_MS) {
      await new Promise((done) => setImmediate(done));
      last = Date.now();
    }
    reason = interrupt?.();
  }
}

/**
 * Trains a loaded experiment and writes its files into outDir (default results/NAME), or, if it diverged or
 * was interrupted, into outDir.diverged or outDir.interrupted; returns the run and where it went. The arrays it
 * made in the kernels' memory go back there when it ends (a sweep's runs reuse one run's memory).
 */
export async function runExperiment(exp: LoadedExperiment, options: RunOptions = {}): Promise<RunResult & { outDir: string; checkpointEpoch?: number }> {
  checkRunArguments('runExperiment', exp, options);
  // NOTE: only the synchronous parts are tracked (Arena.track), so runs awaited side by side never record each
  // other's arrays; what training allocates between them (nothing, per step; the caller's hooks) is left to the
  // collector.
  const arena = new Arena();
  let folder: StagedFolder | undefined;
  try {
    const prepared = arena.track(() => options.prepared ?? prepare(exp, {}, options.data));
    const dir = options.outDir ?? defaultRunFolder(exp);
    const read = filesRead(prepared);
    const point = options.resume === undefined ? undefined : readResumePoint(exp, prepared, options.resume); // before open: see readResumePoint
    // A killed writer's staging folder resumed from stays until this run completes (checkpoints.ts retire).
    folder = StagedFolder.open(dir, options.leftovers, { siblings: statusFolders(dir), spare: point && dirname(point.file) });
    const checkpoints = runCheckpoints(exp, read, folder, point);
    const writer = new LossLogWriter(logColumns(exp.config, prepared.data), checkpoints.appendLog, checkpoints.resume !== undefined);
    const hooks = { onEpoch: options.onEpoch, onRow: (row: LogRow) => writer.add(row), checkpoint: checkpoints.hook(() => writer.flush()) };
    const session = arena.track(() => {
      try {
        return startSession(exp, prepared, hooks, checkpoints.resume);
      } catch (e) {
        throw point ? refusedCheckpointState(e, point.file) : e; // a damaged checkpoint's state, said at its file
      }
    });
    mark(`${exp.config.name}: training`);
    const { outcome, reason } = await trainYielding(session.steps, checkedInterrupt('runExperiment', options.interrupt));
    mark(`${exp.config.name}: trained`);
    // NOTE: before finish and the files: their few MiB (the model's arrays and text) then come after the helpers'
    // isolates are gone, not on top of them (mnist-shape's peak: 146 → 139.5 MiB). finish's evaluation runs on one
    // thread. The next session wakes them (startSession).
    await restThreads();
    const result = arena.track(() => session.finish(outcome, reason));
    writer.flush();
    if (options.sweep) result.run.sweep = options.sweep;
    const status = result.run.status;
    const outDir = status === 'completed' ? dir : `${dir}.${status}`;
    const checkpointEpoch = checkpoints.settle(status);
    const { files, run } = snapshotFiles(result); // loss.csv: streamed already
    if (result.model) for (const piece of modelJsonPieces(result.model)) folder.append('model.json', piece); // none unless completed
    const charts = wantsCharts(exp, options) ? chartFiles(result) : {};
    for (const [name, text] of Object.entries({ ...files, ...charts })) folder.write(name, text);
    arena.release(); // nothing below uses the run's arrays (the model returned is a copy)
    options.onFlushing?.();
    // NOTE: a sweep's runs share their folder, which the sweep's summary.csv (written last) syncs once for all.
    await folder.commit(outDir, keptEntry, { syncParent: options.sweep === undefined });
    if (status === 'completed') checkpoints.retire();
    mark(`${exp.config.name}: files written`);
    return { ...result, run, outDir, ...(checkpointEpoch !== undefined ? { checkpointEpoch } : {}) };
  } finally {
    folder?.close();
    arena.release();
  }
}

/**
 * Where `mlplab run` writes this run below results/: NAME/, or NAME/RUN-ID/ for a run with a run ID (a file's
 * run_id, a plan's sweep or override run, a snapshot's config.json), so that a rerun writes where the original did.
 */
const defaultRunFolder = (exp: LoadedExperiment) => join('results', exp.config.name, ...(exp.config.run_id?.split('/') ?? []));

/** The folders beside NAME/ a run that does not complete goes to (NAME.diverged/, NAME.interrupted/). */
const STATUS_FOLDERS = ['diverged', 'interrupted'] as const satisfies readonly Exclude<RunRecord['status'], 'completed'>[];

/** The folders beside dir a run of folder dir may write instead of it: dir.diverged/ and dir.interrupted/ (checked before training). */
export const statusFolders = (dir: string): string[] => STATUS_FOLDERS.map((s) => `${dir}.${s}`);

/** What a run's folder keeps when it is written again: the runs below it and their summary. */
const keptEntry = (name: string, isDirectory: boolean) => (isDirectory && !name.startsWith('.')) || name === 'summary.csv';

/**
 * Does the run draw its loss chart? log.charts if set; else a run alone does and a sweep's run does not: a sweep's
 * runs are compared together (mlplab compare draws their curves), and two files fewer a run are ≈ 0.35 ms of CPU
 * and two flushes to disk less (XOR's 1,000 seeds with --jobs 2: ≈ 0.3 s of 2.9).
 */
export const wantsCharts = (exp: LoadedExperiment, options: Pick<RunOptions, 'sweep'>): boolean => exp.config.log.charts ?? options.sweep === undefined;

/**
 * The run's loss chart: loss.svg (drawn without Vega, report/svgchart.ts) and its Vega-Lite spec loss.vl.json,
 * titled with the run (NAME/RUN-ID for a sweep's or a --set run), the best epoch marked when early stopping
 * put its weights back.
 */
export function chartFiles(result: RunResult): Record<string, string> {
  const title = result.config.run_id ? `${result.name}/${result.config.run_id}` : result.name;
  const stopping = result.run.stopping;
  const best = stopping?.restored_best && stopping.best_epoch > 0 ? stopping.best_epoch : undefined;
  const args = [title, result.config.loss, result.columns, result.chartRows ?? result.rows, best] as const;
  return { 'loss.svg': lossChartSvg(lossChart(...args)), 'loss.vl.json': specJson(lossChartSpec(...args)) };
}
