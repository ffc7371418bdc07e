// Seeded train/test split of row indices, stratified by class when classes are given.
// Rule per class of c rows: round(test·c) rows go to test, but at most c − 1, so that every class
// keeps a training row; each part's class counts are then within one row of test·c and (1 − test)·c.
// The validation rows are split off the training rows afterwards (load.ts), so the test rows do not depend on
// them. It only chooses indices: taking the rows is the caller's (matrix.takeRows).

import { UserError, type Place } from '../errors.js';
import type { Rng } from '../random.js';

export interface Split {
  train: Int32Array; // ascending
  test: Int32Array; // ascending
}

const ascending = (indices: number[]): Int32Array => Int32Array.from(indices).sort();

/**
 * Splits rows 0..n−1. testFraction in [0, 1); strata: the class index of each row (stratified split),
 * or none. `place` locates `data.split.test` for the errors: no training rows, or no test rows; `asked` says
 * the fraction as the experiment wrote it (a validation fraction is of all rows, not of the n split here).
 */
export function splitIndices(
  n: number,
  testFraction: number,
  rng: Rng,
  strata?: Int32Array | number[],
  place: Place = { path: 'data.split.test' },
  part: 'test' | 'validation' = 'test',
  asked = `${testFraction} of ${n} ${n === 1 ? 'row' : 'rows'}`,
): Split {
  if (strata !== undefined && strata.length !== n) throw new Error(`splitIndices: ${strata.length} strata for ${n} rows`);
  const all = Array.from({ length: n }, (_, i) => i);
  if (testFraction === 0) return { train: ascending(all), test: new Int32Array(0) };

  const groups = strata === undefined ? [all] : groupByClass(strata);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of groups) {
    rng.shuffle(rows);
    let k = Math.round(testFraction * rows.length);
    if (strata !== undefined) k = Math.min(k, rows.length - 1);
    // NOTE: not push(...rows): spreading hundreds of thousands of indices overflows the call stack.
    for (let i = 0; i < rows.length; i++) (i < k ? test : train).push(rows[i]);
  }
  if (train.length === 0) {
    const msg = `expected a ${part} fraction that leaves training rows, but ${asked} leaves none`;
    throw new UserError('data', msg, place);
  }
  if (test.length === 0) {
    // Stratified, the fraction is rounded stratum by stratum: 0.1 of 30 rows in 10 classes of 3 is none, not 3.
    const largest = groups.reduce((m, rows) => Math.max(m, rows.length), 0);
    const how = strata === undefined ? '' : `, stratified (${groups.length} ${groups.length === 1 ? 'stratum' : 'strata'}, the largest of ${largest} ${largest === 1 ? 'row' : 'rows'}, each keeping a training row),`;
    const msg =
      `expected a ${part} fraction that puts at least one row in the ${part} set, but ${asked}${how} ` +
      `rounds to none; use a larger fraction, more data, or ${part}: 0`;
    throw new UserError('data', msg, place);
  }
  return { train: ascending(train), test: ascending(test) };
}

/** Row indices of each class, ascending, classes in increasing order. */
export function groupByClass(strata: Int32Array | number[]): number[][] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const rows = byClass.get(strata[i]);
    if (rows) rows.push(i);
    else byClass.set(strata[i], [i]);
  }
  return [...byClass.keys()].sort((a, b) => a - b).map((c) => byClass.get(c)!);
}
