// Cross-validation folds (data.split.folds: K): the rows left after the test split dealt into K folds, seeded,
// and fold k's rows as a run's validation rows, the other folds as its training rows. Stratified as
// scikit-learn's StratifiedKFold stratifies: each class's rows, shuffled, are dealt into the folds in turn,
// the dealing going on from class to class, so each class's count per fold differs by at most one, and so do
// the folds' sizes; without strata (regression, multilabel) plain shuffled K-fold. The rows sklearn deals to
// each fold differ (another generator), and so may which folds get a class's extra rows: classes are taken here
// in class-index order, by sklearn in order of first appearance. test/cv-sklearn.test.ts holds the counts to
// sklearn's: fold by fold where the two orders agree, each class's and each fold's (within one) where they do
// not. Which stream and which rows is load.ts's.

import { UserError, type Place } from '../errors.js';
import type { Rng } from '../random.js';
import { groupByClass, type Split } from './split.js';

/** Each of rows 0..n−1's fold, 0..folds−1: every row in exactly one fold. */
export function assignFolds(n: number, folds: number, rng: Rng, strata?: Int32Array | number[]): Int32Array {
  if (strata !== undefined && strata.length !== n) throw new Error(`assignFolds: ${strata.length} strata for ${n} rows`);
  const all = Array.from({ length: n }, (_, i) => i);
  const fold = new Int32Array(n);
  let next = 0;
  for (const rows of strata === undefined ? [all] : groupByClass(strata)) {
    rng.shuffle(rows);
    for (const r of rows) {
      fold[r] = next;
      next = next + 1 === folds ? 0 : next + 1;
    }
  }
  return fold;
}

/**
 * Fold `fold` (1-based) of `folds` over rows 0..n−1: its rows are `test` (the run's validation rows), the other
 * folds' are `train`, both ascending. `place` locates data.split.folds for the error: fewer rows than folds
 * (`rows` says which rows: 'rows', or 'rows left after the test split').
 */
export function foldSplit(n: number, folds: number, fold: number, rng: Rng, strata: Int32Array | number[] | undefined, place: Place, rows = 'rows'): Split {
  if (n < folds) throw new UserError('data', `expected at least one row per fold, but there are ${n} ${rows} for ${folds} folds; use fewer folds`, place);
  const of = assignFolds(n, folds, rng, strata);
  const train: number[] = [];
  const test: number[] = [];
  for (let r = 0; r < n; r++) (of[r] === fold - 1 ? test : train).push(r);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
