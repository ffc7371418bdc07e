// Arrays in shared memory (SharedArrayBuffer): a data set read once can be handed to --jobs worker threads
// without a copy per worker or per run (runner/datacache.ts). Only where the data arrays are allocated; what
// is shared and when is the runner's.

import type { Matrix } from '../matrix.js';

/** A zero-filled Float64Array of `length` values in a SharedArrayBuffer of its own. */
export const sharedFloat64 = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * 8));

/** Is the array's memory shared (a worker receiving it sees these bytes, not a copy)? */
export const isShared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;

/** A copy of m in shared memory. */
export function sharedCopy(m: Matrix): Matrix {
  const data = sharedFloat64(m.rows * m.cols);
  data.set(m.data.subarray(0, m.rows * m.cols));
  return { data, rows: m.rows, cols: m.cols };
}

/** The indices in shared memory (as they are when they are there already). */
export function sharedInt32(a: Int32Array): Int32Array {
  if (isShared(a)) return a;
  const out = new Int32Array(new SharedArrayBuffer(a.length * 4));
  out.set(a);
  return out;
}
