import { describe, expect, it } from 'vitest';
import { RowGather } from '../../src/training/batch.js';
import { Rng } from '../../src/random.js';

/** The batch written out by hand: row order[start + k] of m, value by value. */
function expected(data: Float64Array, cols: number, order: Int32Array, start: number, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) for (let c = 0; c < cols; c++) out.push(data[order[start + k] * cols + c]);
  return out;
}

describe('RowGather', () => {
  // Both ways of copying: element by element (narrow rows) and through row views (from 128 values a row).
  for (const cols of [1, 3, 127, 128, 300]) {
    it(`copies the rows a batch takes, in the order given (${cols} values a row)`, () => {
      const rng = new Rng(7);
      const rows = 50;
      const data = Float64Array.from({ length: rows * cols }, () => rng.uniform(-1, 1));
      const order = Int32Array.from({ length: rows }, (_, i) => i);
      rng.shuffle(order);
      const out = new Float64Array(8 * cols + 5).fill(99);
      new RowGather({ data, rows, cols }).gather(order, 13, 8, out);
      expect(Array.from(out.subarray(0, 8 * cols))).toEqual(expected(data, cols, order, 13, 8));
      expect(Array.from(out.subarray(8 * cols))).toEqual([99, 99, 99, 99, 99]); // nothing written past the batch
    });
  }
});
