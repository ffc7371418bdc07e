// Copying a batch's rows (picked by the epoch's row order) into the workspace before each step. Nothing here
// allocates per batch: wide rows are copied through views made once, narrow ones element by element.

import type { Matrix } from '../matrix.js';

// NOTE: measured (`TypedArray.set` against a loop, rows drawn at random from 40 MB): at 784 values a row set() took
// 1.7 ns a value and the loop 4.3; at 64 they were even, and at 8 or 32 the loop was 1.5–2.5× faster.
const VIEWS_FROM = 128;

/** A matrix of at most this many bytes stays in cache between batches (XOR's 64): its rows are copied without a first pass. */
const CACHED_BYTES = 32 << 10;

/** The rows of m a batch takes, copied into a contiguous array. */
export class RowGather {
  /** What the rows' first values summed to (kept, so the reads are not optimised away). */
  touched = 0;
  /** One view per row, for wide rows; null for narrow ones. */
  private readonly rows: Float64Array[] | null;
  /** The whole matrix fits in a core's first cache levels (CACHED_BYTES): no first pass over the rows. */
  private readonly cached: boolean;

  constructor(private readonly m: Matrix) {
    const { data, cols } = m;
    this.rows = cols >= VIEWS_FROM ? Array.from({ length: m.rows }, (_, r) => data.subarray(r * cols, (r + 1) * cols)) : null;
    this.cached = data.length * 8 <= CACHED_BYTES;
  }

  /** out(k, ·) = m(order[start + k], ·) for k < count.  out: (count, m.cols) */
  gather(order: Int32Array, start: number, count: number, out: Float64Array): void {
    const { rows } = this;
    const { data, cols } = this.m;
    if (rows !== null) {
      for (let k = 0; k < count; k++) out.set(rows[order[start + k]], k * cols);
      return;
    }
    // NOTE: a first pass reads each row's first value, so the rows' cache misses overlap before the copy. In training
    // a row drawn at random cost ≈100 ns, as if from memory (regression's 8 inputs: 13 ns a value, against 3 in a loop
    // of gathers alone, where the rows stay in cache). With the pass, whole trainings (medians of 20,
    // alternating): regression 0.104 → 0.091 s on 1 thread, 0.082 → 0.074 on 2; digits 0.089 → 0.085 s; the rest
    // within noise. A row of one value is read once either way: no first pass.
    if (cols > 1 && !this.cached) {
      let touched = 0;
      for (let k = 0; k < count; k++) touched += data[order[start + k] * cols];
      this.touched = touched;
    }
    for (let k = 0; k < count; k++) {
      const from = order[start + k] * cols;
      for (let c = 0; c < cols; c++) out[k * cols + c] = data[from + c]; // NOTE: no subarray: views allocate
    }
  }
}
