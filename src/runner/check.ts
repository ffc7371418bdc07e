// `mlplab check`: reruns an experiment (every run of its sweep, writing no results) and compares the base
// run's loss log (the file's own values; with cross-validation, fold 1) with its golden file cell by cell, and
// each run group's final metrics with the file's `expect:` bounds (for runs that differ only by seed or
// cross-validation fold: their mean). A run of a group with bounds that did not complete (diverged,
// interrupted) fails its group and is never part of the mean; a group may instead expect its runs to diverge
// (`status: diverged`). Every drift and failure is reported; --update writes the golden only when every
// expectation holds. What would stop a check (an `expect:` it cannot measure, a missing golden) is found before
// anything trains (planCheck).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkLoadArguments, loadExperiment, type Bounds, type ExpectedStatus, type Expectations, type LoadedExperiment } from '../config/load.js';
import { loadPlan, type Plan } from '../config/plan.js';
import { formatPath, UserError, UserErrors } from '../errors.js';
import { lossLogCsv } from '../files/losslog.js';
import type { RunStatus } from '../files/runfile.js';
import { outputError } from '../files/fsfail.js';
import { makeFolder, writeFileAtomically } from '../files/outputs.js';
import { READ_LIMITS, readBounded } from '../files/safefs.js';
import { canonical, foldOf, groupKey, sweptSetting } from './groups.js';
import { givenBack } from '../kernels/index.js';
import { DataCache } from './datacache.js';
import { prepare } from './prepare.js';
import { preparePlan } from './prepare-plans.js';
import { trainExperiment, type RunResult } from './run.js';
import { metricColumns } from './watch.js';
import { mean as meanOf } from './significance.js';

/** Golden loss logs match when every number agrees within this relative difference. */
export const GOLDEN_TOLERANCE = 1e-9;

/** One difference: a loss-log cell that moved, an expectation a group's mean misses, or a run of a group that did not complete. */
export interface Drift {
  experiment: string;
  /**
   * 'golden': row (1-based, after the header), its epoch, column; 'expect': column is the metric, row undefined;
   * 'run': a run of a group with `expect:` bounds or `status` that ended otherwise (seed; got: its status; expected: the group's status).
   */
  kind: 'golden' | 'expect' | 'shape' | 'run';
  /** 'run': the seed of the run that did not complete (and its cross-validation fold). */
  seed?: number;
  fold?: number;
  row?: number;
  epoch?: string;
  column?: string;
  expected: string;
  got: string;
  relative?: number;
  /** Which runs an expectation was measured over (`mean of 10 seeds, activation=relu`). */
  over?: string;
}

export interface CheckReport {
  file: string;
  name: string;
  /** The golden file (absent when it does not exist, the file names none and no --update asked for it). */
  golden?: string;
  runs: number;
  drifts: Drift[];
  /** --update: the golden file was written (not when an `expect:` bound failed or a run did not complete). */
  updated: boolean;
}

/**
 * Where an experiment's golden loss log lives, never depending on the current folder: its `golden:` key
 * (relative to the file), else NAME.csv in the `test/golden/` folder nearest the file (in its own folder, else
 * in its parent's, and so on up: experiments/learn/x.yaml finds the project's test/golden/; a file named test or
 * test/golden is passed by); when no folder up the tree has one, test/golden/ beside the file, where --update creates it.
 */
export function goldenFileOf(exp: LoadedExperiment): string {
  if (exp.golden !== undefined) return resolve(exp.baseDir, exp.golden);
  const start = resolve(exp.baseDir);
  let dir = start;
  while (!isDirectory(join(dir, 'test', 'golden')) && dirname(dir) !== dir) dir = dirname(dir);
  const found = isDirectory(join(dir, 'test', 'golden')) ? dir : start;
  return join(found, 'test', 'golden', `${exp.config.name}.csv`);
}

/** Whether path is a folder: not when absent, a file, or below a file (ENOTDIR: a file named test); else a UserError. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw outputError(path, 'look for the golden folder there', e);
  }
}

/** The experiment files under root/experiments (subfolders included) that have a golden file, sorted. */
export function experimentsWithGoldens(root = '.'): string[] {
  const dir = join(root, 'experiments');
  const files = existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  return files.map((f) => join(dir, f)).filter((f) => existsSync(goldenFileOf(loadExperiment(f))));
}

/** An experiment file ready to check: read, its runs planned, its `expect:` and golden file found sound (nothing trained yet). */
export interface PlannedCheck {
  file: string;
  base: LoadedExperiment;
  plan: Plan;
  golden: string;
  update: boolean;
}

/**
 * Reads an experiment file for checking and finds, before anything trains, what would stop the check: a run's
 * data or initial network that fail their checks (as `validate`), an `expect:` selector that picks no group, a metric its runs do not log (from the base run's data), a named
 * golden file that is missing, neither a golden file nor `expect:` (all UserErrors, located).
 */
export function planCheck(file: string, options: { update?: boolean } = {}): PlannedCheck {
  checkLoadArguments('checkExperiment', file, options);
  const base = loadExperiment(file);
  const plan = loadPlan(file);
  // Every run's data and initial network, as run and validate check them (the same messages, placed at the sweep entry).
  const data = new DataCache();
  preparePlan(plan, data, new Map());
  const problems = expectProblems(base, plan, data);
  if (problems.length > 0) throw new UserErrors(problems);
  const golden = goldenFileOf(base);
  const update = options.update === true;
  if (!update && !existsSync(golden)) {
    if (base.golden !== undefined) throw new UserError('io', `golden file not found: ${golden} (write it with mlplab check --update)`, { ...base.source.at(['golden']), path: 'golden' });
    if (base.expect === undefined) throw new UserError('io', `nothing to check: no golden file ${golden} and no expect: (write the golden with mlplab check --update)`, { file });
  }
  return { file, base, plan, golden, update };
}

/**
 * What would stop a check of `base`'s `expect:` over the runs of `plan` (prepared with `data`): a selector that
 * picks no group, a metric the runs do not log (from the base run's data). planCheck's, and `mlplab validate`'s.
 */
export function expectProblems(base: LoadedExperiment, plan: Plan, data: DataCache): UserError[] {
  if (base.expect === undefined) return [];
  const logged = givenBack(() => metricColumns(prepare(base, {}, data).data));
  return expectationProblems(base, plan.runs.map((r) => r.values), logged);
}

/**
 * Reruns the experiment and compares; with `update`, first checks `expect:` and, only if every bound holds and
 * every run of a bounded group completed, writes the base run's loss log as the new golden.
 */
export function checkExperiment(file: string, options: { update?: boolean } = {}): CheckReport {
  return runCheck(planCheck(file, options));
}

/** Trains every run of a planned check and compares (checkExperiment's second half). */
export function runCheck({ file, base, plan, golden, update }: PlannedCheck): CheckReport {
  const name = base.config.name;
  const results = plan.runs.map((r) => trainExperiment(r.exp));
  // NOTE: canonical (keys sorted): a default the schema fills (a cross-validation's fold 1) may stand elsewhere than the plan's value.
  const sameAsBase = (r: RunResult) => canonical({ ...r.config, run_id: undefined }) === canonical({ ...base.config, run_id: undefined });
  const baseResult = results.find(sameAsBase) ?? trainExperiment(base);
  const csv = lossLogCsv(baseResult.columns, baseResult.rows);
  const report: CheckReport = { file, name, runs: results.length, drifts: [], updated: false };
  const expected = expectationDrifts(base, plan.runs.map((r, k) => ({ values: r.values, config: results[k].config, final: results[k].final, status: results[k].run.status })));
  if (update && expected.length === 0) {
    makeFolder(dirname(golden)); // NOTE: not a recursive mkdirSync: ENOTDIR through a file, an endless loop on /proc
    writeFileAtomically(golden, csv);
    report.updated = true;
  }
  if (existsSync(golden)) {
    report.golden = golden;
    report.drifts.push(...csvDrifts(name, csv, readGolden(golden), GOLDEN_TOLERANCE));
  } else if (update) {
    report.golden = golden; // asked for, not written: an expectation failed
  }
  report.drifts.push(...expected);
  return report;
}

/** A golden file's text (bounded), checked to be CSV of equal-length rows: anything else is a UserError naming it. */
function readGolden(golden: string): string {
  let text: string;
  try {
    text = readBounded(golden, READ_LIMITS.golden, 'a golden file');
    parse(text);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const why = (e as NodeJS.ErrnoException).code?.startsWith('CSV_') ? `it is not CSV of rows of one length (${(e as Error).message})` : (e as Error).message;
    throw new UserError('io', `cannot read the golden file: ${why}; write it again with mlplab check --update`, { file: golden });
  }
  return text;
}

/** Every cell of `actual` that differs from `expected` by more than the relative tolerance. */
export function csvDrifts(experiment: string, actual: string, expected: string, tolerance: number): Drift[] {
  const a: string[][] = parse(actual);
  const e: string[][] = parse(expected);
  const shape = (what: string, exp: string, got: string): Drift[] => [{ experiment, kind: 'shape', column: what, expected: exp, got }];
  if (a[0]?.join(',') !== e[0]?.join(',')) return shape('header', e[0]?.join(',') ?? '', a[0]?.join(',') ?? '');
  const drifts: Drift[] = [];
  const header = e[0];
  for (let r = 1; r < Math.min(a.length, e.length); r++) {
    for (let c = 0; c < header.length; c++) {
      const [x, y] = [cellNumber(a[r][c]), cellNumber(e[r][c])];
      const scale = Math.max(Math.abs(x), Math.abs(y));
      // NOTE: two cells that are no numbers agree only as the same text (NaN and NaN, not NaN and an empty cell).
      const relative = x === y || (Number.isNaN(x) && Number.isNaN(y) && a[r][c] === e[r][c]) ? 0 : Math.abs(x - y) / scale;
      if (!(relative <= tolerance)) drifts.push({ experiment, kind: 'golden', row: r, epoch: e[r][0], column: header[c], expected: e[r][c], got: a[r][c], relative });
    }
  }
  if (a.length !== e.length) drifts.push(...shape('rows', `${e.length - 1} data rows`, `${a.length - 1}`));
  return drifts;
}

/** A loss-log cell's number: NaN for an empty cell, which Number() reads as 0. */
const cellNumber = (text: string): number => (text.trim() === '' ? NaN : Number(text));

/** A run as `expect:` sees it: its swept values, configuration, final metrics and status. */
interface CheckedRun {
  values: Record<string, unknown>;
  config: object;
  final: Record<string, number>;
  status: RunStatus;
}

/**
 * The file's expectations against each group of runs that differ only by seed or fold: each run ends as the group's
 * `status` says (default completed: a run that did not complete fails its group), and the mean of its completed
 * runs' final metrics keeps its bounds; a metric the runs do not log is an error located at its `expect:` key.
 */
function expectationDrifts(exp: LoadedExperiment, runs: CheckedRun[]): Drift[] {
  const groups = new Map<string, CheckedRun[]>(); // as compare groups runs: by their configuration without seed and fold
  for (const run of runs) {
    const key = groupKey(run.config as Record<string, unknown>);
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  const expect = exp.expect ?? {};
  const drifts: Drift[] = [];
  for (const group of groups.values()) {
    const { status, bounds } = groupExpectation(expect, group.map((r) => r.values));
    if (status === undefined && bounds.length === 0) continue;
    const expected = status ?? 'completed';
    const key = Object.entries(sweptSetting(group[0].values)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    for (const r of group.filter((r) => r.status !== expected)) {
      const fold = foldOf(r.config as Record<string, unknown>);
      drifts.push({ experiment: exp.config.name, kind: 'run', seed: (r.config as { seed: number }).seed, ...(fold === undefined ? {} : { fold }), expected, got: r.status, over: key });
    }
    const completed = group.filter((r) => r.status === 'completed');
    if (expected !== 'completed' || completed.length === 0) continue;
    const counted = completed.length < group.length ? ` (${group.length - completed.length} of ${group.length} did not complete)` : '';
    const seeds = completed.length > 1 ? `mean of ${runsText(completed)}${counted}` : `one run${counted}`;
    const over = key === '' ? seeds : `${seeds}, ${key}`;
    for (const [metric, { min, max }] of bounds) {
      const got = meanDefined(completed, metric);
      if (min !== undefined && !(got.mean >= min)) drifts.push({ experiment: exp.config.name, kind: 'expect', column: metric, expected: `>= ${min}`, got: got.text, over });
      if (max !== undefined && !(got.mean <= max)) drifts.push({ experiment: exp.config.name, kind: 'expect', column: metric, expected: `<= ${max}`, got: got.text, over });
    }
  }
  return drifts;
}

/**
 * The mean of a metric over the completed runs that have a value of it, as compare's means: a metric undefined in
 * a run (R² of one validation row or of constant targets, NaN in memory, null in run.json) is left out and said so;
 * undefined in every run, the mean is NaN, which no bound holds, with text saying why.
 */
function meanDefined(runs: readonly CheckedRun[], metric: string): { mean: number; text: string } {
  const values = runs.map((r) => r.final[metric]).filter((v) => Number.isFinite(v));
  if (values.length === 0) return { mean: NaN, text: `no value (${metric} is undefined in every run)` };
  const mean = meanOf(values);
  const left = runs.length - values.length;
  return { mean, text: left === 0 ? String(mean) : `${mean} (of the ${values.length} run(s) with a value; ${metric} is undefined in ${left})` };
}

/**
 * What in the file's expectations cannot be checked, located at its `expect:` key: a metric the runs do not
 * log (`logged`: the base run's loss-log metrics), a `key=value` selector that no run's swept values match or
 * that names seed or fold (which tell a group's runs apart, so pick no group).
 */
function expectationProblems(exp: LoadedExperiment, values: readonly Record<string, unknown>[], logged: readonly string[]): UserError[] {
  const expect = exp.expect ?? {};
  const at = (path: string[], message: string) => new UserError('check', message, { ...exp.source.atKey(['expect', ...path]), path: formatPath(['expect', ...path]) });
  const named = Object.entries(expect).flatMap(([k, v]) => (k.includes('=') ? Object.keys(v).map((m) => [k, m]) : [[k]])).filter((p) => p[p.length - 1] !== 'status');
  const swept = Object.keys(values[0] ?? {});
  const choosing = Object.keys(sweptSetting(values[0] ?? {})).join(', ') || (swept.length > 0 ? `none, this file sweeps only ${swept.join(' and ')}` : 'this file sweeps nothing');
  // NOTE: seed and fold tell a group's runs apart, so no selector of them picks a group (groupExpectation reads a
  // group's first run: "fold=2" was never checked, "seed=0" bounded every seed's mean).
  const pooled = (k: string) => k.split(',').map((pair) => pair.slice(0, pair.indexOf('=')).trim()).find((key) => key === 'seed' || key === 'fold');
  return [
    ...named.filter((p) => !logged.includes(p[p.length - 1])).map((p) => at(p, `the runs do not log ${p[p.length - 1]}; they log ${logged.join(', ')}`)),
    ...Object.keys(expect)
      .filter((k) => k.includes('=') && (!values.some((v) => selects(k, v)) || pooled(k) !== undefined))
      .map((k) =>
        values.some((v) => selects(k, v))
          ? at([k], `a selector of ${pooled(k)} picks no group: a group pools its runs' seeds and folds, and its bounds hold for their mean; select by the other swept values: ${choosing}`)
          : at([k], `no group of runs has ${k} (a group is chosen by swept values: ${choosing})`),
      ),
  ];
}

/** What a group's mean is over: `10 seeds`, `5 folds`, `10 runs (5 folds × 2 seeds)`, `3 runs (1 seed)`. */
function runsText(runs: readonly CheckedRun[]): string {
  const seeds = new Set(runs.map((r) => (r.config as { seed: number }).seed)).size;
  const folds = new Set(runs.map((r) => foldOf(r.config as Record<string, unknown>))).size;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  // NOTE: a group may hold a seed's run more than once (random-search samples that drew one configuration).
  if (folds === 1) return seeds === runs.length ? count(seeds, 'seed') : `${runs.length} runs (${count(seeds, 'seed')})`;
  return seeds === 1 && folds === runs.length ? count(folds, 'fold') : `${runs.length} runs (${count(folds, 'fold')} × ${count(seeds, 'seed')})`;
}

/**
 * Does a `key=value[,key=value]` selector pick the group with these swept values? A number by its value, as the
 * sweep's YAML reads it (`learning_rate=1e-1` picks 0.1); anything else by its text.
 */
function selects(selector: string, values: Record<string, unknown>): boolean {
  return selector.split(',').every((pair) => {
    const eq = pair.indexOf('=');
    const [value, text] = [values[pair.slice(0, eq).trim()], pair.slice(eq + 1).trim()];
    return typeof value === 'number' && text !== '' ? Number(text) === value : String(value) === text;
  });
}

/**
 * What `expect:` asks of a group: its `status` (a matching selector's, else the top level's; undefined when
 * neither says) and, for a group expected to complete, the bounds for every group and those of the selectors its
 * runs' swept values match. NOTE: any run's, not the first's: random-search samples that drew one configuration are
 * one group (sample=0 and sample=2), and a selector of either bounds it.
 */
function groupExpectation(expect: Expectations, runs: readonly Record<string, unknown>[]): { status?: ExpectedStatus; bounds: [string, Bounds][] } {
  let status = typeof expect.status === 'string' ? expect.status : undefined;
  const bounds: [string, Bounds][] = [];
  for (const [k, v] of Object.entries(expect)) {
    if (k === 'status') continue;
    if (!k.includes('=')) bounds.push([k, v as Bounds]);
    else if (runs.some((values) => selects(k, values))) for (const [m, b] of Object.entries(v as Record<string, Bounds | ExpectedStatus>)) m === 'status' ? (status = b as ExpectedStatus) : bounds.push([m, b as Bounds]);
  }
  return { status, bounds: (status ?? 'completed') === 'completed' ? bounds : [] };
}

/** One line per drift: experiment, row, column, expected, got, relative difference. */
export function formatDrift(d: Drift): string {
  if (d.kind === 'expect') return `${d.experiment}: expect ${d.column} ${d.expected}, got ${d.got} (${d.over})`;
  const run = `${d.experiment}: seed ${d.seed}${d.fold === undefined ? '' : `, fold ${d.fold}`}${d.over ? ` (${d.over})` : ''} ${d.got}`;
  if (d.kind === 'run' && d.expected === 'completed') return `${run}: a run that did not complete fails its group's expect: and is left out of the mean`;
  if (d.kind === 'run') return `${run}, expected ${d.expected} (expect: status: ${d.expected})`;
  if (d.kind === 'shape') return `${d.experiment}: loss log ${d.column}: expected ${d.expected}, got ${d.got}`;
  return `${d.experiment}: row ${d.row} (epoch ${d.epoch}), ${d.column}: expected ${d.expected}, got ${d.got}, relative difference ${d.relative!.toExponential(2)}`;
}
