// metrics.ts on edge cases against scikit-learn: the expected values come from scripts/oracles/metrics-sklearn.py
// (test/fixtures/metrics-sklearn.json), never from mlplab's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../src/matrix.js';
import { mae, r2, rmse } from '../../src/metrics.js';

interface RegressionCase {
  name: string;
  pred: number[][];
  target: number[][];
  r2: number;
  rmse: number;
  mae: number;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/metrics-sklearn.json', import.meta.url), 'utf8')) as { regression: RegressionCase[] };

/** Agreement to 1e-12 relative (scikit-learn sums in another order). */
const near = (a: number, want: number) => expect(Math.abs(a - want), `${a} vs ${want}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));

describe('regression metrics against scikit-learn (scripts/oracles/metrics-sklearn.py)', () => {
  for (const c of fixture.regression) {
    it(c.name, () => {
      const [pred, target] = [fromRows(c.pred), fromRows(c.target)];
      near(r2(pred, target), c.r2);
      near(rmse(pred, target), c.rmse);
      near(mae(pred, target), c.mae);
    });
  }
});
