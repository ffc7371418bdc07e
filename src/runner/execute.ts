// Running the tasks of an invocation (layout.ts): one after another in this thread, or --jobs N at once, in this
// thread and N − 1 worker threads (pool.ts); either way each run's folder is written whole, each run is reported by the same outcome
// (its run record, where it went, its last logged epoch), an interrupt stops the runs under way at a batch
// boundary and starts no other, a run that finds the device full starts no other, and each sweep's summary.csv is rebuilt from the run folders present once
// its runs are done. runPlans is the library's way to run plans as `mlplab run` does.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan, PlannedRun } from '../config/plan.js';
import { checkOutputFolder, checkOutputFolderKind } from '../files/outputs.js';
import { LeftoverScan } from '../files/recover.js';
import { layout, shardOf, type RunTask } from './layout.js';
import type { RunOutcome } from './outcome.js';
import { answerOf, inTurn, runInWorkers, withJobKernelThreads, type Job, type JobAnswer } from './pool.js';
import { dataWorkCounter } from '../data/load.js';
import { isUserError, UserError, UserErrors } from '../errors.js';
import { checkedInterrupt, checkRunPlansArguments } from './arguments.js';
import { checkJobsMemory, preparePlan } from './prepare-plans.js';
import type { MemoryShape } from './memory.js';
import { DataCache } from './datacache.js';
import { dearestFirst, trainingCost } from './order.js';
import { dataRequest, prepareShared, type Prepared } from './prepare.js';
import { skipCompleted } from './resume.js';
import { runExperiment, statusFolders, type RunOptions, type TrainOptions } from './run.js';
import { checkSummaryFile, sweepsOf, writeSummaryWaiting } from './summary.js';

export { outcomeOf, type RunOutcome } from './outcome.js';

/** A sweep's run: its grid index and values, as run.json records them. */
const sweepOf = (plan: Plan, run: PlannedRun) => (plan.axes.length > 0 ? { sweep: { index: run.index, values: run.values } } : {});

/** Trains one planned run and writes it to outDir (a sweep run records its grid index and values). */
export function runPlanned(plan: Plan, run: PlannedRun, outDir: string, options: TrainOptions & Pick<RunOptions, 'resume' | 'onFlushing' | 'leftovers'> = {}) {
  return runExperiment(run.exp, { ...options, outDir, ...sweepOf(plan, run) });
}


/**
 * A run that ended: its outcome, or a user error it met (printed located; the other runs go on, unless the device or
 * quota was full, `deviceFull`: then no other run starts, on every path).
 */
export type Finished = { task: RunTask; /** Runs of the invocation not started when this one ended. */ notStarted: number } & (RunOutcome | { error: string; deviceFull?: true });

export interface ExecuteOptions {
  /** Worker threads; 1 (default) = in this thread. */
  jobs?: number;
  /** Workers: the kernel threads of each run (--threads; this thread's are set by the caller). */
  kernelThreads?: number;
  /** Data and network already prepared for a task (serial runs only). */
  prepared?: (task: RunTask) => Prepared | undefined;
  /** The invocation's data sets, made once for all its runs and workers (default: a cache of these tasks' own). */
  data?: DataCache;
  /** Called as each run starts. */
  onStart?: (task: RunTask) => void;
  /** Serial runs: called after every epoch (progress line). */
  onEpoch?: (task: RunTask) => TrainOptions['onEpoch'];
  onFinished?: (done: Finished) => void;
  /** Asked at batch boundaries and between runs; a reason (a signal's name) stops the runs under way there, as `interrupted` (runPlans: anything but undefined or a non-empty string is a TypeError, checkedInterrupt). */
  interrupt?: () => string | undefined;
  /**
   * Called when an interrupt ended the wait for another writer's lock of a sweep's summary.csv (`file`): it was
   * left as it was (summary.ts writeSummaryWaiting). `reason`: the interrupt's answer.
   */
  onSummaryLeft?: (file: string, reason: string) => void;
}

/** Runs the tasks; then rewrites the summary.csv of every sweep they belong to. Returns the runs that ended, as they ended. */
export async function executeTasks(tasks: readonly RunTask[], options: ExecuteOptions = {}): Promise<Finished[]> {
  const finished: Finished[] = [];
  const report = (f: Finished) => (finished.push(f), options.onFinished?.(f));
  // NOTE: the interrupt is sticky, so that every run and thread sees one answer, however the caller's interrupt() behaves.
  const asked = options.interrupt;
  let reason: string | undefined;
  const interrupt = asked && (() => (reason ??= asked()));
  options = { ...options, interrupt, data: options.data ?? (tasks.length > 1 ? new DataCache() : undefined) };
  const jobs = options.jobs ?? 1;
  const leftovers = new LeftoverScan(); // each run folder's folder listed once (the workers list their own)
  if (jobs <= 1 || tasks.length <= 1) {
    await runSerially(tasks, options, leftovers, report);
  } else {
    await runPooled(tasks, jobs, options, leftovers, report);
  }
  // NOTE: runs an interrupt stopped still get their summary.csv rebuilt: the interrupt is sticky, so passed on it would
  // end at once a wait for another writer (a shard stopped by the same Ctrl-C, writing its own), leaving runs unlisted.
  // Only an interrupt first seen during the wait ends it; a second signal ends the command at once (commands/signals.ts).
  await writeSummaries(tasks, reason === undefined ? options : { onSummaryLeft: options.onSummaryLeft });
  return finished;
}

/** Trains and writes a task in this thread, with what the invocation's runs share (prepared data, the data sets, the leftovers' listing). */
function runTask(task: RunTask, options: ExecuteOptions, leftovers: LeftoverScan, hooks: Pick<RunOptions, 'onEpoch' | 'interrupt' | 'onFlushing'>) {
  return runPlanned(task.plan, task.run, task.outDir, { prepared: options.prepared?.(task), data: options.data, resume: task.checkpoint, leftovers, ...hooks });
}

/**
 * The runs one after another in this thread, each starting as the one before flushes its files to disk (pool.ts
 * inTurn: two under way at most, the one flushing and the one training), reported in their order; an interrupt
 * (asked between runs) or an interrupted run starts no other.
 */
async function runSerially(tasks: readonly RunTask[], options: ExecuteOptions, leftovers: LeftoverScan, report: (f: Finished) => void): Promise<void> {
  let k = 0;
  let stop = false;
  const interrupt = options.interrupt; // sticky (executeTasks): the run flushing and the next run see one answer
  let reported: Promise<void> = Promise.resolve();
  const next = () => (stop || k >= tasks.length || interrupt?.() !== undefined ? undefined : { task: tasks[k], k: k++ });
  await inTurn(next, async ({ task, k }, onFlushing) => {
    // NOTE: a run's turn to report is taken as it starts (runs start in their order), so one that ends before the one
    // still flushing (a run meeting a user error at once) waits for that one's report.
    const turn = reported;
    let reportedMine!: () => void;
    reported = new Promise<void>((done) => (reportedMine = done));
    try {
      const answer = await answerOf(task.number, () => {
        options.onStart?.(task);
        return runTask(task, options, leftovers, { onEpoch: options.onEpoch?.(task), interrupt, onFlushing });
      });
      if (('run' in answer && answer.run.status === 'interrupted') || 'deviceFull' in answer) stop = true; // a full device: the next run would not fit either
      await turn;
      report(finishedOf(task, tasks.length - k - 1, answer));
    } finally {
      reportedMine();
    }
  });
}

/** Every run of the plans (a shard's share of them) with its folder below `out` (default results); every folder it may write (its own, statusFolders) and sweep summary.csv checked first. */
export function tasksOf(plans: readonly Plan[], out?: string, shard?: { index: number; count: number }): RunTask[] {
  const tasks = shardOf(layout(plans, out), shard);
  for (const t of tasks) {
    checkOutputFolder(t.outDir);
    for (const dir of statusFolders(t.outDir)) checkOutputFolderKind(dir); // beside it: the same parent
  }
  for (const root of new Set(tasks.map((t) => t.sweepRoot))) if (root !== undefined) checkSummaryFile(root);
  return tasks;
}

/**
 * Runs the plans (loadPlan) as `mlplab run` does: every run validated with its data and initial network first
 * (prepare-plans.ts: a grid point whose data fail throws, every plan's problems in one UserErrors, before anything
 * trains), then their runs' folders below options.out (default results), a shard's share of them, serially or on
 * options.jobs workers, skipping runs completed already (resume.ts: sweep runs always, others with options.resume)
 * and, with options.resume, continuing interrupted runs from their checkpoints; returns each run's outcome (the
 * skipped have none). Every problem found before training rejects (async: an output folder's too, not thrown).
 */
export async function runPlans(plans: readonly Plan[], options: ExecuteOptions & { out?: string; shard?: { index: number; count: number }; resume?: boolean } = {}): Promise<Finished[]> {
  checkRunPlansArguments(plans, options);
  const data = options.data ?? new DataCache();
  const prepared = new Map<PlannedRun, Prepared>();
  const shapes = new Map<PlannedRun, MemoryShape>();
  const errors: UserError[] = [];
  for (const plan of plans) {
    try {
      preparePlan(plan, data, prepared, shapes);
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors.push(...(e instanceof UserErrors ? e.errors : [e as UserError]));
    }
  }
  if (errors.length > 0) throw new UserErrors(errors);
  const tasks = skipCompleted(tasksOf(plans, options.out, options.shard), options.resume).todo;
  try {
    checkJobsMemory(tasks, options.jobs ?? 1, shapes);
  } catch (e) {
    throw e instanceof UserError ? new UserErrors([e]) : e; // as every refusal before training (preparePlan's)
  }
  const interrupt = checkedInterrupt('runPlans', options.interrupt);
  return executeTasks(tasks, { ...options, interrupt, data, prepared: (t) => options.prepared?.(t) ?? prepared.get(t.run) });
}

/**
 * --jobs N: the tasks on N − 1 workers and in this thread (pool.ts), this thread's runs with the workers' kernel
 * threads (--threads, else MLPLAB_THREADS, else 1) and the caller's setting back after.
 */
async function runPooled(tasks: readonly RunTask[], jobs: number, options: ExecuteOptions, leftovers: LeftoverScan, report: (f: Finished) => void): Promise<void> {
  const byNumber = new Map(tasks.map((t) => [t.number, t]));
  // The data of every run made here first (once each: datacache.ts), so the workers share them instead of reading files.
  prepareShared(tasks.filter((t) => !options.prepared?.(t)).map((t) => t.run.exp), options.data!);
  const work: Job[] = dearestFirst(tasks, (t) => trainingCost(t.run.exp, shapeOf(t, options.data!))).map((t) => {
    const { source, ...exp } = t.run.exp;
    return { number: t.number, exp, sourceFile: source.file, ...sweepOf(t.plan, t.run), outDir: t.outDir, ...(t.checkpoint ? { checkpoint: t.checkpoint } : {}) };
  });
  const local = (job: Job, onFlushing: () => void): Promise<JobAnswer> => {
    const task = byNumber.get(job.number)!;
    return answerOf(job.number, () => runTask(task, options, leftovers, { interrupt: options.interrupt, onFlushing }));
  };
  const settings = { kernelThreads: options.kernelThreads, data: options.data!.shared(), dataCounts: dataWorkCounter() };
  await withJobKernelThreads(options.kernelThreads, () =>
    runInWorkers(work, {
      threads: jobs,
      settings,
      local,
      interrupt: options.interrupt,
      onStart: (job) => options.onStart?.(byNumber.get(job.number)!),
      onAnswer: (answer, notStarted) => report(finishedOf(byNumber.get(answer.number)!, notStarted, answer)),
    }),
  );
}

/** The training rows and inputs of a task's data, if made already (a run whose data fail has none). */
function shapeOf(task: RunTask, data: DataCache) {
  try {
    const { spec, ctx } = dataRequest(task.run.exp);
    return data.trainShape(spec, ctx);
  } catch {
    return undefined; // the run meets its error itself
  }
}

/** A run's answer (answerOf) as the run that ended. */
function finishedOf(task: RunTask, notStarted: number, { number: _, ...answer }: JobAnswer): Finished {
  if (!('userError' in answer)) return { task, notStarted, ...(answer as RunOutcome) };
  return { task, notStarted, error: answer.userError, ...(answer.deviceFull ? { deviceFull: true as const } : {}) };
}

/**
 * Rewrites the summary.csv of every sweep these tasks belong to, from the run folders present (summary.ts
 * writeSummaryWaiting: another writer's lock waited for without blocking, an interrupt ending the wait).
 */
async function writeSummaries(tasks: readonly RunTask[], options: Pick<ExecuteOptions, 'interrupt' | 'onSummaryLeft'>): Promise<void> {
  // NOTE: a sweep none of whose runs started (an interrupt before the first: its folder never made) has nothing to sum up.
  for (const [root, grid] of sweepsOf(tasks)) {
    if (!existsSync(root)) continue;
    if ((await writeSummaryWaiting(root, grid, options.interrupt)) === undefined) options.onSummaryLeft?.(join(root, 'summary.csv'), options.interrupt!()!);
  }
}
