// Splitting a data set's rows into parts (train, validation, test) in place: the rows are reordered so that
// each part is a contiguous view, instead of copying every part out of the whole (for a large file, the copies
// were as big as the data). Choosing the rows is split.ts's.

import type { Matrix } from '../matrix.js';

/**
 * Reorders the rows of m in place so that the rows listed in parts[0] come first, then parts[1], …, and
 * returns each part as a view: what takeRows would give for each, without a copy. The parts must list every
 * row once. NOTE: m is changed; pass only a matrix nobody else reads.
 */
export function partitionRows(m: Matrix, parts: readonly Int32Array[]): Matrix[] {
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total !== m.rows) throw new Error(`partitionRows: the parts list ${total} rows of ${m.rows}`);
  const order = new Int32Array(m.rows); // new row k is old row order[k]
  let at = 0;
  for (const p of parts) {
    order.set(p, at);
    at += p.length;
  }
  permuteRows(m, order);
  let start = 0;
  return parts.map((p) => {
    const view = { data: m.data.subarray(start * m.cols, (start + p.length) * m.cols), rows: p.length, cols: m.cols };
    start += p.length;
    return view;
  });
}

/** Row k of m becomes old row order[k], following each cycle of the permutation with one saved row. */
function permuteRows(m: Matrix, order: Int32Array): void {
  const done = new Uint8Array(m.rows);
  // NOTE: one buffer for every cycle, and none for a row that stays: a copy per cycle was a row's bytes of
  // garbage per row (60 MB for 10,000 rows of 784 that do not move) that the GC saw too late.
  const saved = new Float64Array(m.cols);
  for (let start = 0; start < m.rows; start++) {
    if (done[start] || order[start] === start) continue;
    saved.set(m.data.subarray(start * m.cols, (start + 1) * m.cols)); // old row `start`, overwritten first
    let k = start;
    for (; order[k] !== start; k = order[k]) {
      if (done[k]) throw new Error('partitionRows: the parts list a row twice'); // else this cycle never closes
      m.data.copyWithin(k * m.cols, order[k] * m.cols, (order[k] + 1) * m.cols);
      done[k] = 1;
    }
    m.data.set(saved, k * m.cols);
    done[k] = 1;
  }
}
