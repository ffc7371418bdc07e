// summary.csv of a sweep: one row per run folder present below the sweep's folder (so the folders of several
// shards, or of earlier runs of the same grid, merge), in the order of the invocation's grid (other run folders
// after, in natural order: those of another grid sharing the folder, a --seed value the grid lacks): the folder,
// the swept values, the final metrics, epochs, steps, status and duration. Rebuilt from the run.json files every time, never appended to,
// under the lock of summary.csv (files/lock.ts), so that of shards finishing together the last to write it lists
// every run: each reads the run folders only after its own runs are in place, and they write one at a time.
// A run.json or config.json that cannot be read as JSON is a UserError naming it.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { takeLock, takeLockWaiting, type Lock } from '../files/lock.js';
import { clearStaleLocks } from '../files/recover.js';
import { csvText } from '../files/losslog.js';
import { writeFileAtomically } from '../files/outputs.js';
import { checkOutputFile } from '../files/safefs.js';
import { readRunObject, type RunRecord } from '../files/runfile.js';
import { gridRunIds, sweptKeyPath } from '../config/plan.js';
import { valueAt } from './clash.js';
import type { RunTask } from './layout.js';
import { naturalOrder } from './natural-order.js';

/**
 * The runs in the folders directly below root: those of `grid` (plan.ts gridRunIds) in its order, then any other run
 * folder in natural order (of another grid, as --sweep of part of the file's grid writes into its folder; of a
 * --set/--seed value the grid lacks; a sweep run rerun from its config.json; a run without a sweep). Not by run.json's
 * grid index: the runs of two grids sharing the folder would alternate.
 */
function sweepRuns(root: string, grid: readonly string[]): { dir: string; run: RunRecord; config: Record<string, unknown> }[] {
  if (!existsSync(root)) return [];
  const runs: { dir: string; run: RunRecord; config: Record<string, unknown> }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const [file, configFile] = [join(root, e.name, 'run.json'), join(root, e.name, 'config.json')];
    if (!e.isDirectory() || e.name.startsWith('.') || !existsSync(file) || !existsSync(configFile)) continue;
    const [run, config] = [presentJson(file) as unknown as RunRecord | undefined, presentJson(configFile)];
    if (run === undefined || config === undefined) continue; // removed since the listing: not present
    if (typeof run.final !== 'object' || run.final === null) throw new UserError('io', 'expected a run.json written by mlplab (with its final metrics); remove or rerun this run folder', { file });
    runs.push({ dir: e.name, run, config });
  }
  const position = new Map(grid.map((dir, k) => [dir, k]));
  const order = (r: { dir: string }) => position.get(r.dir) ?? grid.length;
  return runs.sort((a, b) => order(a) - order(b) || naturalOrder(a.dir, b.dir));
}

/**
 * readJson, or undefined when the file is gone by now: another process removed its folder after the listing (a
 * resumed run retiring its RUN.interrupted/, a rerun moving the folder it replaces aside), without this lock.
 */
function presentJson(file: string): Record<string, unknown> | undefined {
  try {
    return readJson(file);
  } catch (e) {
    if (!existsSync(file)) return undefined;
    throw e;
  }
}

/** A JSON object from a file of a run folder, or a UserError naming the file. */
function readJson(file: string): Record<string, unknown> {
  return readRunObject(file, {
    notJson: (e) => `cannot read this run folder's file for the sweep's summary.csv: ${e instanceof SyntaxError ? `not valid JSON (${e.message})` : e.message}; remove or rerun the run folder`,
    notObject: "expected a JSON object in this run folder's file; remove or rerun the run folder",
  });
}

/** A run's value of a swept key: from its sweep record, else from its config.json. */
function valueOf(r: { run: RunRecord; config: Record<string, unknown> }, key: string): unknown {
  if (r.run.sweep && key in r.run.sweep.values) return r.run.sweep.values[key];
  return valueAt(r.config, sweptKeyPath(key));
}

const cell = (v: unknown): string | number => (typeof v === 'number' ? v : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** summary.csv's text for these runs. */
function summaryCsv(runs: ReturnType<typeof sweepRuns>): string {
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  const keys = union(runs.map((r) => Object.keys(r.run.sweep?.values ?? {})));
  const metrics = union(runs.map((r) => Object.keys(r.run.final)));
  const columns = ['dir', ...keys, ...metrics, 'epochs', 'steps', 'status', 'duration_ms'];
  const rows = runs.map((r) => [
    r.dir,
    ...keys.map((k) => cell(valueOf(r, k))),
    ...metrics.map((m) => (r.run.final[m] === null ? NaN : cell(r.run.final[m]))), // null: run.json's NaN (JSON has none), NaN as in loss.csv
    r.run.epochs,
    r.run.steps,
    r.run.status,
    r.run.duration_ms,
  ]);
  return csvText(columns, rows);
}

/**
 * Refuses, before anything trains, a sweep whose summary.csv is there and is not a regular file (a FIFO, a link, a
 * folder: safefs.ts checkOutputFile), which writeSummary would refuse only once every run had trained.
 */
export function checkSummaryFile(root: string): void {
  checkOutputFile(join(root, 'summary.csv'));
}

/** How long a writer waits for another (a shard) rewriting the same summary.csv. */
const SUMMARY_WAIT_MS = 60_000;

/**
 * Rewrites root/summary.csv from the run folders present (`grid`'s first, in its order: sweepsOf), holding its lock,
 * once the locks and lock leftovers dead writers left beside its completed runs are cleared (recover.ts
 * clearStaleLocks: a rerun skips those runs, so no writer of theirs would ever clear them); returns the number of rows.
 */
export function writeSummary(root: string, grid: readonly string[] = []): number {
  clearStaleLocks(root);
  const file = join(root, 'summary.csv');
  return writeHolding(root, grid, takeLock(file, { waitMs: SUMMARY_WAIT_MS }));
}

/**
 * writeSummary, waiting for another writer's lock without blocking, so that an interrupt (Ctrl-C) ends the wait:
 * undefined then, summary.csv left as it was (files/lock.ts takeLockWaiting).
 */
export async function writeSummaryWaiting(root: string, grid: readonly string[], interrupt?: () => string | undefined): Promise<number | undefined> {
  clearStaleLocks(root);
  const lock = await takeLockWaiting(join(root, 'summary.csv'), SUMMARY_WAIT_MS, interrupt);
  return lock && writeHolding(root, grid, lock);
}

/** Rewrites root/summary.csv holding its lock, then lets the lock go. */
function writeHolding(root: string, grid: readonly string[], lock: Lock): number {
  try {
    const runs = sweepRuns(root, grid);
    writeFileAtomically(join(root, 'summary.csv'), summaryCsv(runs));
    return runs.length;
  } finally {
    lock.release();
  }
}

/** Each sweep folder these tasks write, with its plan's grid (plan.ts gridRunIds): the runs its summary.csv lists first. */
export function sweepsOf(tasks: readonly RunTask[]): Map<string, string[]> {
  const sweeps = new Map<string, string[]>();
  for (const t of tasks) if (t.sweepRoot !== undefined && !sweeps.has(t.sweepRoot)) sweeps.set(t.sweepRoot, gridRunIds(t.plan));
  return sweeps;
}
