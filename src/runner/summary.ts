// summary.csv of a sweep: one row per run folder present below the sweep's folder (so the folders of several
// shards, or of earlier runs of the same grid, merge), in grid order: the folder, the swept values, the final
// metrics, epochs, steps, status and duration. Rebuilt from the run.json files every time, never appended to.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvText } from '../files/losslog.js';
import { writeFileAtomically } from '../files/outputs.js';
import type { RunRecord } from '../files/runfile.js';

/** The sweep runs in the folders directly below root, in grid order. */
export function sweepRuns(root: string): { dir: string; run: RunRecord }[] {
  if (!existsSync(root)) return [];
  const runs: { dir: string; run: RunRecord }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const file = join(root, e.name, 'run.json');
    if (!e.isDirectory() || e.name.startsWith('.') || !existsSync(file)) continue;
    const run = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    if (run.sweep) runs.push({ dir: e.name, run });
  }
  return runs.sort((a, b) => a.run.sweep!.index - b.run.sweep!.index || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

const cell = (v: unknown): string | number => (typeof v === 'number' ? v : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** summary.csv's text for these runs. */
export function summaryCsv(runs: readonly { dir: string; run: RunRecord }[]): string {
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  const keys = union(runs.map((r) => Object.keys(r.run.sweep!.values)));
  const metrics = union(runs.map((r) => Object.keys(r.run.final)));
  const columns = ['dir', ...keys, ...metrics, 'epochs', 'steps', 'status', 'duration_ms'];
  const rows = runs.map(({ dir, run }) => [
    dir,
    ...keys.map((k) => cell(run.sweep!.values[k])),
    ...metrics.map((m) => cell(run.final[m])),
    run.epochs,
    run.steps,
    run.status,
    run.duration_ms,
  ]);
  return csvText(columns, rows);
}

/** Rewrites root/summary.csv from the run folders present; returns the number of rows. */
export function writeSummary(root: string): number {
  const runs = sweepRuns(root);
  writeFileAtomically(join(root, 'summary.csv'), summaryCsv(runs));
  return runs.length;
}
