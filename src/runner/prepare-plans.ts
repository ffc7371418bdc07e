// Every run of a plan validated with its data and initial network before anything trains — all combinations of a
// sweep — as `mlplab run` and the library's runPlans both do first, so that a grid point whose data fail stops the
// invocation on either path with the same message, placed at the sweep entry that made it, and nothing trains; then, once the invocation's runs
// are known, the memory of the runs at once (checkJobsMemory).
// It leaves out loading the plans (config/plan.ts) and reporting (the caller prints or throws).

import { isUserError, parsePath, UserError, UserErrors } from '../errors.js';
import { scalarKernels, trackAllocations } from '../kernels/index.js';
import { cloneNetwork } from '../model/network.js';
import { isPrefix, parseOverride } from '../config/load.js';
import { placedAtAxes, RunErrors, type Plan, type PlannedRun } from '../config/plan.js';
import { dataKeys } from '../data/load.js';
import type { DataCache } from './datacache.js';
import type { RunTask } from './layout.js';
import { checkRunsAtOnce, memoryShapeOf, type MemoryShape, type RunToRun } from './memory.js';
import { dataRequest, holdsData, keepData, prepare, type Prepared } from './prepare.js';

/**
 * Validates every run of `plan` with its data and initial network, each alone against the memory; throws every
 * problem (UserErrors, each placed at the sweep entry that made it). A single run's prepared data and network are put
 * in `prepared` for it; every run's data are kept in `data` (each data set made once for the invocation, its runs and
 * workers), every network going back to the kernels' memory at once (a single run's kept outside it). `shapes`: each
 * run's data shape, for checkJobsMemory once the invocation's runs are known.
 */
export function preparePlan(plan: Plan, data: DataCache, prepared: Map<PlannedRun, Prepared>, shapes?: Map<PlannedRun, MemoryShape>): void {
  const errors = new RunErrors(plan.runs.length);
  for (const run of plan.runs) {
    try {
      // NOTE: a single run's data are made without the cache, split in place: no copy kept of the rows as read;
      // unless another run (an earlier file's) made the same data already.
      const single = plan.runs.length === 1;
      const own = single && !holdsData(data, run.exp);
      const p = trackAllocations(() => withSets(() => prepare(run.exp, {}, own ? undefined : data), plan.options.set ?? []));
      // NOTE: a single run's network is kept outside the kernels' memory (a plain copy; the session copies it in), and
      // every network goes back there at once: held there, each file's stayed until the process ended (runPlans
      // called again and again grew the memory without bound; several large files ran out of it, exit 3).
      if (single) {
        prepared.set(run, { ...p.value, network: cloneNetwork(p.value.network, scalarKernels) });
        if (own) keepData(data, run.exp, p.value.data);
      }
      shapes?.set(run, memoryShapeOf(p.value.data));
      p.release();
    } catch (e) {
      errors.add(placedAtAxes(e, plan, run), run.runPath);
    }
  }
  errors.throwIfAny();
}

/**
 * Refuses the invocation's runs (`tasks`: a shard's, those not skipped) when --jobs of them under way at once would
 * not fit the machine's memory (memory.ts checkRunsAtOnce), before any starts. NOTE: here, not per file in
 * preparePlan: the runs of several files go side by side, and a shard runs only its share (before, the runs at once
 * were each file's count: three one-run files at --jobs 3 were never checked together, and --shard 1/4 of eight
 * runs at --jobs 4 was refused for runs it would not run). A run whose data failed (no shape) meets its error itself.
 */
export function checkJobsMemory(tasks: readonly RunTask[], jobs: number, shapes: ReadonlyMap<PlannedRun, MemoryShape>, budget?: number): void {
  const runs: RunToRun[] = [];
  for (const { run } of tasks) {
    const shape = shapes.get(run);
    if (shape === undefined) continue;
    const { spec, ctx } = dataRequest(run.exp);
    runs.push({ exp: run.exp, shape, source: dataKeys(spec, ctx).source });
  }
  checkRunsAtOnce(runs, jobs, budget);
}

/**
 * Runs the data and init checks, naming the --set options that were in effect in their errors: a check there
 * (targets one per output unit, an init.from model's layers) may fail because of a --set elsewhere in the file.
 */
export function withSets<T>(f: () => T, sets: readonly string[]): T {
  try {
    return f();
  } catch (e) {
    if (sets.length === 0 || !isUserError(e)) throw e;
    const note = ` (with ${sets.map((s) => `--set ${s}`).join(', ')})`;
    // A key a --set wrote is not in the file: its error keeps the file and key path, not a line of the file.
    const written = sets.map((s) => parseOverride(s).path);
    const bySet = (path?: string) => path !== undefined && written.some((w) => isPrefix(w, parsePath(path)));
    const named = (u: UserError) => new UserError(u.code, u.message + note, bySet(u.place.path) ? { file: u.place.file, path: u.place.path } : u.place);
    throw e instanceof UserErrors ? new UserErrors(e.errors.map(named)) : named(e);
  }
}
