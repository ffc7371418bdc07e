// partitionRows reorders a matrix's rows in place into its parts (train, validation, test) and returns each part
// as a view: the same rows as copying them out (takeRows) would give, for permutations with rows that stay,
// rows that move in long and short cycles, and parts that list a row twice (an error, not a wrong matrix).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionRows } from '../../src/data/partition.js';
import { takeRows, type Matrix } from '../../src/matrix.js';

const matrix = (rows: number, cols: number): Matrix => ({ data: Float64Array.from({ length: rows * cols }, (_, i) => i + 0.5), rows, cols });

describe('partitionRows', () => {
  it('gives each part the rows takeRows would copy out, whatever the permutation', () => {
    const parts = fc.integer({ min: 1, max: 40 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n })),
    );
    fc.assert(
      fc.property(parts, fc.integer({ min: 1, max: 5 }), ([n, order, a, b], cols) => {
        const [i, j] = [Math.min(a, b), Math.max(a, b)];
        const lists = [order.slice(0, i), order.slice(i, j), order.slice(j)].map((p) => Int32Array.from(p));
        const m = matrix(n, cols);
        const expected = lists.map((p) => takeRows(matrix(n, cols), p));
        const views = partitionRows(m, lists);
        views.forEach((v, k) => expect({ rows: v.rows, cols: v.cols, data: Array.from(v.data) }).toEqual({ ...expected[k], data: Array.from(expected[k].data) }));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves rows in place when the parts keep the order (no split), and refuses a row listed twice', () => {
    const m = matrix(4, 3);
    const [all] = partitionRows(m, [Int32Array.from([0, 1, 2, 3])]);
    expect(Array.from(all.data)).toEqual(Array.from(matrix(4, 3).data));
    expect(() => partitionRows(matrix(3, 2), [Int32Array.from([0, 0]), Int32Array.from([2])])).toThrow(/twice/);
    expect(() => partitionRows(matrix(3, 2), [Int32Array.from([1, 1, 0])])).toThrow(/twice/);
  });
});
