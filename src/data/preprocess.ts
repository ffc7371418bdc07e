// Scaling x' = (x − offset) / scale per column, fitted on the matrix given (the caller passes the training
// rows only, so nothing is learned from the test rows) and stored with the model: for the inputs, and for
// regression targets (whose scaling predict inverts: y = y'·scale + offset).

import { zeros, type Matrix } from '../matrix.js';
import type { PreprocessKind, PreprocessSpec } from './schema.js';

export interface Scaler {
  kind: PreprocessKind;
  offset: number[]; // one per column
  scale: number[]; // one per column, never 0
}

/** Minimum, maximum and mean of column c. */
function columnStats(x: Matrix, c: number): { min: number; max: number; mean: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let r = 0; r < x.rows; r++) {
    const v = x.data[r * x.cols + c];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / x.rows };
}

/**
 * Population variance (ddof 0, as sklearn's StandardScaler) of column c around `mean`, by the corrected two-pass
 * algorithm (Chan, Golub and LeVeque; sklearn's too): the deviations' sum, zero but for the mean's rounding,
 * takes that rounding out. NOTE: without it, values near 1e9 spread by 1e-3 had a std off by 8e-9 (relative).
 */
function columnVariance(x: Matrix, c: number, mean: number): number {
  let squares = 0;
  let sum = 0;
  for (let r = 0; r < x.rows; r++) {
    const d = x.data[r * x.cols + c] - mean;
    sum += d;
    squares += d * d;
  }
  return Math.max(0, (squares - (sum * sum) / x.rows) / x.rows);
}

/**
 * A variance within the rounding error of the two-pass algorithm of zero: the column is constant but for
 * rounding (0.3 beside 0.1 + 0.2), and scaled by 1, not blown up to ±1 (sklearn's _is_constant_feature).
 */
const constantButForRounding = (variance: number, mean: number, n: number): boolean =>
  variance <= n * Number.EPSILON * variance + (n * mean * Number.EPSILON) ** 2;

/**
 * none: offset 0, scale 1. standardize: offset the mean, scale the population std. minmax: offset the
 * minimum, scale max − min, so the fitted range maps to [0, 1]. A constant column (min = max, tested
 * exactly, so rounding in the mean cannot make a tiny std) gets offset its value and scale 1; standardize also
 * scales a column constant but for rounding by 1 (its offset the mean), as sklearn's StandardScaler does. NOTE:
 * minmax keeps the exact test: MinMaxScaler's rule (a range under 10·eps) ignores the values' size.
 */
export function fitScaler(kind: PreprocessKind, x: Matrix): Scaler {
  const offset: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < x.cols; c++) {
    if (kind === 'none' || x.rows === 0) {
      offset.push(0);
      scale.push(1);
      continue;
    }
    const { min, max, mean } = columnStats(x, c);
    if (min === max) {
      offset.push(min);
      scale.push(1);
    } else if (kind === 'standardize') {
      const variance = columnVariance(x, c, mean);
      offset.push(mean);
      scale.push(constantButForRounding(variance, mean, x.rows) ? 1 : Math.sqrt(variance));
    } else {
      offset.push(min);
      scale.push(max - min);
    }
  }
  return { kind, offset, scale };
}

/** x' = (x − offset) / scale, column by column, into `out` (a new matrix of x's shape, or x itself to scale in place). */
export function applyScaler(s: Scaler, x: Matrix, out: Matrix = zeros(x.rows, x.cols)): Matrix {
  if (s.offset.length !== x.cols) throw new Error(`applyScaler: scaler has ${s.offset.length} columns, matrix ${x.cols}`);
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) {
      const i = r * x.cols + c;
      out.data[i] = (x.data[i] - s.offset[c]) / s.scale[c];
    }
  }
  return out;
}

/** y = y'·scale + offset, column by column, in place: a target scaler's inverse. */
export function invertScaler(s: Scaler, y: Matrix): Matrix {
  if (s.offset.length !== y.cols) throw new Error(`invertScaler: scaler has ${s.offset.length} columns, matrix ${y.cols}`);
  for (let r = 0; r < y.rows; r++) for (let c = 0; c < y.cols; c++) y.data[r * y.cols + c] = y.data[r * y.cols + c] * s.scale[c] + s.offset[c];
  return y;
}

/** The feature and target scaling of a spec: a plain kind scales the features only. */
export function preprocessKinds(spec: PreprocessSpec | undefined): { features: PreprocessKind; targets: PreprocessKind } {
  if (spec === undefined || typeof spec === 'string') return { features: spec ?? 'none', targets: 'none' };
  return { features: spec.features ?? 'none', targets: spec.targets ?? 'none' };
}
