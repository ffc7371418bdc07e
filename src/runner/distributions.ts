// The two distributions `mlplab compare`'s statistics need: Student's t (CDF tails and quantiles, for real
// degrees of freedom: Welch's test has fractional ones) and the exact null distribution of the Wilcoxon
// signed-rank statistic. Leaves out everything else (no other distribution, no one-sided quantile tables).
//
// NOTE: hand-written on purpose, after trying the npm packages that do this (2026-12, this machine):
// - @stdlib/stats-base-dists-t-cdf, -t-quantile and -signrank-cdf bring 228 packages (26 MB installed) and add
//   ≈200 kB to the CLI bundle, ≈13 ms to every command's start (measured, bundled and loaded with require);
//   their t quantile at 0.975 with 2 degrees of freedom is 4.302652729749462, scipy's 4.302652729911275
//   (the closed form (2p − 1)·√(2 / (4p(1 − p))) agrees with scipy): 4e-11 off.
// - jstat's studentt.inv stops its Newton steps at 1e-8 (4.3026527290723555 for the same quantile) and jstat
//   has no signed-rank distribution; simple-statistics has neither distribution.
// What is here is the textbook route (Numerical Recipes §6.1, §6.2, §6.4): the regularized incomplete beta
// function by its continued fraction (modified Lentz), ln Γ by Lanczos' series, the quantile by safeguarded
// Newton steps on the tail, erfc for the normal tail, and the signed-rank counts by the subset-sum recursion. Checked against scipy to 1e-12
// (test/stats.test.ts, fixtures from scripts/oracles/scipy-stats.py).

/** ln Γ(x) for x > 0: Lanczos' approximation (g = 671/128, 14 terms; Numerical Recipes 3rd ed. gammln). */
function lnGamma(x: number): number {
  const c = [
    57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199, 0.339946499848118887e-4, 0.465236289270485756e-4,
    -0.983744753048795646e-4, 0.158088703224912494e-3, -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3,
    0.844182239838527433e-4, -0.261908384015814087e-4, 0.368991826595316234e-5,
  ];
  let y = x;
  const tmp = x + 5.24218750000000000; // x + g + 1/2 with g = 671/128
  const t = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.999999999999997092;
  for (const ci of c) ser += ci / ++y;
  return t + Math.log((2.5066282746310005 * ser) / x);
}

/** The continued fraction of I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2)); modified Lentz. */
function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const EPS = 1e-16;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h; // NOTE: not reached for the arguments the t distribution gives (a, b ≤ 1e7); the last estimate
}

/** lnΓ(x) − (x − ½)ln x + x − ½ln 2π: Stirling's series (x ≥ 30: the next term is below 1e-19). */
function stirlingCorrection(x: number): number {
  const x2 = x * x;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * x2)) / x2) / x2) / x2) / x;
}

/** ln(Γ(a + b) / (Γ(a) Γ(b))), the beta function's reciprocal; for a large, without subtracting large lnΓs. */
function lnInverseBeta(a: number, b: number): number {
  if (a < b) return lnInverseBeta(b, a);
  if (a < 30) return lnGamma(a + b) - lnGamma(a) - lnGamma(b);
  // lnΓ(a + b) − lnΓ(a) by Stirling: (a − ½)·ln(1 + b/a) + b·ln(a + b) − b + the corrections' difference.
  return (a - 0.5) * Math.log1p(b / a) + b * Math.log(a + b) - b + stirlingCorrection(a + b) - stirlingCorrection(a) - lnGamma(b);
}

/**
 * The regularized incomplete beta function I_x(a, b), given x and its complement y = 1 − x separately (so a
 * caller with a small 1 − x keeps its digits).
 */
export function incompleteBeta(a: number, b: number, x: number, y: number = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lnY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(lnInverseBeta(a, b) + a * lnX + b * lnY);
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, y)) / b;
}

/** P(|T| ≥ |t|) for T with df degrees of freedom: the two-sided p-value of a t statistic. */
export function tTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  // I_x(df/2, 1/2) with x = df / (df + t²), 1 − x = t² / (df + t²): both without cancellation.
  return incompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/** P(T ≤ t) for T with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = tTwoSided(t, df) / 2;
  return t < 0 ? tail : 1 - tail;
}

/** The t density at t. */
function tPdf(t: number, df: number): number {
  const ln = lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(ln);
}

/**
 * The t quantile: the t with P(T ≤ t) = p. p near 1 has lost the digits of its tail 1 − p (1 − 1e-17 is 1): a
 * caller that knows the tail passes it to tUpperQuantile instead.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (p === 0.5) return 0;
  return p < 0.5 ? -tUpperQuantile(p, df) : tUpperQuantile(1 - p, df);
}

/**
 * The t with P(T > t) = q (scipy's t.isf), from the tail itself, so a tiny q keeps its digits: solved with
 * Newton steps kept inside a bracket that halves when a step leaves it. Within 1e-13 of the 40-digit value for
 * q down to 5e-101 (alpha 1e-100, --alpha's smallest) at df from 1 to 1e5 (test/stats.test.ts, from
 * scripts/oracles/scipy-stats.py); far below that, near 1e-155 at df = 1, t² overflows.
 */
export function tUpperQuantile(q: number, df: number): number {
  if (!(q > 0 && q < 1) || !(df > 0)) return q === 0 ? Infinity : q === 1 ? -Infinity : NaN;
  if (q === 0.5) return 0;
  if (q > 0.5) return -tUpperQuantile(1 - q, df);
  const tail = (t: number) => tTwoSided(t, df) / 2;
  let lo = 0;
  let hi = 1;
  while (tail(hi) > q) (lo = hi), (hi *= 2);
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = tail(t) - q;
    if (f === 0) break;
    if (f > 0) lo = t;
    else hi = t;
    let next = t + f / tPdf(t, df); // the tail falls with slope −pdf
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const done = Math.abs(next - t) <= 1e-15 * Math.abs(next);
    t = next;
    if (done) break;
  }
  return t;
}

/**
 * The exact null distribution of the signed-rank statistic W⁺ (the sum of the ranks 1..n carrying a plus sign,
 * each sign a fair coin): counts[w] = the number of sign patterns with W⁺ = w, out of 2ⁿ. Exact in doubles for
 * n ≤ 50 (counts below 2⁵³).
 */
export function signedRankCounts(n: number): number[] {
  let counts = [1];
  for (let k = 1; k <= n; k++) {
    const next = new Array<number>(counts.length + k).fill(0);
    counts.forEach((c, w) => {
      next[w] += c; // rank k negative
      next[w + k] += c; // rank k positive
    });
    counts = next;
  }
  return counts;
}

/** The two-sided exact p-value of W⁺ = w with n untied, nonzero differences (as scipy's method="exact"). */
export function signedRankExactP(w: number, n: number): number {
  const counts = signedRankCounts(n);
  const total = 2 ** n;
  if (w === (counts.length - 1) / 2) return 1;
  let below = 0;
  let above = 0;
  counts.forEach((c, k) => {
    if (k <= w) below += c;
    if (k >= w) above += c;
  });
  return Math.min(1, (2 * Math.min(below, above)) / total);
}

/** P(|Z| ≥ |z|) for a standard normal Z (the signed-rank test's normal approximation). */
export function normalTwoSided(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** erfc(x) for x ≥ 0: the continued fraction for large x, the series of erf for small (both to ~1e-16). */
function erfc(x: number): number {
  if (x < 2) {
    // erf(x) = 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)), alternating; fine below 2 (terms < 1e2 at most).
    let sum = 0;
    let term = x;
    for (let n = 0; n < 200; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      term *= (-x * x) / (n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) by Lentz.
  const TINY = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < TINY ? 1 / TINY : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < TINY) c = TINY;
    const del = c * d;
    f *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}
