// The scalar reference kernels: plain TypeScript loops, the oracle every fast kernel must match bit for bit.
// The summation order documented in types.ts is defined by these loops.

import type { Kernels } from './types.js';

/** out = x·w + b.  x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut) */
function affine(x: Float64Array, w: Float64Array, b: Float64Array, out: Float64Array, rows: number, nIn: number, nOut: number): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < nOut; j++) out[r * nOut + j] = b[j];
  // Input-major (i, then row, then unit): w's row i stays in cache while every row of the batch uses it.
  // Each out[r][j] still sums over i in ascending order, so the result does not depend on the loop order.
  for (let i = 0; i < nIn; i++) {
    const wi = i * nOut;
    for (let r = 0; r < rows; r++) {
      const xi = x[r * nIn + i];
      if (xi === 0) continue;
      const o = r * nOut;
      for (let j = 0; j < nOut; j++) out[o + j] += xi * w[wi + j];
    }
  }
}

/** dw = xᵀ·dz, db = Σ_rows dz.  x: (rows, nIn)  dz: (rows, nOut)  dw: (nIn, nOut) */
function paramGrads(x: Float64Array, dz: Float64Array, dw: Float64Array, db: Float64Array, rows: number, nIn: number, nOut: number): void {
  db.fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0; j < nOut; j++) db[j] += dz[r * nOut + j];
  // Input-major, as affine: dw's row i is finished (summed over rows in order) before the next is touched.
  for (let i = 0; i < nIn; i++) {
    const wi = i * nOut;
    for (let j = 0; j < nOut; j++) dw[wi + j] = 0;
    for (let r = 0; r < rows; r++) {
      const xi = x[r * nIn + i];
      if (xi === 0) continue;
      const o = r * nOut;
      for (let j = 0; j < nOut; j++) dw[wi + j] += xi * dz[o + j];
    }
  }
}

/** dx = dz·wᵀ.  dz: (rows, nOut)  w: (nIn, nOut)  dx: (rows, nIn) */
function inputGrad(dz: Float64Array, w: Float64Array, dx: Float64Array, rows: number, nIn: number, nOut: number): void {
  for (let i = 0; i < nIn; i++) {
    const wi = i * nOut;
    for (let r = 0; r < rows; r++) {
      const o = r * nOut;
      let s = 0;
      for (let j = 0; j < nOut; j++) s += dz[o + j] * w[wi + j];
      dx[r * nIn + i] = s;
    }
  }
}

export const scalarKernels: Kernels = Object.freeze({
  name: 'scalar',
  alloc: (length: number) => new Float64Array(length),
  affine,
  paramGrads,
  inputGrad,
});
