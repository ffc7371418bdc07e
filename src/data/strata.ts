// What a stratified split groups rows by, for multilabel targets: the combination of labels that are on
// (scikit-learn has no multilabel stratification of its own; iterative stratification is left out). Rows are
// stratified by combination only when every combination present has at least two rows, so each can keep a
// training row; otherwise the split is unstratified (seeded), and run.json says which (`strata`).

import type { Matrix } from '../matrix.js';

/** Each row's label-combination index (combinations sorted by their 0/1 pattern), or undefined when one has a single row. */
export function labelCombinations(y: Matrix, threshold: number): Int32Array | undefined {
  const keys: string[] = [];
  for (let r = 0; r < y.rows; r++) {
    let key = '';
    for (let c = r * y.cols; c < (r + 1) * y.cols; c++) key += y.data[c] > threshold ? '1' : '0';
    keys.push(key);
  }
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  if ([...counts.values()].some((n) => n < 2)) return undefined;
  const index = new Map([...counts.keys()].sort().map((k, i) => [k, i]));
  return Int32Array.from(keys, (k) => index.get(k)!);
}
