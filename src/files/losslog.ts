// The loss log: one row per logged epoch (epoch 0 before any update, every `log.every` epochs, and the last),
// written as CSV with csv-stringify (csvText, also used by predict). Numbers are in shortest round-trip decimal form (JavaScript's String(n)),
// so reading a value back gives the identical float64.

import { stringify } from 'csv-stringify/sync';

/** One logged moment: epoch, weight updates so far, and metrics named by their column. */
export interface LogRow {
  epoch: number;
  step: number;
  [metric: string]: number;
}

/** Is epoch e one that the log records? */
export function isLoggedEpoch(epoch: number, every: number, lastEpoch: number): boolean {
  return epoch === 0 || epoch === lastEpoch || epoch % every === 0;
}

export function lossLogCsv(columns: readonly string[], rows: readonly LogRow[]): string {
  return csvText(columns, rows.map((r) => columns.map((c) => r[c])));
}

/** A header and rows as CSV, numbers in shortest round-trip form: every CSV mlplab writes goes through here. */
export function csvText(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], { header: true, columns: [...columns], cast: { number: (v) => String(v) } });
}
