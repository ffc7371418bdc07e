// Running the tasks of an invocation (layout.ts): one after another in this thread, or on --jobs N worker
// threads (pool.ts); either way each run's folder is written whole, and each sweep's summary.csv is rebuilt
// from the run folders present once its runs are done.

import type { Plan, PlannedRun } from '../config/plan.js';
import { isUserError } from '../errors.js';
import type { RunRecord } from '../files/runfile.js';
import type { RunTask } from './layout.js';
import { Interrupted, runInWorkers } from './pool.js';
import type { LoadOptions } from '../config/load.js';
import type { Prepared } from './prepare.js';
import { runExperiment, type TrainOptions } from './run.js';
import { writeSummary } from './summary.js';

/** Trains one planned run and writes it to outDir (a sweep run records its grid index and values). */
export function runPlanned(plan: Plan, run: PlannedRun, outDir: string, options: TrainOptions = {}) {
  const sweep = plan.axes.length > 0 ? { sweep: { index: run.index, values: run.values } } : {};
  return runExperiment(run.exp, { ...options, outDir, ...sweep });
}

export interface Finished {
  task: RunTask;
  final?: Record<string, number>;
  duration_ms?: number;
  /** With early stopping: how the run ended (run.json's stopping). */
  stopping?: RunRecord['stopping'];
  /** A user error the run met (printed located); the other runs go on. */
  error?: string;
  /** Serial runs: the run record (its status: completed, diverged, interrupted), where it went, its last logged epoch. */
  run?: RunRecord;
  outDir?: string;
  lastLogged?: number;
}

export interface ExecuteOptions {
  /** Worker threads; 1 = in this thread. */
  jobs: number;
  /** Workers: the kernel threads of each run (--threads; this thread's are set by the caller). */
  kernelThreads?: number;
  /** The options every plan was loaded with (workers load the files again). */
  load: LoadOptions;
  /** Data and network already prepared for a task (serial runs only). */
  prepared?: (task: RunTask) => Prepared | undefined;
  /** Serial runs: called after every epoch (progress line). */
  onEpoch?: (task: RunTask) => TrainOptions['onEpoch'];
  onFinished(done: Finished): void;
  /** Serial runs: asked at batch boundaries and between runs; a reason (a signal) stops there. */
  interrupt?: () => string | undefined;
}

/** Runs the tasks; then rewrites the summary.csv of every sweep they belong to. */
export async function executeTasks(tasks: readonly RunTask[], options: ExecuteOptions): Promise<void> {
  if (options.jobs <= 1 || tasks.length <= 1) {
    for (const task of tasks) {
      if (options.interrupt?.() !== undefined) break; // between runs: the rest are not run
      try {
        const r = await runPlanned(task.plan, task.run, task.outDir, { prepared: options.prepared?.(task), onEpoch: options.onEpoch?.(task), interrupt: options.interrupt });
        options.onFinished({ task, final: r.final, duration_ms: r.run.duration_ms, stopping: r.run.stopping, run: r.run, outDir: r.outDir, lastLogged: r.rows[r.rows.length - 1].epoch });
        if (r.run.status === 'interrupted') break;
      } catch (e) {
        if (!isUserError(e)) throw e;
        options.onFinished({ task, error: e.format() });
      }
    }
  } else {
    const byNumber = new Map(tasks.map((t) => [t.number, t]));
    const jobs = tasks.map((t) => ({ number: t.number, file: t.plan.file, options: options.load, index: t.run.index, outDir: t.outDir }));
    try {
      await runInWorkers(jobs, options.jobs, { kernelThreads: options.kernelThreads }, (a) => {
        const task = byNumber.get(a.number)!;
        options.onFinished('final' in a ? { task, final: a.final, duration_ms: a.duration_ms, stopping: a.stopping } : { task, error: 'userError' in a ? a.userError : '' });
      });
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      writeSummaries(tasks);
      // NOTE: the workers are stopped and our SIGINT listener is gone: raise the signal again, so the process
      // ends as an interrupted one does (status 130 in a shell), with the finished runs and their summary whole.
      process.kill(process.pid, 'SIGINT');
      return;
    }
  }
  writeSummaries(tasks);
}

/** Rewrites the summary.csv of every sweep these tasks belong to, from the run folders present. */
function writeSummaries(tasks: readonly RunTask[]): void {
  for (const root of new Set(tasks.map((t) => t.sweepRoot))) if (root !== undefined) writeSummary(root);
}
