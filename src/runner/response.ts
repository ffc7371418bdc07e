// Which sweep response charts compare draws (report/response.ts draws them): one per swept key that takes two
// values or more among the groups (seed, a cross-validation's fold and a random search's sample number aside),
// each group a point at its value of the key with its mean and interval of the sorting metric, its other swept values naming its series.
// With three swept keys or more, a parallel-coordinates chart of the runs. Runs outside a sweep (no swept
// values) give none.

import type { ParallelChart, ResponseChart } from '../report/response.js';
import { levelText, type GroupSummary } from '../report/table.js';
import { naturalOrder } from './natural-order.js';
import { isDrawn, sweptNames, sweptValueText } from './groups.js';

const NOT_A_RESPONSE = new Set(['seed', 'sample', 'fold']);

/** A swept value as the chart's x: numbers as they are, anything else as text. */
const xOf = (v: unknown): number | string => (typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v));

/** A series' name: the other keys' values (4 significant digits for a random search's drawn numbers, groups.ts sweptValueText). */
function seriesOf(swept: Record<string, unknown>, key: string, names: Map<string, string>): string {
  return Object.entries(swept)
    .filter(([k]) => k !== key && !NOT_A_RESPONSE.has(k))
    .map(([k, v]) => `${names.get(k)}=${sweptValueText(v, isDrawn(swept))}`)
    .join(', ');
}

/** A swept key's axis is logarithmic when its values, lo to hi, are positive and span a decade or more. */
const spansADecade = (lo: number, hi: number): boolean => lo > 0 && hi / lo >= 10;

/** The response charts of these groups (each with its runs' swept values) on metric `by`. */
export function responseCharts(groups: readonly { summary: GroupSummary; swept?: Record<string, unknown> }[], by: string, alpha: number): ResponseChart[] {
  const swept = groups.filter((g) => g.swept !== undefined && g.summary.stats[by] !== undefined && Number.isFinite(g.summary.stats[by].mean));
  if (swept.length < 2 || swept.length !== groups.length) return [];
  const all = swept.flatMap((g) => Object.keys(g.swept!));
  const keys = [...new Set(all)].filter((k) => !NOT_A_RESPONSE.has(k));
  const names = sweptNames(all);
  return keys.flatMap((key) => {
    // NOTE: only the groups that swept this key (two sweeps compared together): another's has no value of it.
    const having = swept.filter((g) => key in g.swept!);
    const xs = having.map((g) => xOf(g.swept![key]));
    if (new Set(xs).size < 2) return [];
    const points = having.map((g, i) => {
      const s = g.summary.stats[by];
      return { x: xs[i], mean: s.mean, ...(s.ci ? { low: s.ci[0], high: s.ci[1] } : {}), n: s.n, series: seriesOf(g.swept!, key, names), label: g.summary.label };
    });
    const numeric = xs.every((x) => typeof x === 'number');
    const nums = xs.filter((x): x is number => typeof x === 'number');
    const log = numeric && spansADecade(Math.min(...nums), Math.max(...nums));
    const perSeries = new Map<string, number>();
    for (const p of points) perSeries.set(p.series, (perSeries.get(p.series) ?? 0) + 1);
    const lines = perSeries.size <= 10 && [...perSeries.values()].every((c) => c >= 2);
    const order = numeric ? undefined : [...new Set(xs.map(String))].sort(naturalOrder);
    return [{ key, name: names.get(key)!, metric: by, level: levelText(alpha), points, numeric, log, lines, ...(order ? { order } : {}) }];
  });
}

/** A value's place on its axis, 0 to 1, and the axis' ticks. */
function axisOf(values: unknown[]): { pos: (v: unknown) => number; ticks: { pos: number; text: string }[] } {
  const short = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(3))) : typeof v === 'string' ? v : JSON.stringify(v));
  if (values.every((v) => typeof v === 'number')) {
    const nums = values as number[];
    const [lo, hi] = [Math.min(...nums), Math.max(...nums)];
    const log = spansADecade(lo, hi);
    const f = (v: number) => (log ? Math.log(v) : v);
    const pos = (v: unknown) => (hi === lo ? 0.5 : (f(v as number) - f(lo)) / (f(hi) - f(lo)));
    return { pos, ticks: [...new Set([lo, hi])].map((v) => ({ pos: pos(v), text: short(v) + (log && v === hi ? ' (log)' : '') })) };
  }
  const cats = [...new Set(values.map(short))].sort(naturalOrder);
  const pos = (v: unknown) => (cats.length === 1 ? 0.5 : cats.indexOf(short(v)) / (cats.length - 1));
  return { pos, ticks: cats.map((c, i) => ({ pos: cats.length === 1 ? 0.5 : i / (cats.length - 1), text: c })) };
}

/** The parallel-coordinates chart of the runs, when three keys or more (seed and sample aside) are swept by every run. */
export function parallelChart(runs: readonly { label: string; swept?: Record<string, unknown>; metric?: number }[], by: string, higherIsBetter: boolean): ParallelChart | undefined {
  const shown = runs.filter((r) => r.swept !== undefined && typeof r.metric === 'number' && Number.isFinite(r.metric));
  if (shown.length < 2 || shown.length !== runs.length) return undefined;
  const all = shown.flatMap((r) => Object.keys(r.swept!));
  const keys = [...new Set(all)].filter((k) => !NOT_A_RESPONSE.has(k) && shown.every((r) => k in r.swept!) && new Set(shown.map((r) => JSON.stringify(r.swept![k]))).size > 1);
  if (keys.length < 3) return undefined;
  const short = sweptNames(all);
  const names = keys.map((k) => short.get(k)!);
  const axes = keys.map((k) => axisOf(shown.map((r) => r.swept![k])));
  const rows = shown.flatMap((r) => keys.map((k, i) => ({ run: r.label, key: names[i], pos: axes[i].pos(r.swept![k]), text: String(r.swept![k]), metric: r.metric! })));
  const ticks = axes.flatMap((a, i) => a.ticks.map((t) => ({ key: names[i], ...t })));
  return { metric: by, keys: names, rows, ticks, higherIsBetter };
}
