// Row-major float64 matrices with explicit shapes, and the few helpers the data and model code share.
// No broadcasting, no views: numerics work on the flat `data` arrays directly.

export interface Matrix {
  /** Row-major values: element (r, c) is data[r * cols + c]. */
  data: Float64Array;
  rows: number;
  cols: number;
}

export function zeros(rows: number, cols: number): Matrix {
  return { data: new Float64Array(rows * cols), rows, cols };
}

/** From nested arrays (all rows the same length; checked by the caller for user data). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows.length > 0 ? rows[0].length : 0;
  const m = zeros(rows.length, cols);
  rows.forEach((row, r) => m.data.set(row, r * cols));
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** The rows of m at the given indices, in that order. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = zeros(indices.length, m.cols);
  for (let k = 0; k < indices.length; k++) {
    const r = indices[k];
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols);
  }
  return out;
}

/** Index of the largest value in row r (the first one on ties). */
export function argmaxRow(m: Matrix, r: number): number {
  let best = 0;
  const o = r * m.cols;
  for (let c = 1; c < m.cols; c++) if (m.data[o + c] > m.data[o + best]) best = c;
  return best;
}
