// `mlplab compare`'s logic: runs that differ only by seed or cross-validation fold (config.json without seed,
// name and fold) form a group; each group's final metrics (mean, std, confidence interval: corrected for a
// cross-validation's shared rows), sorted by a metric, the top group tested against the others and marked best
// or tied (verdict.ts); the groups' loss curves (mean, min–max band); and the files compare writes
// (compare.html, compare.svg, compare.vl.json, compare.csv).
// Finding and reading the runs is collect.ts's; presentation is report/'s.

import { countsOverRows, maximised } from '../metrics.js';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { csvText } from '../files/losslog.js';
import { makeFolder, writeFileAtomically } from '../files/outputs.js';
import { compareChartSpec, spansTwoDecades, type GroupCurve } from '../report/charts.js';
import { comparePageHtml } from '../report/html.js';
import { renderSvg, specJsonRows, svgTitles } from '../report/render.js';
import { tableCsv, tableText, type ComparisonTable, type GroupSummary, type Stat } from '../report/table.js';
import { parallelChartSpec, responseChartSpec, type ParallelChart, type ResponseChart } from '../report/response.js';
import { checkPathsArgument } from './arguments.js';
import { findRunFolders, readRun, type StoredRun } from './collect.js';
import { parallelChart, responseCharts } from './response.js';
import { curveOf, stopsOf } from './curves.js';
import { naturalOrder } from './natural-order.js';
import { foldOf, foldsOf, groupKey, labels } from './groups.js';
import { kFoldRatio, mean, variance } from './significance.js';
import { DEFAULT_ALPHA, intervalOf, markBest, MIN_ALPHA, type SeedValues } from './verdict.js';

export interface CompareOptions {
  /** The metric to sort by (default: test_accuracy, else test_r2, else validation_accuracy, validation_r2 (cross-validation), else train_loss). */
  by?: string;
  /** The loss-log column drawn in compare.svg (default train_loss). */
  curve?: string;
  /** The loss charts' y axes: true logarithmic, false linear; undefined (the default) logarithmic where the
   *  chart's values are positive and span more than two decades, as a run's loss.svg chooses (lossChart). */
  logScale?: boolean;
  /** The significance level for calling a group best (default 0.05); intervals are at confidence 1 − alpha. */
  alpha?: number;
  /** compare(): the folder its files are written to (default results/compare), or false to write nothing. */
  out?: string | false;
}

export const DEFAULT_COMPARE_OUT = 'results/compare';

/** The charts draw at most this many groups, the best ranked (more lines than colours cannot be told apart);
 *  the table and compare.csv list them all. */
export const MAX_CHART_GROUPS = 10;

export interface Comparison extends ComparisonTable {
  /** The charts, each a loss-log column's curves per group (the MAX_CHART_GROUPS best, in natural order): the
   *  --curve column first (compare.svg), then every other logged column (shown in compare.html only). */
  charts: { column: string; curves: GroupCurve[] }[];
  /** A sweep's response charts: the sorting metric against each swept key (seed aside). */
  responses: ResponseChart[];
  /** With three swept keys or more: every run across them, coloured by the sorting metric. */
  parallel?: ParallelChart;
  /** As CompareOptions.logScale (undefined: chosen per chart). */
  logScale?: boolean;
  inputs: string[];
  runs: number;
  /** Runs left out because they did not complete (run.json status), as "folder (status)". */
  skipped: string[];
}

export const DEFAULT_BY = ['test_accuracy', 'test_r2', 'validation_accuracy', 'validation_r2', 'train_loss'] as const;

/** Mean, sample std (n − 1) and the mean's interval at confidence 1 − alpha (corrected by ratio, n_test /
 *  n_train of cross-validated runs: significance.ts's meanVariance). */
export function stat(values: readonly number[], alpha = DEFAULT_ALPHA, ratio = 0): Stat {
  const n = values.length;
  const m = mean(values);
  if (n < 2) return { mean: m, n };
  return { mean: m, std: Math.sqrt(variance(values)), ...intervalOf(values, alpha, ratio), n };
}

/** A metric's values over a group's runs, by seed and fold (runs without it, or with null, left out). */
function valuesOf(runs: readonly StoredRun[], metric: string): SeedValues {
  return runs.flatMap((r) => {
    const value = r.final[metric];
    return typeof value === 'number' ? [{ seed: r.seed, ...fold(r.config), value }] : [];
  });
}

const fold = (config: Record<string, unknown>) => {
  const k = foldOf(config);
  return k === undefined ? {} : { fold: k };
};

/** One group's summary: its runs' metrics (a metric some runs lack is over those that have it), their intervals
 *  corrected as its runs' cross-validation calls for. */
function summarize(label: string, runs: StoredRun[], metrics: readonly string[], alpha: number): GroupSummary {
  const folds = foldsOf(runs[0].config);
  const stats: Record<string, Stat> = {};
  for (const m of metrics) {
    const values = valuesOf(runs, m).map((v) => v.value);
    if (values.length > 0) stats[m] = stat(values, alpha, kFoldRatio(folds));
  }
  return { label, n: runs.length, seeds: runs.map((r) => r.seed), ...(folds === undefined ? {} : { folds }), stats, best: false, tied: false, dirs: runs.map((r) => r.dir) };
}

/** Sorts best first by the mean of `by` (groups without it, or NaN, last; ties by label). */
function rank(groups: GroupSummary[], by: string): void {
  const up = maximised(by);
  const score = (g: GroupSummary) => (g.stats[by] === undefined || Number.isNaN(g.stats[by].mean) ? -Infinity : up ? g.stats[by].mean : -g.stats[by].mean);
  groups.sort((a, b) => score(b) - score(a) || naturalOrder(a.label, b.label));
}

/** --alpha: a number from MIN_ALPHA (1e-100) up to, not including, 1. */
function checkAlpha(alpha: number | undefined): number {
  if (alpha === undefined) return DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new UserError('usage', `--alpha expects a significance level between 0 and 1 (like 0.05 or 0.01), found ${alpha}`);
  if (alpha < MIN_ALPHA) throw new UserError('usage', `--alpha expects a significance level of at least ${MIN_ALPHA} (smaller ones are not supported: their intervals' t quantiles are not checked), found ${alpha}`);
  return alpha;
}

/** Groups, statistics, order and curves of the runs found at `paths`. */
export function compareRuns(paths: readonly string[], options: CompareOptions = {}): Comparison {
  // NOTE: in the folders' order (collect.ts byFolder), not the order the paths were given in (or a summary.csv's rows):
  // the same runs give the same groups, seeds' order and sums (a standard deviation differed in its last bit), however named.
  const found = findRunFolders(paths).map(readRun);
  const runs = found.filter((r) => r.status === 'completed');
  const skipped = found.filter((r) => r.status !== 'completed').map((r) => `${r.dir} (${r.status})`);
  if (runs.length === 0) throw new UserError('io', `no completed run among: ${skipped.join(', ')}`, { file: paths[0] });
  const byKey = new Map<string, StoredRun[]>();
  for (const r of runs) {
    const key = groupKey(r.config);
    const group = byKey.get(key);
    if (group) group.push(r);
    else byKey.set(key, [r]);
  }
  const grouped = [...byKey.values()];
  const names = labels(grouped);
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.final)))];
  // run.json holds a metric that is not a number (R² of one test row) as null: no value to sort by.
  const valued = metrics.filter((m) => runs.some((r) => typeof r.final[m] === 'number'));
  const by = options.by ?? DEFAULT_BY.find((m) => valued.includes(m)) ?? valued[0] ?? metrics[0];
  if (!metrics.includes(by)) throw new UserError('usage', `--by ${by}: no run has this metric; expected one of: ${metrics.join(', ')}`);
  if (options.by !== undefined && !valued.includes(by)) {
    throw new UserError('usage', `--by ${by}: no run has a number for this metric (run.json holds null: not a number); expected one of: ${valued.join(', ')}`);
  }
  const curve = options.curve ?? 'train_loss';
  const logged = [...new Set(runs.flatMap((r) => r.columns))].filter((c) => c !== 'epoch' && c !== 'step');
  if (!logged.includes(curve)) throw new UserError('usage', `--curve ${curve}: no loss log has this column; expected one of: ${logged.join(', ')}`);
  const alpha = checkAlpha(options.alpha);
  const groups = grouped.map((rs, i) => summarize(names[i], rs, metrics, alpha));
  rank(groups, by);
  const runsOf = (g: GroupSummary) => grouped[names.indexOf(g.label)];
  markBest(groups, groups.map((g) => ({ values: valuesOf(runsOf(g), by), ratio: kFoldRatio(g.folds) })), alpha, countsOverRows(by));
  // The charts' legends and colours follow the groups' natural order (a sweep's values in order), not the ranking.
  const natural = groups.slice(0, MAX_CHART_GROUPS).sort((a, b) => naturalOrder(a.label, b.label));
  const curvesOf = (column: string) => natural.map((g) => ({ label: g.label, n: g.n, points: curveOf(runsOf(g), column), stops: stopsOf(runsOf(g), column) }));
  const charts = [curve, ...logged.filter((c) => c !== curve).sort(metricOrder)].map((column) => ({ column, curves: curvesOf(column) }));
  const ordered = [by, ...metrics.filter((m) => m !== by).sort(metricOrder)];
  const logScale = options.logScale === undefined ? {} : { logScale: options.logScale };
  const responses = responseCharts(groups.map((g) => ({ summary: g, swept: runsOf(g)[0].swept })), by, alpha);
  const parallel = parallelChart(runs.map((r) => ({ label: r.dir, swept: r.swept, metric: r.final[by] ?? undefined })), by, maximised(by));
  return { groups, by, higherIsBetter: maximised(by), metrics: ordered, alpha, charts, responses, ...(parallel ? { parallel } : {}), ...logScale, inputs: [...paths], runs: runs.length, skipped };
}

/** train_* before test_*, loss before the score. */
function metricOrder(a: string, b: string): number {
  const rank = (m: string) => (m.startsWith('train_') ? 0 : m.startsWith('test_') ? 2 : 1) * 2 + (m.endsWith('_loss') ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : 1);
}

/** A chart's y axis: logarithmic for a loss column when asked, or by default when its values (the bands'
 *  ends) are positive and span more than two decades, as lossChart decides for a run's loss.svg. */
export function logAxis(column: string, curves: readonly GroupCurve[], choice: boolean | undefined): boolean {
  if (!column.endsWith('_loss') || choice === false) return false;
  if (choice === true) return true;
  let [lo, hi] = [Infinity, -Infinity];
  for (const c of curves) for (const p of c.points) if (Number.isFinite(p.min) && Number.isFinite(p.max)) (lo = Math.min(lo, p.min)), (hi = Math.max(hi, p.max));
  return spansTwoDecades(lo, hi);
}

/** The files compare writes, name → contents. */
export async function comparisonFiles(c: Comparison): Promise<Record<string, string>> {
  const specs = c.charts.map(({ column, curves }) => compareChartSpec(curves, { metric: column, logScale: logAxis(column, curves, c.logScale) }));
  const svgs: string[] = [];
  for (const spec of specs) svgs.push(svgTitles(await renderSvg(spec)));
  const drawn = c.charts[0].curves.length;
  const which = drawn < c.groups.length ? `the ${drawn} best groups by ${c.by} (of ${c.groups.length}; the table has them all)` : 'each group';
  const figures = c.charts.map(({ column }, i) => ({
    id: i === 0 ? 'chart' : `chart-${column}`,
    svg: svgs[i],
    caption:
      i > 0
        ? `${column} by epoch, drawn as the first chart.`
        : `${column} by epoch for ${which}: the line is the mean over the group's runs still training at that epoch, the band spans their ` +
          `minimum to maximum; "n = k" marks where runs have stopped and k remain, a cross each run that stopped early. Hover for values.`,
  }));
  for (const r of c.responses) {
    figures.push({
      id: `response-${r.key}`,
      svg: svgTitles(await renderSvg(responseChartSpec(r))),
      caption: `${c.by} against ${r.key}: each setting's mean (a dot) and its ${r.level} interval (a bar)` + (r.lines ? ', the settings that differ only in this key joined by a line.' : '.'),
    });
  }
  if (c.parallel !== undefined) {
    figures.push({
      id: 'parallel',
      svg: svgTitles(await renderSvg(parallelChartSpec(c.parallel))),
      caption: `Each run a line across the swept keys (each axis from its smallest to its largest value), coloured by its ${c.by}. Hover a line for its run.`,
    });
  }
  const { columns, rows } = tableCsv(c);
  return {
    'compare.html': comparePageHtml({ table: c, figures, inputs: c.inputs }),
    'compare.svg': svgs[0],
    'compare.vl.json': specJsonRows(specs[0]),
    'compare.csv': csvText(columns, rows),
  };
}

/** Writes the files into dir (made if missing), each atomically; other files in dir are left alone. */
export function writeComparison(dir: string, files: Record<string, string>): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError('io', 'expected a folder for the comparison (--out), found a file', { file: dir });
  if (existsSync(join(dir, 'run.json'))) throw new UserError('io', "this folder holds a run (run.json); expected a folder for the comparison's files: choose another with --out", { file: dir });
  makeFolder(dir); // NOTE: not mkdirSync's recursive: it threw ENOTDIR through a file, and spun forever on /proc/x
  for (const [name, text] of Object.entries(files)) writeFileAtomically(join(dir, name), text);
}

/** What compare() gives: the groups and their statistics, the table as `mlplab compare` prints it, the files
 *  (name → contents) and among them the page. */
export interface CompareResult extends Comparison {
  /** The table and the sentences under it, as printed. */
  text: string;
  files: Record<string, string>;
  /** compare.html: the self-contained page. */
  page: string;
  /** Where the files were written (undefined with out: false). */
  out?: string;
}

/**
 * `mlplab compare` as a function: groups the runs found at `paths`, tests the top group against the others,
 * draws the charts, and writes compare.html, compare.svg, compare.vl.json and compare.csv into `options.out`
 * (default results/compare; false: nothing written).
 *
 *   const { groups, page } = await compare(['results/iris'], { by: 'test_accuracy', out: false });
 */
export async function compare(paths: readonly string[], options: CompareOptions = {}): Promise<CompareResult> {
  checkPathsArgument('compare', paths, options);
  const comparison = compareRuns(paths, options);
  const files = await comparisonFiles(comparison);
  const out = options.out === false ? undefined : (options.out ?? DEFAULT_COMPARE_OUT);
  if (out !== undefined) writeComparison(out, files);
  return { ...comparison, text: tableText(comparison), files, page: files['compare.html'], ...(out === undefined ? {} : { out }) };
}
