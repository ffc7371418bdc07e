// Resuming a sweep: a planned run whose folder already holds a completed run of the same configuration —
// run.json's status `completed`, config.json byte for byte what this run would write, and the same input
// files (data CSV, init.from model) by their SHA-256 in run.json — is not run again. Sweep runs are skipped so
// whenever their sweep is run again; other runs with --resume. A sweep whose runs are all skipped gets its
// summary.csv rewritten here (no run of it will), so it lists every run folder either way. Leaves out any
// judgement of a folder that does not match: that run is simply run again (replacing it).
// With --resume, a run not completed whose NAME.interrupted/ (RUN-ID.interrupted/) holds a checkpoint, or that was
// killed after one (checkpoints.ts checkpointToResume), continues from it, and a checkpoint of another
// configuration or other data is refused, before anything runs.

import { existsSync } from 'node:fs';
import { readBoundedBytes, READ_LIMITS } from '../files/safefs.js';
import { join } from 'node:path';
import { sha256File } from '../files/hash.js';
import { readRunJson, type RunRecord } from '../files/runfile.js';
import { checkpointToResume, fittingCheckpoint, runDigests } from './checkpoints.js';
import type { RunTask } from './layout.js';
import { configSnapshot } from './snapshot.js';
import { sweepsOf, writeSummary } from './summary.js';

const COMPLETED_FILES = ['run.json', 'config.json', 'loss.csv', 'model.json'] as const;

/** run.json's status and input digests, or undefined when it cannot be read (then the run is run again). */
function recordOf(dir: string): Pick<RunRecord, 'status' | 'inputs'> | undefined {
  try {
    const run = readRunJson(join(dir, 'run.json')) as Partial<RunRecord>;
    return typeof run.status === 'string' && Array.isArray(run.inputs) ? { status: run.status, inputs: run.inputs } : undefined;
  } catch {
    return undefined;
  }
}

/** Does the file hold exactly `text`? A file that cannot be read (not a regular file, too large, gone) does not. */
function sameBytes(file: string, text: string): boolean {
  try {
    return readBoundedBytes(file, READ_LIMITS.runFile, 'a run file').equals(Buffer.from(text));
  } catch {
    return false;
  }
}

/** Does the task's folder hold a completed run of exactly this configuration? */
function completedAlready(task: RunTask, digest: (path: string) => string): boolean {
  const dir = task.outDir;
  if (COMPLETED_FILES.some((f) => !existsSync(join(dir, f)))) return false;
  const record = recordOf(dir);
  if (record?.status !== 'completed') return false;
  const { configText, inputs } = configSnapshot(task.run.exp.config, task.run.exp.baseDir, digest);
  if (!sameBytes(join(dir, 'config.json'), configText)) return false;
  // NOTE: run.json is read as it is on disk: an item that is no object (a damaged file's null) keys as null, which no
  // input of this configuration does, so the run is not this configuration's (it runs again).
  const key = (xs: readonly unknown[]) => JSON.stringify(xs.map((x) => (typeof x === 'object' && x !== null ? [(x as Record<string, unknown>).key, (x as Record<string, unknown>).path, (x as Record<string, unknown>).sha256] : null)));
  return key(record.inputs) === key(inputs);
}

/**
 * The tasks to run and those skipped as completed already (sweep runs always; others when `resume`); with `resume`,
 * the tasks to run that continue from an interrupted run's checkpoint carry it (a UserError when it does not fit).
 * The inputs' digests are computed once per file. Rewrites the summary.csv of every sweep left with nothing to run
 * (summary.ts writeSummary, which clears dead writers' locks there first).
 */
export function skipCompleted(tasks: readonly RunTask[], resume = false): { todo: RunTask[]; skipped: RunTask[]; resumed: number } {
  const digests = new Map<string, string>();
  const digest = (path: string) => digests.get(path) ?? (digests.set(path, sha256File(path)), digests.get(path)!);
  const todo: RunTask[] = [];
  const skipped: RunTask[] = [];
  for (const t of tasks) ((resume || t.sweepRoot !== undefined) && completedAlready(t, digest) ? skipped : todo).push(t);
  let resumed = 0;
  if (resume) {
    for (const [k, t] of todo.entries()) {
      const file = checkpointToResume(t.outDir);
      if (file === undefined) continue;
      fittingCheckpoint(file, runDigests(t.run.exp.config, t.run.exp.baseDir, digest));
      todo[k] = { ...t, checkpoint: file };
      resumed++;
    }
  }
  const running = new Set(todo.map((t) => t.sweepRoot));
  // As executeTasks does once a sweep's runs are done: what dead writers left beside its completed runs is cleared first.
  for (const [root, grid] of sweepsOf(skipped)) if (!running.has(root)) writeSummary(root, grid);
  return { todo, skipped, resumed };
}
