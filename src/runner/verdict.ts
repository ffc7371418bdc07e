// Which group is best, and whether that is known: each group's runs give the sorting metric's mean and its
// confidence interval; the top group (best mean) is compared with every other group — paired by seed (and
// cross-validation fold) when the two ran the same seeds and folds (each once), else Welch's test — and marked
// best only when it is significantly better than all of them at alpha; otherwise it and every group it does not
// beat significantly are tied. Groups of cross-validation runs get the corrected tests and intervals
// (significance.ts: Nadeau and Bengio's), and no signed-rank test, whose pairs would not be independent either.
// The tests are significance.ts's; sorting and presentation are compare.ts's and report/'s.

import type { GroupSummary, VersusTop } from '../report/table.js';
import { mean, meanInterval, pairedT, signedRank, welchT, WILCOXON_MIN_PAIRS } from './significance.js';

export const DEFAULT_ALPHA = 0.05;
/** The smallest --alpha taken: the t quantiles behind the intervals are checked against 40-digit values down
 *  to alpha 1e-100, a tail of 5e-101 (test/stats.test.ts; distributions.ts tUpperQuantile); a smaller alpha is a usage error. */
export const MIN_ALPHA = 1e-100;

/** A group's values of the metric by seed and cross-validation fold (runs without the metric left out). */
export type SeedValues = { seed: number; fold?: number; value: number }[];

/** A group's values, and n_test / n_train of its runs when they are cross-validation folds (0 otherwise): the
 *  correction of the variance of their mean (significance.ts's meanVariance). */
export interface Sample {
  values: SeedValues;
  ratio: number;
}

/**
 * Pairs by seed (and fold: the same seed's fold k of each group saw the same rows) when both groups ran the same
 * seeds and folds, each once: [this group's values, the top's], in seed then fold order.
 */
function pairs(group: SeedValues, top: SeedValues): [number[], number[]] | undefined {
  const key = (v: SeedValues[number]) => `${v.seed}/${v.fold ?? 0}`;
  const bySeed = (vs: SeedValues) => new Map(vs.map((v) => [key(v), v.value]));
  const g = bySeed(group);
  const t = bySeed(top);
  if (g.size !== group.length || t.size !== top.length || g.size !== t.size || [...g.keys()].some((s) => !t.has(s))) return undefined;
  const order = [...group].sort((a, b) => a.seed - b.seed || (a.fold ?? 0) - (b.fold ?? 0)).map(key);
  return [order.map((s) => g.get(s)!), order.map((s) => t.get(s)!)];
}

/**
 * A pair's difference of accuracies as the signed-rank test ranks it: to 10 significant digits, so that
 * differences equal but for the rounding of the values they come from are tied (accuracies differing by as many
 * test rows: 23/30 − 22/30 = 0.03333333333333344, 21/30 − 20/30 = 0.033333333333333326). A zero stays zero.
 * Only for counts over rows (metrics.ts countsOverRows): another metric's differences alike to 10 digits are different
 * numbers, which scipy ranks apart (test/compare-wilcoxon.test.ts).
 */
const tieSafe = (d: number): number => Number(d.toPrecision(10));

/** One group against the top group at level alpha: paired when both ran the same seeds and folds (of as many
 *  folds: the same ratio). `counts`: the values are counts over rows (metrics.ts countsOverRows). */
function versusTop(group: Sample, top: Sample, alpha: number, counts = false): VersusTop {
  const a = group.values.map((v) => v.value);
  const b = top.values.map((v) => v.value);
  const diff = mean(a) - mean(b);
  const paired = group.ratio === top.ratio ? pairs(group.values, top.values) : undefined;
  if (paired !== undefined && paired[0].length >= 2) {
    const r = pairedT(paired[0], paired[1], alpha, top.ratio);
    const d = paired[0].map((x, i) => x - paired[1][i]);
    const w = top.ratio === 0 && paired[0].length >= WILCOXON_MIN_PAIRS ? signedRank(counts ? d.map(tieSafe) : d) : undefined;
    return {
      diff: r.diff,
      ci: r.ci,
      ...(r.p === undefined ? {} : { p: r.p }),
      test: r.test,
      ...(r.df === undefined ? {} : { df: r.df }),
      ...(w === undefined ? {} : { wilcoxon: { p: w.p, method: w.method } }),
      significant: r.p !== undefined && r.p < alpha,
    };
  }
  if (a.length < 2 || b.length < 2) return { diff, significant: false };
  const r = welchT(a, b, alpha, group.ratio, top.ratio);
  return { diff: r.diff, ci: r.ci, ...(r.p === undefined ? {} : { p: r.p }), test: r.test, ...(r.df === undefined ? {} : { df: r.df }), significant: r.p !== undefined && r.p < alpha };
}

/** The mean's interval at confidence 1 − alpha, for a Stat (nothing for one value); corrected by ratio (Sample). */
export function intervalOf(values: readonly number[], alpha: number, ratio = 0): { ci?: [number, number] } {
  const ci = meanInterval(values, alpha, ratio);
  return ci === undefined ? {} : { ci };
}

/**
 * Marks groups (sorted best first; the first is the top group when it has the metric) and fills vsTop:
 * `samples[i]` is groups[i]'s metric by seed and fold; `counts`: the metric is counts over rows (metrics.ts countsOverRows).
 */
export function markBest(groups: GroupSummary[], samples: readonly Sample[], alpha: number, counts = false): void {
  for (const g of groups) (g.best = false), (g.tied = false), delete g.vsTop;
  if (groups.length < 2 || samples[0].values.length === 0 || samples[0].values.some((v) => Number.isNaN(v.value))) return;
  for (let i = 1; i < groups.length; i++) if (samples[i].values.length > 0) groups[i].vsTop = versusTop(samples[i], samples[0], alpha, counts);
  const compared = groups.slice(1).filter((g) => g.vsTop !== undefined);
  if (compared.length === 0) return;
  if (compared.every((g) => g.vsTop!.significant)) groups[0].best = true;
  else {
    groups[0].tied = true;
    for (const g of compared) g.tied = !g.vsTop!.significant;
  }
}
