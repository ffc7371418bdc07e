// The statistics behind `mlplab compare`'s verdict: a group's mean with its Student-t confidence interval, and
// one group against another: the difference of their means with its interval and a two-sided p-value, by the
// paired t-test when the two groups ran the same seeds (each seed once), Welch's t-test otherwise, and the
// Wilcoxon signed-rank test beside the paired t-test from six pairs on. The distributions are
// distributions.ts's; which groups are compared and marked is compare.ts's. No correction for comparing
// several groups is made (each p-value is the one test's).
// Runs of a cross-validation share training rows, so their scores are not independent: for them the variance
// of a mean of n scores is taken as s²·(1/n + n_test/n_train) instead of s²/n (Nadeau and Bengio, "Inference
// for the generalization error", Machine Learning 52, 2003: the corrected resampled t-test), in the mean's
// interval, the paired test (then "corrected paired t") and each mean of Welch's test ("corrected Welch t":
// its Welch–Satterthwaite degrees of freedom from the corrected variances, as s² times a constant).

import type { TestName } from '../report/table.js';
import { normalTwoSided, signedRankExactP, tTwoSided, tUpperQuantile } from './distributions.js';

/** The paired test reports a signed-rank test too from this many pairs on. */
export const WILCOXON_MIN_PAIRS = 6;
/** Up to this many nonzero, untied differences the signed-rank p-value is exact; else the normal approximation. */
export const WILCOXON_EXACT_MAX = 50;

export type Interval = [low: number, high: number];

/** The mean, corrected by the mean of the residuals (the corrected two-pass algorithm: Chan, Golub and LeVeque,
 *  1983): the rounding of the plain sum is taken back, so that equal values have exactly their value as mean,
 *  and a standard deviation of 0 (the plain sum of 15 × 0.1 over 15 is 0.1 + 1.4e-17, numpy's as well). */
export function mean(xs: readonly number[]): number {
  const rough = xs.reduce((s, v) => s + v, 0) / xs.length;
  if (!Number.isFinite(rough)) return rough; // an infinite value or an overflowing sum: no residuals to take back (Inf − Inf is NaN)
  return rough + xs.reduce((s, v) => s + (v - rough), 0) / xs.length;
}

/** Sample variance (n − 1). */
export function variance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1);
}

/** The two-sided interval centre ± q·se at confidence 1 − alpha, q the t with P(T > q) = alpha / 2 (df degrees
 *  of freedom). Given alpha, not the level: 1 − alpha loses a tiny alpha's digits (1 − 1e-17 is 1). */
function interval(centre: number, se: number, df: number, alpha: number): Interval {
  if (se === 0) return [centre, centre];
  const half = tUpperQuantile(alpha / 2, df) * se;
  return [centre - half, centre + half];
}

/** n_test / n_train of a run of a K-fold cross-validation: one fold's rows over the other K − 1 folds' (exact
 *  when K divides the rows, the folds' sizes being within one row of each other otherwise); 0 without folds. */
export function kFoldRatio(folds: number | undefined): number {
  return folds === undefined ? 0 : 1 / (folds - 1);
}

/**
 * The variance of the mean of these values: s²/n, or Nadeau and Bengio's s²·(1/n + ratio) for scores of
 * resampled (cross-validated) runs, ratio = n_test / n_train of each run (0: independent values).
 */
function meanVariance(values: readonly number[], ratio = 0): number {
  return variance(values) * (1 / values.length + ratio);
}

/** The mean's confidence interval at confidence 1 − alpha (Student's t, n − 1 degrees of freedom; the variance
 *  of the mean corrected by `ratio` as meanVariance); none for one value. */
export function meanInterval(values: readonly number[], alpha: number, ratio = 0): Interval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  return interval(mean(values), Math.sqrt(meanVariance(values, ratio)), n - 1, alpha);
}

/** The p-value of t = diff / se: 0 when se is 0 and diff is not (every pair moved the same way by the same
 *  amount); undefined (no evidence either way) when both are 0. scipy gives NaN for both. */
function tP(diff: number, se: number, df: number): number | undefined {
  if (se === 0) return diff === 0 ? undefined : 0;
  return tTwoSided(diff / se, df);
}

export interface TTest {
  test: TestName;
  /** mean(a) − mean(b) (paired: the mean of the pairs' differences, the same number). */
  diff: number;
  ci: Interval;
  t: number;
  /** Degrees of freedom; undefined for Welch's test of two groups that both have no spread, whose
   *  Welch–Satterthwaite formula is 0/0 (scipy: NaN; neither t, infinite or NaN, nor the interval, a point,
   *  depends on them). */
  df?: number;
  /** Two-sided; undefined when both groups' values are all equal. */
  p?: number;
}

/** The paired t-test of a − b (a[i] and b[i] one pair), with the difference's interval at confidence
 *  1 − alpha; with ratio > 0 (cross-validated pairs) Nadeau and Bengio's corrected resampled t-test. */
export function pairedT(a: readonly number[], b: readonly number[], alpha: number, ratio = 0): TTest {
  const d = a.map((x, i) => x - b[i]);
  const n = d.length;
  const diff = mean(d);
  const se = Math.sqrt(meanVariance(d, ratio));
  const p = tP(diff, se, n - 1);
  const test = ratio > 0 ? 'corrected paired t' : 'paired t';
  return { test, diff, ci: interval(diff, se, n - 1, alpha), t: diff / se, df: n - 1, ...(p === undefined ? {} : { p }) };
}

/** Welch's t-test of mean(a) − mean(b) (unequal variances; Welch–Satterthwaite degrees of freedom), the
 *  interval at confidence 1 − alpha; each mean's variance corrected by its ratio (cross-validated runs) as meanVariance. */
export function welchT(a: readonly number[], b: readonly number[], alpha: number, ratioA = 0, ratioB = 0): TTest {
  const va = meanVariance(a, ratioA);
  const vb = meanVariance(b, ratioB);
  const diff = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  const test = ratioA > 0 || ratioB > 0 ? 'corrected Welch t' : 'Welch t';
  if (se === 0) {
    const p = tP(diff, se, NaN); // 0, or undefined: no degrees of freedom needed
    return { test, diff, ci: [diff, diff], t: diff / se, ...(p === undefined ? {} : { p }) };
  }
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const p = tP(diff, se, df);
  return { test, diff, ci: interval(diff, se, df, alpha), t: diff / se, df, ...(p === undefined ? {} : { p }) };
}

export interface SignedRank {
  /** min(W⁺, W⁻), as scipy reports it. */
  statistic: number;
  p: number;
  /** exact: the null distribution counted (nonzero, untied differences, at most 50); normal: the
   *  normal approximation with the tie correction, zero differences dropped (scipy's "approx", zero_method "wilcox"). */
  method: 'exact' | 'normal';
}

/** Ranks 1..n of |d| with ties given their average rank. */
function ranks(values: readonly number[]): { rank: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const rank = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) rank[order[k][1]] = (i + j) / 2 + 1;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { rank, tieSizes };
}

/** The two-sided Wilcoxon signed-rank test of the pairs' differences d (a − b); undefined if every d is 0. */
export function signedRank(d: readonly number[]): SignedRank | undefined {
  const nonzero = d.filter((x) => x !== 0);
  const n = nonzero.length;
  if (n === 0) return undefined;
  const { rank, tieSizes } = ranks(nonzero.map(Math.abs));
  const plus = rank.reduce((s, r, i) => (nonzero[i] > 0 ? s + r : s), 0);
  const minus = (n * (n + 1)) / 2 - plus;
  const statistic = Math.min(plus, minus);
  if (n === d.length && tieSizes.length === 0 && n <= WILCOXON_EXACT_MAX) return { statistic, p: signedRankExactP(plus, n), method: 'exact' };
  const centre = (n * (n + 1)) / 4;
  const varSum = n * (n + 1) * (2 * n + 1) - 0.5 * tieSizes.reduce((s, t) => s + t * (t * t - 1), 0);
  const z = (statistic - centre) / Math.sqrt(varSum / 24);
  return { statistic, p: Math.min(1, normalTwoSided(z)), method: 'normal' };
}
