// compare's statistics against scipy (test/fixtures/scipy-stats.json, written by scripts/oracles/scipy-stats.py
// with Debian's scipy): Student's t quantiles and two-sided tails, means' confidence intervals, the paired and
// Welch t-tests (difference, interval, t, degrees of freedom, p), and the Wilcoxon signed-rank test, whose
// exact p-values must be equal to the last bit (both count the same null distribution of dyadic fractions).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signedRankCounts, tCdf, tQuantile, tTwoSided, tUpperQuantile } from '../src/runner/distributions.js';
import { meanInterval, pairedT, signedRank, welchT } from '../src/runner/significance.js';

type Num = number | string; // "inf", "-inf", "nan" where JSON has no number
const fixture = JSON.parse(readFileSync(new URL('./fixtures/scipy-stats.json', import.meta.url), 'utf8')) as {
  samples: Record<string, number[]>;
  quantiles: { p: number; df: number; q: Num; q_mpmath: Num }[];
  upper_quantiles: { alpha: number; df: number; isf: number; q_mpmath: number }[];
  tiny_alpha_intervals: { sample: string; alpha: number; low: number; high: number }[];
  tails: { t: number; df: number; p: Num; p_mpmath?: Num }[];
  mean_intervals: { sample: string; level: number; low: number; high: number }[];
  pairs: Record<string, { a: number[]; b: number[] }>;
  paired: { pair: string; t: Num; df: number; p: number; low: number; high: number; diff: number; wilcoxon?: { method: string; statistic: number; p: number } }[];
  welch: { name: string; a: number[]; b: number[]; t: number; p: number; df: number; diff: number; low: number; high: number }[];
  signed_rank_exact: { n: number; w_plus: number; d: number[]; statistic: number; p: number }[];
};
const num = (x: Num) => (typeof x === 'number' ? x : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : NaN);

/** |actual − expected| ≤ tol · max(1, |expected|): relative for large values, absolute near zero. */
function close(actual: number, expected: number, tol: number, what: string): void {
  if (!Number.isFinite(expected)) return void expect(actual, what).toBe(expected);
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  expect(err, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

/** Relative error, for p-values (small ones must keep their digits too). */
function relClose(actual: number, expected: number, tol: number, what: string): void {
  if (expected === 0) return void expect(actual, what).toBe(0);
  expect(Math.abs(actual - expected) / Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe("Student's t against scipy", () => {
  // scipy 1.10's t.ppf is good to ≈1e-9 only (t.ppf(0.975, 1) = 12.706204736432095 where tan(0.475π) =
  // 12.70620473617469…; t.ppf(0.9995, 1) 1e-9 off): scipy within 5e-9 (t.ppf(0.9, 3) is 2e-9 off), the 40-digit values (mpmath) within 1e-14 (1e-12 at df = 1e5).
  it('quantiles (t.ppf) for integer and fractional degrees of freedom', () => {
    expect(fixture.quantiles.length).toBeGreaterThan(100);
    for (const { p, df, q, q_mpmath } of fixture.quantiles) {
      close(tQuantile(p, df), num(q), 5e-9, `t.ppf(${p}, ${df})`);
      close(tQuantile(p, df), num(q_mpmath), df >= 1e5 ? 1e-12 : 1e-14, `t quantile (mpmath) (${p}, ${df})`);
    }
  });
  // An interval at confidence 1 − alpha takes the t with P(T > t) = alpha / 2: from the tail itself, so that a tiny
  // alpha keeps its digits (1 − 1e-17/2 is 1 and t.ppf(1) is infinite). scipy's t.isf is good to about 2e-9 here.
  it('upper quantiles (t.isf(alpha / 2)) for alpha down to 1e-100, finite, within 1e-13 of the 40-digit values', () => {
    expect(fixture.upper_quantiles.length).toBeGreaterThanOrEqual(49);
    for (const { alpha, df, isf, q_mpmath } of fixture.upper_quantiles) {
      const q = tUpperQuantile(alpha / 2, df);
      expect(Number.isFinite(q), `alpha ${alpha}, df ${df}: ${q}`).toBe(true);
      relClose(q, q_mpmath, 1e-13, `t quantile (mpmath) of the tail ${alpha / 2} at ${df}`);
      relClose(q, isf, 5e-9, `t.isf(${alpha / 2}, ${df})`);
    }
    expect(tUpperQuantile(0.025, 4)).toBe(-tUpperQuantile(0.975, 4));
    expect(tQuantile(1 - 1e-17 / 2, 4)).toBe(Infinity); // what the level 1 − alpha gave: the reason for the tail
  });
  it('two-sided tails (2·t.sf(|t|)), relative to the tail, down to 1e-300; the CDF from them', () => {
    for (const { t, df, p, p_mpmath } of fixture.tails) {
      relClose(tTwoSided(t, df), num(p), 1e-10, `2·t.sf(${t}, ${df})`);
      // 1.5e-12 at df = 1e5 (the continued fraction near its switch point); below 2e-13 elsewhere
      if (p_mpmath !== undefined) relClose(tTwoSided(t, df), num(p_mpmath), 2e-12, `t tail (mpmath) (${t}, ${df})`);
    }
    for (const { t, df, p } of fixture.tails) close(tCdf(t, df), t < 0 ? num(p) / 2 : 1 - num(p) / 2, 1e-13, `t.cdf(${t}, ${df})`);
  });
});

describe('confidence intervals and tests against scipy', () => {
  // The intervals' ends carry scipy's t.ppf error (≈2e-10 at 0.975; the quantiles themselves are checked above).
  it("a mean's interval (t.interval with sem), at 95% and 99%; none for one value", () => {
    for (const { sample, level, low, high } of fixture.mean_intervals) {
      const ci = meanInterval(fixture.samples[sample], 1 - level)!;
      close(ci[0], low, 1e-9, `${sample} ${level} low`);
      close(ci[1], high, 1e-9, `${sample} ${level} high`);
    }
    expect(meanInterval([0.5], 0.05)).toBeUndefined();
  });

  it("a mean's interval at alpha 1e-10, 1e-17 and 1e-100: finite, scipy's t.isf(alpha / 2) · sem about the mean", () => {
    expect(fixture.tiny_alpha_intervals.length).toBe(6);
    for (const { sample, alpha, low, high } of fixture.tiny_alpha_intervals) {
      const ci = meanInterval(fixture.samples[sample], alpha)!;
      relClose(ci[0], low, 5e-9, `${sample} ${alpha} low`);
      relClose(ci[1], high, 5e-9, `${sample} ${alpha} high`);
    }
  });

  it('the paired t-test (ttest_rel and its confidence_interval), a constant nonzero shift giving p = 0', () => {
    expect(fixture.paired.length).toBeGreaterThanOrEqual(7);
    for (const row of fixture.paired) {
      const { a, b } = fixture.pairs[row.pair];
      const r = pairedT(a, b, 0.05);
      expect(r.df).toBe(row.df);
      close(r.diff, row.diff, 1e-14, `${row.pair} diff`);
      close(r.t, num(row.t), 1e-12, `${row.pair} t`);
      relClose(r.p!, row.p, 1e-10, `${row.pair} p`);
      close(r.ci[0], row.low, 1e-9, `${row.pair} low`);
      close(r.ci[1], row.high, 1e-9, `${row.pair} high`);
    }
  });

  it("Welch's t-test (ttest_ind, equal_var=False): t, p, degrees of freedom and the difference's interval", () => {
    expect(fixture.welch.length).toBeGreaterThanOrEqual(7);
    for (const row of fixture.welch) {
      const r = welchT(row.a, row.b, 0.05);
      close(r.df!, row.df, 1e-12, `${row.name} df`);
      close(r.t, row.t, 1e-12, `${row.name} t`);
      relClose(r.p!, row.p, 1e-10, `${row.name} p`);
      close(r.ci[0], row.low, 1e-9, `${row.name} low`);
      close(r.ci[1], row.high, 1e-9, `${row.name} high`);
    }
  });

  it('groups whose values are all equal: no p-value (scipy: NaN), the interval a point', () => {
    const r = pairedT([1, 1, 1], [1, 1, 1], 0.05);
    expect(r.p).toBeUndefined();
    expect(r.ci).toEqual([0, 0]);
    expect(welchT([1, 1], [1, 1, 1], 0.05).p).toBeUndefined();
    expect(welchT([1, 1], [0.5, 0.5, 0.5], 0.05).p).toBe(0); // scipy: t = inf, p = 0
  });
});

describe('the Wilcoxon signed-rank test against scipy', () => {
  it('exact p-values (method="exact") equal to the last bit, for every W⁺ tried at n = 6..25', () => {
    expect(fixture.signed_rank_exact.length).toBeGreaterThan(30);
    for (const row of fixture.signed_rank_exact) {
      const r = signedRank(row.d)!;
      expect(r.method).toBe('exact');
      expect(r.statistic).toBe(row.statistic);
      expect(r.p, `n=${row.n} W+=${row.w_plus}`).toBe(row.p);
    }
  });

  it('on the pairs: exact without ties or zeros, else the normal approximation with the tie correction', () => {
    const methods = new Set<string>();
    for (const row of fixture.paired.filter((r) => r.wilcoxon)) {
      const { a, b } = fixture.pairs[row.pair];
      const r = signedRank(a.map((x, i) => x - b[i]))!;
      expect(r.method, row.pair).toBe(row.wilcoxon!.method);
      methods.add(r.method);
      expect(r.statistic).toBe(row.wilcoxon!.statistic);
      if (r.method === 'exact') expect(r.p, row.pair).toBe(row.wilcoxon!.p);
      else relClose(r.p, row.wilcoxon!.p, 1e-12, `${row.pair} Wilcoxon p`);
    }
    expect([...methods].sort()).toEqual(['exact', 'normal']);
    expect(signedRank([0, 0, 0])).toBeUndefined();
  });

  it('the null distribution: 2ⁿ sign patterns, symmetric, as small cases counted by hand', () => {
    expect(signedRankCounts(3)).toEqual([1, 1, 1, 2, 1, 1, 1]); // W+ of {}, {1}, {2}, {3},{1,2}, {1,3}, {2,3}, {1,2,3}
    const c = signedRankCounts(20);
    expect(c.reduce((s, v) => s + v, 0)).toBe(2 ** 20);
    expect(c).toEqual([...c].reverse());
  });
});
