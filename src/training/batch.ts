// Copying a batch's rows (picked by the epoch's row order) into the workspace before each step. Nothing here
// allocates per batch: a matrix of up to IN_KERNELS_BYTES is copied into the kernels' memory once, and its rows
// gathered there by the kernels (wasm: Kernels.gather); larger ones are copied here, wide rows through views made
// once, narrow ones element by element.

import { scalarKernels, type Kernels } from '../kernels/index.js';
import type { Matrix } from '../matrix.js';

/**
 * A matrix of at most this many bytes is copied into the kernels' memory for the run (runner/memory.ts counts the
 * copy), so its rows are gathered in wasm: digits' 32 × 64 batch 0.6 µs against 3.1 in JavaScript; whole digits
 * runs (adam, 50 epochs, CPU time) 87 → 76 ms at 16 units, 181 → 174 at 64, 334 → 315 at 128. Larger data (a
 * 60,000-row CSV) would double in memory for a few percent: gathered here.
 */
export const IN_KERNELS_BYTES = 16 << 20;

// NOTE: measured (`TypedArray.set` against a loop, rows drawn at random from 40 MB): at 784 values a row set() took
// 1.7 ns a value and the loop 4.3; at 64 they were even, and at 8 or 32 the loop was 1.5–2.5× faster.
const VIEWS_FROM = 128;

/** The rows of m a batch takes, copied into a contiguous array. */
export class RowGather {
  /** What the rows' first values summed to (kept, so the reads are not optimised away). */
  touched = 0;
  /** One view per row, for wide rows; null for narrow ones. */
  private readonly rows: Float64Array[] | null;
  /** The matrix copied into the kernels' memory (IN_KERNELS_BYTES), gathered there; null: gathered here. */
  private readonly copy: Float64Array | null;

  constructor(private readonly m: Matrix, private readonly kernels?: Kernels) {
    const { data, cols } = m;
    this.copy = kernels?.name === 'wasm' && data.length * 8 <= IN_KERNELS_BYTES && data.length > 0 ? kernels.alloc(data.length) : null;
    this.copy?.set(data);
    this.rows = this.copy === null && cols >= VIEWS_FROM ? Array.from({ length: m.rows }, (_, r) => data.subarray(r * cols, (r + 1) * cols)) : null;
  }

  /** out(k, ·) = m(order[start + k], ·) for k < count.  out: (count, m.cols) */
  gather(order: Int32Array, start: number, count: number, out: Float64Array): void {
    const { rows, copy } = this;
    const { data, cols } = this.m;
    if (copy !== null) return this.kernels!.gather(copy, cols, order, start, count, out);
    if (rows !== null) {
      for (let k = 0; k < count; k++) out.set(rows[order[start + k]], k * cols);
      return;
    }
    // NOTE: a first pass reads each row's first value, so the rows' cache misses overlap before the copy. In training
    // a row drawn at random cost ≈100 ns, as if from memory (regression's 8 inputs: 13 ns a value, against 3 in a loop
    // of gathers alone, where the rows stay in cache). With the pass, whole trainings (medians of 20,
    // alternating): regression 0.104 → 0.091 s on 1 thread, 0.082 → 0.074 on 2; digits 0.089 → 0.085 s; the rest
    // within noise. A row of one value is read once either way: no first pass.
    if (cols > 1) {
      let touched = 0;
      for (let k = 0; k < count; k++) touched += data[order[start + k] * cols];
      this.touched = touched;
    }
    scalarKernels.gather(data, cols, order, start, count, out); // element by element (no views: they allocate)
  }
}
