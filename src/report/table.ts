// The comparison table: groups of runs (runs that differ only by seed) with each metric as mean ± std over
// the group's runs, sorted best first, as aligned terminal text, as CSV rows, and as cells for compare.html.
// Computing the groups and their statistics is runner/compare.ts's; here only their presentation.

/** A metric over a group's runs: mean and sample standard deviation (n − 1; undefined for one run). */
export interface Stat {
  mean: number;
  std?: number;
  n: number;
}

export interface GroupSummary {
  label: string;
  /** Runs in the group. */
  n: number;
  seeds: number[];
  stats: Record<string, Stat>;
  best: boolean;
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
}

/** A number with 4 significant digits, without trailing zeros or exponent noise (0.0001448, 12.35, 1). */
export function formatNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

export function formatStat(s: Stat | undefined): string {
  if (s === undefined) return '—';
  return s.std === undefined ? formatNumber(s.mean) : `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`;
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

/** Header and cells (strings) of the table, one row per group; the first column holds the best mark. */
export function tableCells(t: ComparisonTable): { header: string[]; rows: string[][] } {
  const header = ['', 'group', 'n', 'seeds', ...t.metrics];
  const rows = t.groups.map((g) => [g.best ? BEST_MARK : '', g.label, String(g.n), formatSeeds(g.seeds), ...t.metrics.map((m) => formatStat(g.stats[m]))]);
  return { header, rows };
}

/** One sentence under the table: what the numbers are and what the mark means. */
export function tableNote(t: ComparisonTable): string {
  const direction = t.higherIsBetter ? 'higher is better' : 'lower is better';
  return `${BEST_MARK} best by ${t.by} (${direction}); metrics are mean ± std (sample, n − 1) over each group's runs, which differ only by seed`;
}

/** The table as aligned text: text columns left-aligned, numbers right-aligned, then the note. */
export function tableText(t: ComparisonTable): string {
  const { header, rows } = tableCells(t);
  const widths = header.map((h, c) => Math.max([...h].length, ...rows.map((r) => [...r[c]].length)));
  const left = (c: number) => c <= 1 || c === 3;
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (left(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', tableNote(t)].join('\n') + '\n';
}

/** The table as CSV columns and rows: means and stds in columns of their own, numbers unrounded. */
export function tableCsv(t: ComparisonTable): { columns: string[]; rows: (string | number)[][] } {
  const columns = ['rank', 'best', 'group', 'n', 'seeds', ...t.metrics.flatMap((m) => [`${m}_mean`, `${m}_std`]), 'dirs'];
  const rows = t.groups.map((g, i) => [
    i + 1,
    g.best ? 1 : 0,
    g.label,
    g.n,
    g.seeds.join(' '),
    ...t.metrics.flatMap((m) => [g.stats[m]?.mean ?? '', g.stats[m]?.std ?? '']),
    g.dirs.join(' '),
  ]);
  return { columns, rows };
}
