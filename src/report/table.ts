// The comparison table: groups of runs (runs whose configuration differs only in seed, name, run_id and
// cross-validation fold) sorted best first, the sorting metric as its mean with a confidence interval and each
// group's difference from the top group (interval, p-value, test), the other metrics as mean ± std; as aligned
// terminal text with the sentences saying what the numbers are, as CSV rows, and as cells for compare.html.
// Computing the groups and their statistics is runner/'s; here only their presentation.

import stringWidth from 'string-width';

/** A metric over a group's runs: mean, sample standard deviation (n − 1) and the mean's confidence interval
 *  (Student's t, corrected for a cross-validation's folds; both undefined for one run). */
export interface Stat {
  mean: number;
  std?: number;
  ci?: [low: number, high: number];
  n: number;
}

/** The t-tests of a group against the top group; "corrected": Nadeau and Bengio's, for cross-validated runs. */
export type TestName = 'paired t' | 'Welch t' | 'corrected paired t' | 'corrected Welch t';

/** A group against the top group, on the sorting metric. */
export interface VersusTop {
  /** This group's mean minus the top group's (paired: the mean of the per-seed differences, the same number). */
  diff: number;
  /** The difference's confidence interval; undefined when either group has one run. */
  ci?: [low: number, high: number];
  /** Two-sided p-value; undefined when it cannot be computed (one run, or every value equal). */
  p?: number;
  /** The t-test used: paired by seed (and fold) when both groups ran the same seeds (and folds), Welch's
   *  otherwise; corrected when the runs are cross-validation folds. */
  test?: TestName;
  /** The test's degrees of freedom; undefined for Welch's test of two groups without spread (0/0: see significance.ts TTest). */
  df?: number;
  /** The Wilcoxon signed-rank test beside the paired t-test, from six pairs on. */
  wilcoxon?: { p: number; method: 'exact' | 'normal' };
  /** p < alpha. */
  significant: boolean;
}

export interface GroupSummary {
  label: string;
  /** Runs in the group. */
  n: number;
  seeds: number[];
  /** The runs' number of cross-validation folds (data.split.folds), when they are folds. */
  folds?: number;
  stats: Record<string, Stat>;
  /** The top group, better than every other at the significance level. */
  best: boolean;
  /** Tied for best: the top group when it is not significantly better than all others, and each group not
   *  significantly worse than it. */
  tied: boolean;
  /** Against the top group (every group but the top one that has the sorting metric). */
  vsTop?: VersusTop;
  /** The runs' folders. */
  dirs: string[];
}

export interface ComparisonTable {
  /** Groups in table order (best first). */
  groups: readonly GroupSummary[];
  /** The metric the table is sorted by, and its direction. */
  by: string;
  higherIsBetter: boolean;
  /** Metric columns in display order (`by` first). */
  metrics: readonly string[];
  /** The significance level; the intervals are at confidence 1 − alpha. */
  alpha: number;
}

/** A number with 4 significant digits, without trailing zeros or exponent noise (0.0001448, 12.35, 1). */
export function formatNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

/** mean ± std (the mean alone for one value); with ` (n = k)` when it is over fewer values than the group's `runs`. */
function formatStat(s: Stat | undefined, runs: number): string {
  if (s === undefined) return '—';
  const over = s.n < runs ? ` (n = ${s.n})` : '';
  return (s.std === undefined ? formatNumber(s.mean) : `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`) + over;
}

/** The n column: the group's runs, or "k of n" when only k of them have a number for the sorting metric (the
 *  values its mean, interval and test are over). */
function countText(g: GroupSummary, by: string): string {
  const k = g.stats[by]?.n ?? 0;
  return k < g.n ? `${k} of ${g.n}` : String(g.n);
}

/** Groups that some runs have no number of `metric` in. */
const partial = (t: ComparisonTable, metric: string) => t.groups.filter((g) => (g.stats[metric]?.n ?? 0) < g.n);

/** A value with its interval: `0.9667 [0.8232, 1.11]` (the value alone without one). */
export function formatInterval(value: number, ci: readonly [number, number] | undefined): string {
  return ci === undefined ? formatNumber(value) : `${formatNumber(value)} [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]`;
}

/** A p-value to 2 significant digits (0.031, 0.00012, 2.2e-16); given alpha, with more where 2 would put it on
 *  the other side of alpha than the verdict (0.0496 at alpha 0.05: "0.0496", not "0.05"). */
export function formatP(p: number | undefined, alpha?: number): string {
  if (p === undefined) return '—';
  let digits = 2;
  while (digits < 17 && alpha !== undefined && Number(p.toPrecision(digits)) < alpha !== p < alpha) digits++;
  return String(Number(p.toPrecision(digits)));
}

/** The confidence level as a percentage: alpha 0.05 → "95%", 1e-7 → "99.99999%" (never "100%": as many digits
 *  as tell it from 100, up to 12); a smaller alpha as 100 less it: 1e-17 → "(100 − 1e-15)%". */
export function levelText(alpha: number): string {
  for (let digits = 6; digits <= 12; digits++) {
    const level = Number(((1 - alpha) * 100).toPrecision(digits));
    if (level < 100) return `${level}%`;
  }
  return `(100 − ${Number((alpha * 100).toPrecision(12))})%`;
}

/** Seeds as short ranges: [0,1,2,3,7] → "0–3, 7". */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export const BEST_MARK = '*';
export const TIED_MARK = '=';

/** Header and cells (strings) of the table, one row per group; the first column holds the mark; `text` says
 *  which columns hold text (left-aligned) rather than numbers. Without a second group the comparison columns
 *  are left out, and the signed-rank column unless some group has that test. */
export function tableCells(t: ComparisonTable): { header: string[]; rows: string[][]; text: boolean[] } {
  const level = levelText(t.alpha);
  const versus = t.groups.some((g) => g.vsTop !== undefined);
  const wilcoxon = t.groups.some((g) => g.vsTop?.wilcoxon !== undefined);
  const others = t.metrics.filter((m) => m !== t.by);
  const columns: { name: string; text?: boolean; cell: (g: GroupSummary) => string }[] = [
    { name: '', text: true, cell: (g) => (g.best ? BEST_MARK : g.tied ? TIED_MARK : '') },
    { name: 'group', text: true, cell: (g) => g.label },
    { name: 'n', cell: (g) => countText(g, t.by) },
    { name: 'seeds', text: true, cell: (g) => formatSeeds(g.seeds) },
    { name: `${t.by} (${level} CI)`, cell: (g) => (g.stats[t.by] === undefined ? '—' : formatInterval(g.stats[t.by].mean, g.stats[t.by].ci)) },
    ...(versus
      ? [
          { name: `vs top (${level} CI)`, cell: (g: GroupSummary) => (g.vsTop === undefined ? '' : formatInterval(g.vsTop.diff, g.vsTop.ci)) },
          { name: 'p', cell: (g: GroupSummary) => (g.vsTop === undefined ? '' : formatP(g.vsTop.p, t.alpha)) },
          { name: 'test', text: true, cell: (g: GroupSummary) => (g.vsTop === undefined ? '' : (g.vsTop.test ?? 'too few runs')) },
        ]
      : []),
    ...(wilcoxon
      ? [{ name: 'Wilcoxon p', cell: (g: GroupSummary) => (g.vsTop?.wilcoxon === undefined ? '' : `${formatP(g.vsTop.wilcoxon.p)}${g.vsTop.wilcoxon.method === 'normal' ? ' (approx.)' : ''}`) }]
      : []),
    ...others.map((m) => ({ name: m, cell: (g: GroupSummary) => formatStat(g.stats[m], g.n) })),
  ];
  return { header: columns.map((c) => c.name), rows: t.groups.map((g) => columns.map((c) => c.cell(g))), text: columns.map((c) => c.text === true) };
}

/** Sentences under the table: the verdict and what the numbers are. */
export function tableNote(t: ComparisonTable): string {
  const direction = t.higherIsBetter ? 'higher is better' : 'lower is better';
  const level = levelText(t.alpha);
  const top = t.groups[0];
  const compared = t.groups.some((g) => g.vsTop !== undefined);
  const verdict = !compared
    ? `Sorted by ${t.by} (${direction}); ${t.groups.length < 2 ? 'no second group' : `no other group has a value of ${t.by}`} to test the top one against.`
    : top.best
      ? `${BEST_MARK} best by ${t.by} (${direction}): ${top.label} is better than every other group (p < alpha = ${t.alpha}).`
      : `${TIED_MARK} tied for best by ${t.by} (${direction}): ${top.label} has the best mean but is not significantly better than the other groups marked ${TIED_MARK} (alpha = ${t.alpha}).`;
  const folds = [...new Set(t.groups.flatMap((g) => (g.folds === undefined ? [] : [g.folds])))].sort((a, b) => a - b);
  return [
    verdict,
    `A group pools the runs whose config.json is the same but for seed, name, run_id and cross-validation fold (n: how many).`,
    ...partial(t, t.by)
      .filter((g) => g.stats[t.by] !== undefined)
      .slice(0, 1)
      .map((g) => `"${countText(g, t.by)}": ${g.stats[t.by].n} of the group's ${g.n} runs have a number for ${t.by}, and its statistics are over those.`),
    `${t.by}: mean [${level} confidence interval, Student's t].`,
    ...(compared
      ? [
          `vs top: the group's mean minus the top group's [${level} interval], two-sided p; paired t-test when both groups ran the same seeds${folds.length > 0 ? ' and folds' : ''},`,
          `else Welch's t-test.${t.groups.some((g) => g.vsTop?.wilcoxon) ? ' Wilcoxon p: the signed-rank test of the same pairs (exact; "approx." with ties or zero differences).' : ''}`,
        ]
      : []),
    ...(folds.length > 0
      ? [
          `Groups of ${folds.join(' or ')} cross-validation folds (K): their runs share training rows, so their intervals${compared ? ' and tests ("corrected")' : ''} are Nadeau and Bengio's`,
          `corrected resampled t: the variance of a mean of n runs is s²·(1/n + 1/(K − 1)), not s²/n${compared ? '; no signed-rank test for them' : ''}.`,
        ]
      : []),
    ...(t.metrics.length > 1
      ? [`Other metrics: mean ± std (sample, n − 1) over the group's runs${t.metrics.some((m) => m !== t.by && partial(t, m).some((g) => g.stats[m] !== undefined)) ? ' ("n = k": over the k that have a number for it)' : ''}.`]
      : []),
  ].join('\n');
}

/** The table as aligned text: text columns left-aligned, numbers right-aligned, then the note. Widths are
 *  terminal columns (string-width: a CJK character takes two, a combining accent none), not code points, as a
 *  swept value's text (a target column 売上) can hold them. */
export function tableText(t: ComparisonTable): string {
  const { header, rows, text } = tableCells(t);
  const widths = header.map((h, c) => Math.max(c === 0 ? 1 : 0, stringWidth(h), ...rows.map((r) => stringWidth(r[c])))); // the mark column is kept when empty
  const left = (c: number) => text[c];
  const pad = (cell: string, c: number) => ' '.repeat(widths[c] - stringWidth(cell));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (left(c) ? cell + pad(cell, c) : pad(cell, c) + cell))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', tableNote(t)].join('\n') + '\n';
}

/** The table as CSV columns and rows, numbers unrounded: the mark, the comparison with the top group, and
 *  each metric's mean, std, interval and number of values (n: the group's runs; METRIC_n: those with a number);
 *  last the runs' folders as a JSON array of strings (as summary.csv writes a swept value that is not a scalar). */
export function tableCsv(t: ComparisonTable): { columns: string[]; rows: (string | number)[][] } {
  const versus = ['vs_top_diff', 'vs_top_ci_low', 'vs_top_ci_high', 'vs_top_p', 'vs_top_test', 'vs_top_df', 'wilcoxon_p', 'wilcoxon_method'];
  const columns = ['rank', 'best', 'tied', 'group', 'n', 'seeds', ...versus, ...t.metrics.flatMap((m) => [`${m}_mean`, `${m}_std`, `${m}_ci_low`, `${m}_ci_high`, `${m}_n`]), 'dirs'];
  const rows = t.groups.map((g, i) => {
    const v = g.vsTop;
    return [
      i + 1,
      g.best ? 1 : 0,
      g.tied ? 1 : 0,
      g.label,
      g.n,
      g.seeds.join(' '),
      ...[v?.diff, v?.ci?.[0], v?.ci?.[1], v?.p, v?.test, v?.df, v?.wilcoxon?.p, v?.wilcoxon?.method].map((x) => x ?? ''),
      ...t.metrics.flatMap((m) => [g.stats[m]?.mean, g.stats[m]?.std, g.stats[m]?.ci?.[0], g.stats[m]?.ci?.[1], g.stats[m]?.n ?? 0].map((x) => x ?? '')),
      JSON.stringify(g.dirs), // NOTE: a JSON array, not joined by spaces: a folder's name may hold a space (or a comma, a quote)
    ];
  });
  return { columns, rows };
}
