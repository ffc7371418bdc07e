// summary.csv of a sweep: one row per run folder present below the sweep's folder (so the folders of several
// shards, or of earlier runs of the same grid, merge), in grid order (other run folders after): the folder, the swept values, the final
// metrics, epochs, steps, status and duration. Rebuilt from the run.json files every time, never appended to.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvText } from '../files/losslog.js';
import { writeFileAtomically } from '../files/outputs.js';
import type { RunRecord } from '../files/runfile.js';
import { parseKeyPath } from '../config/sweep.js';

/**
 * The runs in the folders directly below root: sweep runs in grid order, then any other run folder (a sweep
 * run rerun from its config.json, a --set/--seed run) by name.
 */
export function sweepRuns(root: string): { dir: string; run: RunRecord; config: Record<string, unknown> }[] {
  if (!existsSync(root)) return [];
  const runs: { dir: string; run: RunRecord; config: Record<string, unknown> }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const [file, configFile] = [join(root, e.name, 'run.json'), join(root, e.name, 'config.json')];
    if (!e.isDirectory() || e.name.startsWith('.') || !existsSync(file) || !existsSync(configFile)) continue;
    const run = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    runs.push({ dir: e.name, run, config });
  }
  const order = (r: { run: RunRecord }) => r.run.sweep?.index ?? Infinity;
  return runs.sort((a, b) => order(a) - order(b) || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** A run's value of a swept key: from its sweep record, else from its config.json. */
function valueOf(r: { run: RunRecord; config: Record<string, unknown> }, key: string): unknown {
  if (r.run.sweep && key in r.run.sweep.values) return r.run.sweep.values[key];
  let node: unknown = r.config;
  for (const seg of parseKeyPath(key, 'sweep')) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  return node;
}

const cell = (v: unknown): string | number => (typeof v === 'number' ? v : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** summary.csv's text for these runs. */
export function summaryCsv(runs: ReturnType<typeof sweepRuns>): string {
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  const keys = union(runs.map((r) => Object.keys(r.run.sweep?.values ?? {})));
  const metrics = union(runs.map((r) => Object.keys(r.run.final)));
  const columns = ['dir', ...keys, ...metrics, 'epochs', 'steps', 'status', 'duration_ms'];
  const rows = runs.map((r) => [
    r.dir,
    ...keys.map((k) => cell(valueOf(r, k))),
    ...metrics.map((m) => cell(r.run.final[m])),
    r.run.epochs,
    r.run.steps,
    r.run.status,
    r.run.duration_ms,
  ]);
  return csvText(columns, rows);
}

/** Rewrites root/summary.csv from the run folders present; returns the number of rows. */
export function writeSummary(root: string): number {
  const runs = sweepRuns(root);
  writeFileAtomically(join(root, 'summary.csv'), summaryCsv(runs));
  return runs.length;
}
