// The pieces split out of runner/session.ts: the loss chart's thinned rows (runner/chart-rows.ts) and the
// divergence a logged row's non-finite loss makes (training/divergence.ts's lossDivergence).
import { describe, expect, it } from 'vitest';
import { CHART_ROWS, thinnedRows } from '../src/runner/chart-rows.js';
import { lossDivergence } from '../src/training/divergence.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ epoch: i, step: 4 * i, train_loss: 1 / (i + 1) }));

describe('the loss chart’s rows of a streamed log', () => {
  it('keeps every row of a short log', () => {
    const chart = thinnedRows();
    const all = rows(CHART_ROWS);
    all.forEach((r) => chart.add(r));
    expect(chart.rows()).toEqual(all);
  });

  it('keeps at most CHART_ROWS evenly spaced rows of a long one, from the first, and the last row', () => {
    for (const n of [CHART_ROWS + 1, 10_007, 100_000]) {
      const chart = thinnedRows();
      rows(n).forEach((r) => chart.add(r));
      const epochs = chart.rows().map((r) => r.epoch);
      expect(epochs.length).toBeLessThanOrEqual(CHART_ROWS + 1);
      expect(epochs.length).toBeGreaterThan(CHART_ROWS / 2);
      expect(epochs[0]).toBe(0);
      expect(epochs[epochs.length - 1]).toBe(n - 1);
      const gaps = new Set(epochs.slice(1, -1).map((e, i) => e - epochs[i]));
      expect(gaps.size).toBe(1); // even, but for the last row
    }
  });
});

describe('a logged row’s non-finite loss', () => {
  it('is a divergence at that row, naming its first non-finite loss column; other metrics do not count', () => {
    expect(lossDivergence({ epoch: 3, step: 12, train_loss: 0.5, test_loss: NaN, validation_loss: Infinity })).toEqual({ epoch: 3, step: 12, value: 'loss', where: 'test_loss' });
    expect(lossDivergence({ epoch: 3, step: 12, train_loss: 0.5, train_accuracy: NaN })).toBeUndefined();
  });
});
