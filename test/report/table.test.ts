// The comparison table's p column beside the marks: a p-value is shown to 2 significant digits unless that
// rounding would put it on the other side of alpha than the verdict (0.0496 is significant at 0.05, but "0.05"
// reads as not below it): then with as many digits as it takes to tell.
import { describe, expect, it } from 'vitest';
import { formatP, tableCells, tableCsv, tableText, type ComparisonTable, type GroupSummary } from '../../src/report/table.js';

const group = (label: string, mean: number, p?: number, alpha = 0.05): GroupSummary => ({
  label, n: 3, seeds: [0, 1, 2], stats: { train_loss: { mean, std: 0.01, ci: [mean - 0.02, mean + 0.02], n: 3 } }, best: false, tied: false, dirs: [],
  ...(p === undefined ? {} : { vsTop: { diff: mean - 0.1, ci: [0.001, 0.2], p, test: 'paired t', df: 2, significant: p < alpha } }),
});

function table(ps: number[], alpha: number): ComparisonTable {
  const groups = [group('top', 0.1), ...ps.map((p, i) => group(`g${i}`, 0.2 + i, p, alpha))];
  groups[0].tied = ps.some((p) => p >= alpha);
  groups.forEach((g, i) => i > 0 && (g.tied = !g.vsTop!.significant));
  groups[0].best = !groups[0].tied;
  return { groups, by: 'train_loss', higherIsBetter: false, metrics: ['train_loss'], alpha };
}

/** The p cell of each row but the top one. */
function pCells(t: ComparisonTable): string[] {
  const { header, rows } = tableCells(t);
  const column = header.indexOf('p');
  expect(tableText(t)).toContain(rows[1][column]);
  return rows.slice(1).map((r) => r[column]);
}

describe('the table\'s p column against alpha', () => {
  it('keeps the digits that put a p-value on its side of alpha', () => {
    expect(pCells(table([0.04963933111064194, 0.0504, 0.0069, 0.39], 0.05))).toEqual(['0.0496', '0.05', '0.0069', '0.39']);
    expect(pCells(table([0.0099996, 0.010004], 0.01))).toEqual(['0.0099996', '0.01']);
    expect(pCells(table([0.01006], 0.01005))).toEqual(['0.0101']);
  });

  it('2 significant digits otherwise; compare.csv unrounded', () => {
    expect([formatP(0.031), formatP(0.000123456), formatP(2.2e-16), formatP(undefined)]).toEqual(['0.031', '0.00012', '2.2e-16', '—']);
    expect(tableCsv(table([0.04963933111064194], 0.05)).rows[1][9]).toBe(0.04963933111064194);
  });
});

describe('the table\'s columns line up on a terminal', () => {
  // Display columns, counted apart from the code under test: a grapheme (a letter with its combining accents) is
  // one column, a CJK one two.
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const columns = (s: string) => [...segmenter.segment(s)].reduce((w, { segment }) => w + (/\p{scx=Han}|\p{scx=Hiragana}|\p{scx=Katakana}|\p{scx=Hangul}/u.test(segment) ? 2 : 1), 0);

  it('labels with CJK characters and combining accents (a swept target column 売上, café): every row\'s cells start in the same column', () => {
    const t = table([0.2, 0.3], 0.05);
    const labels = ['target=売上高', 'target=cafe\u0301', 'target=x'];
    t.groups.forEach((g, i) => (g.label = labels[i]));
    const [header, , ...rows] = tableText(t).split('\n').slice(0, 5);
    const n = columns(header.slice(0, header.indexOf('n  seeds'))); // the n column: one digit wide, as its cells
    expect(rows.map((row) => columns(row.slice(0, row.indexOf('3  0–2'))))).toEqual([n, n, n]);
  });
});
