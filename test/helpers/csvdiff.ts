// Compares two numeric CSV texts cell by cell within a relative tolerance; the first difference is described
// by row (1-based, header is row 0), column name and both values, for golden-file failure messages.
import { parse } from 'csv-parse/sync';

export function firstCsvDifference(actual: string, expected: string, relTol: number): string | null {
  const a: string[][] = parse(actual);
  const e: string[][] = parse(expected);
  if (a[0]?.join(',') !== e[0]?.join(',')) return `header differs: expected [${e[0]}], found [${a[0]}]`;
  const header = e[0];
  for (let r = 1; r < Math.max(a.length, e.length); r++) {
    if (!a[r] || !e[r]) return `row ${r}: expected ${e.length - 1} data rows, found ${a.length - 1}`;
    for (let c = 0; c < header.length; c++) {
      const x = Number(a[r][c]);
      const y = Number(e[r][c]);
      const same = x === y || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= relTol * Math.max(Math.abs(x), Math.abs(y));
      if (!same) return `row ${r} (epoch ${e[r][0]}), column ${header[c]}: expected ${e[r][c]}, found ${a[r][c]}`;
    }
  }
  return null;
}
