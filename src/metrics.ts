// Evaluation metrics shared by training and logging: accuracy, R² (as sklearn's r2_score), the
// confusion matrix, and predicted classes. Predictions and targets are rows × outputs matrices.
// Losses are not here (they belong to the model); neither is any averaging over batches.

import { argmaxRow, type Matrix } from './matrix.js';

/** The threshold for single-column class targets: the midpoint of their smallest and largest value (0.5 for 0/1, 0 for −1/1). */
export function binaryThreshold(targets: Matrix): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of targets.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return (min + max) / 2;
}

/** Class of each row: argmax for several columns; for one column, 1 if the value is above the threshold, else 0. */
export function predictedClasses(pred: Matrix, threshold = 0.5): number[] {
  const out: number[] = [];
  for (let r = 0; r < pred.rows; r++) out.push(pred.cols === 1 ? (pred.data[r] > threshold ? 1 : 0) : argmaxRow(pred, r));
  return out;
}

function sameShape(a: Matrix, b: Matrix, what: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`${what}: predictions are ${a.rows}×${a.cols}, targets ${b.rows}×${b.cols}`);
  }
}

/** Fraction of rows whose predicted class is the target's class (both by predictedClasses); NaN for no rows. */
export function accuracy(pred: Matrix, target: Matrix, threshold = 0.5): number {
  sameShape(pred, target, 'accuracy');
  if (pred.rows === 0) return NaN;
  const p = predictedClasses(pred, threshold);
  const t = predictedClasses(target, threshold);
  let hits = 0;
  for (let r = 0; r < p.length; r++) if (p[r] === t[r]) hits++;
  return hits / pred.rows;
}

/**
 * Coefficient of determination per output column, 1 − SS_res / SS_tot, averaged uniformly over the
 * columns (sklearn r2_score, multioutput 'uniform_average'). A constant target column scores 1 if
 * predicted exactly, else 0 (sklearn's force_finite). NaN for fewer than two rows, as sklearn.
 */
export function r2(pred: Matrix, target: Matrix): number {
  sameShape(pred, target, 'r2');
  const { rows, cols } = target;
  if (rows < 2) return NaN;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += target.data[r * cols + c];
    mean /= rows;
    let ssRes = 0;
    let ssTot = 0;
    for (let r = 0; r < rows; r++) {
      const t = target.data[r * cols + c];
      ssRes += (t - pred.data[r * cols + c]) ** 2;
      ssTot += (t - mean) ** 2;
    }
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / cols;
}

/** k × k counts: entry [t][p] is the number of rows of true class t predicted as class p. */
export function confusionMatrix(predClass: ArrayLike<number>, trueClass: ArrayLike<number>, k: number): number[][] {
  if (predClass.length !== trueClass.length) {
    throw new Error(`confusionMatrix: ${predClass.length} predictions, ${trueClass.length} targets`);
  }
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < predClass.length; i++) {
    const t = trueClass[i];
    const p = predClass[i];
    if (!(t >= 0 && t < k && p >= 0 && p < k)) throw new Error(`confusionMatrix: class ${t}/${p} outside 0..${k - 1}`);
    m[t][p]++;
  }
  return m;
}
