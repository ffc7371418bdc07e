// Products take the dense loop even where A has zeros when that gives the skipped sums' bits (assembly/kernels.ts
// `denseInstead`: every B(k, ·) of a k with a zero in A finite, no start value −0) and is the faster: under 16 output
// columns, or with at most one A value in 6 zero. Held against the scalar reference, which skips every term with
// A(m, k) == 0, for inputs with half their values ±0 (relu) into few columns and with few zeros (a zero row and
// column, 3% more at random) into many: where the dense loop is taken (B finite, ±0 in B, signs that make −0 terms)
// and where it must not be (a −0 bias over an all-zero row with +0 terms, NaN and ±Infinity in B where A is zero, an
// accumulating paramGrads from −0); on 1 thread and on 2 with every product split. It fails when any check is left out.
// Also: a zero only in the last of an odd number of A's columns or rows (fewZeros' tails), and a later k block of a
// blocked affine continuing from out's −0.
import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

type Case = 'finite' | 'zeros in B' | 'negative-zero bias' | 'special B' | 'accumulate from -0';
const CASES: Case[] = ['finite', 'zeros in B', 'negative-zero bias', 'special B', 'accumulate from -0'];

/** Index of the first element that differs (Object.is; NaN = NaN), or -1. */
const firstDifference = (a: Float64Array, b: Float64Array) => a.findIndex((v, i) => !Object.is(v, b[i]) && !(Number.isNaN(v) && Number.isNaN(b[i])));
const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** x: (rows, nIn): row 1 and column 2 all +0, a share `zeros` of the rest ±0 at random, the others of either sign. */
function withZeros(k: Kernels, rng: Rng, rows: number, nIn: number, zeros: number): Float64Array {
  const x = k.alloc(rows * nIn);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < nIn; i++) {
      const zero = r === 1 || i === 2 || rng.next() < zeros;
      x[r * nIn + i] = zero ? (r === 1 || i === 2 || rng.next() < 0.5 ? 0 : -0) : rng.normal();
    }
  }
  return x;
}

/** affine, paramGrads and paramGrads accumulating, on one kernel set; each output array in order. */
function products(k: Kernels, c: Case, rows: number, nIn: number, nOut: number, zeros: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const x = withZeros(k, rng, rows, nIn, zeros);
  const w = k.alloc(nIn * nOut), b = k.alloc(nOut), dz = k.alloc(rows * nOut);
  // Positive w and dz where x is +0 make +0 terms: over a −0 start they give +0 if added.
  for (let i = 0; i < w.length; i++) w[i] = c === 'zeros in B' && rng.next() < 0.3 ? (rng.next() < 0.5 ? 0 : -0) : Math.abs(rng.normal()) * (i % 3 ? 1 : -1);
  for (let i = 0; i < dz.length; i++) dz[i] = c === 'zeros in B' && rng.next() < 0.3 ? -0 : Math.abs(rng.normal()) * (i % 4 ? 1 : -1);
  for (let j = 0; j < nOut; j++) b[j] = rng.normal();
  if (c === 'negative-zero bias') {
    b[0] = -0; // out(1, 0) sums only +0 terms: row 1 of x is all +0 and w(·, 0) > 0
    for (let i = 0; i < nIn; i++) w[i * nOut] = Math.abs(w[i * nOut]);
  }
  if (c === 'accumulate from -0') for (let j = 0; j < nOut; j++) dz[nOut + j] = Math.abs(dz[nOut + j]); // +0 terms in dw(2, ·)
  if (c === 'special B') {
    // w's row 2 and dz's row 1 meet only zeros of x (column 2, row 1): their terms are all skipped.
    w[2 * nOut + (nOut - 1)] = NaN;
    w[2 * nOut] = Infinity;
    dz[1 * nOut] = -Infinity;
  }
  const out = k.alloc(rows * nOut), dw = k.alloc(nIn * nOut), db = k.alloc(nOut);
  k.affine(x, w, b, out, rows, nIn, nOut);
  k.paramGrads(x, dz, dw, db, rows, nIn, nOut);
  const grads = [dw.slice(), db.slice()];
  if (c === 'accumulate from -0') dw.fill(-0); // dw(2, ·) continues from −0 over +0 terms only (x's column 2)
  k.paramGrads(x, dz, dw, db, rows, nIn, nOut, true);
  return [out, ...grads, dw, db];
}

const available = wasmKernels() !== null;
const KERNELS: [string, () => Kernels][] = [
  ['1 thread', () => createWasmKernels({ product: 0, threads: 1 })],
  ['2 threads, every product split', () => createWasmKernels({ product: 0, threads: 2, threaded: 0 })],
];
const NAMES = ['affine', 'paramGrads dw', 'paramGrads db', 'accumulated dw', 'accumulated db'];

describe.skipIf(!available)('A with zeros: the dense loop only where it gives the skipped sums', () => {
  for (const [name, make] of KERNELS) {
    it(`${name}: bit-identical to the scalar reference in every case`, () => {
      const fast = make();
      let seed = 0;
      // Half zeros into few columns (dense under 16) and a few zeros into many (dense at most 1 in 6: here 5–14%
      // of A, and of xᵀ for paramGrads), each also at the other's widths (listed).
      const SHAPES: [number, number, number[], number][] = [
        [8, 5, [1, 2, 3, 10, 15, 16], 0.5], [9, 64, [1, 3, 10, 16], 0.5], [32, 64, [1, 10, 15, 16, 33], 0.5], [37, 13, [2, 10, 16], 0.5],
        [32, 64, [10, 16, 33, 64], 0.03], [40, 100, [3, 16, 40], 0.03], [37, 29, [16, 17], 0.03],
      ];
      for (const c of CASES) {
        for (const [rows, nIn, widths, zeros] of SHAPES) {
          for (const nOut of widths) {
            const ref = products(scalarKernels, c, rows, nIn, nOut, zeros, seed);
            const got = products(fast, c, rows, nIn, nOut, zeros, seed++);
            NAMES.forEach((what, o) => {
              const at = firstDifference(ref[o], got[o]);
              if (at >= 0) expect.fail(`${c}, ${what} ${rows}×${nIn}→${nOut}, zeros ${zeros} [${at}]: scalar ${show(ref[o][at])}, wasm ${show(got[o][at])}`);
            });
          }
        }
      }
    });
  }

  it('the cases that must not take the dense loop hold values that adding the skipped terms would change', () => {
    const ref = (c: Case) => products(scalarKernels, c, 8, 5, 3, 0.5, 1);
    expect(Object.is(ref('negative-zero bias')[0][1 * 3 + 0], -0)).toBe(true); // skipped: −0 stays; dense: +0
    expect(Number.isFinite(ref('special B')[0][2])).toBe(true); // skipped: no NaN; dense: NaN · 0
    expect(Object.is(ref('accumulate from -0')[3][2 * 3], -0)).toBe(true); // skipped: −0 stays; dense: +0
  });

  // Review: a zero only in the last of an odd number of columns is marked by fewZeros' tails (affine: A's rows
  // contiguous, odd K; paramGrads: A = xᵀ, an odd number of its rows), and only that k's row of B is not finite.
  // 64 × 65 → 16: the marks path (16 columns, 1 zero in 4160), on 2 threads in parts of 8 rows (affine) and of 8 and 9
  // (paramGrads' last part: xᵀ's rows 56–64). An affine before it with that column free of zeros leaves a 0 mark there.
  for (const [name, make] of KERNELS) {
    it(`${name}: the last column's zero in an odd K (affine) and an odd number of xᵀ's rows (paramGrads) is marked`, () => {
      const fast = make();
      const ROWS = 64, IN = 65, OUT = 16, R = 5; // x(R, IN − 1) is A's only zero
      const run = (k: Kernels) => {
        const rng = new Rng(3);
        const x = k.alloc(ROWS * IN), w = k.alloc(IN * OUT), b = k.alloc(OUT), dz = k.alloc(ROWS * OUT);
        for (const a of [x, w, b, dz]) for (let i = 0; i < a.length; i++) a[i] = rng.normal() || 1;
        const out = k.alloc(ROWS * OUT);
        x[R * IN] = 0; // the primer: a zero in column 0 only, every B finite (dense), the last column's mark 0
        k.affine(x, w, b, out, ROWS, IN, OUT);
        x[R * IN] = 1;
        x[R * IN + IN - 1] = 0;
        w[(IN - 1) * OUT + 3] = NaN; // B's row IN − 1 (affine), met only by the zero in row R
        dz[R * OUT + 7] = Infinity; // B's row R (paramGrads), met only by the zero in xᵀ's last row
        k.affine(x, w, b, out, ROWS, IN, OUT);
        const dw = k.alloc(IN * OUT), db = k.alloc(OUT);
        k.paramGrads(x, dz, dw, db, ROWS, IN, OUT);
        const first = dw.slice();
        k.paramGrads(x, dz, dw, db, ROWS, IN, OUT, true);
        return [out, first, dw];
      };
      const ref = run(scalarKernels);
      expect(Number.isFinite(ref[0][R * OUT + 3]) && Number.isNaN(ref[0][3]), 'affine: NaN but in row R').toBe(true);
      expect(Number.isFinite(ref[1][(IN - 1) * OUT + 7]) && !Number.isFinite(ref[1][7]), 'paramGrads: ∞ but in the last row').toBe(true);
      const got = run(fast);
      ['affine', 'paramGrads dw', 'accumulated dw'].forEach((what, o) => {
        const at = firstDifference(ref[o], got[o]);
        if (at >= 0) expect.fail(`${what} [${at}]: scalar ${show(ref[o][at])}, wasm ${show(got[o][at])}`);
      });
    });
  }

  it('1 thread: a k block after the first continues from out, whose −0 (a −0 bias over an all-zero row) stays', () => {
    // Review: an affine large enough for k blocks (256 × 600 → 32: blocks of 64 rows and 64 k), few zeros, B finite:
    // each block could take the dense loop but for the start values. Later blocks start from out (acc), where
    // out(70, 0) is still −0 (x's row 70 all +0, w's column 0 positive): the −0 check must read out, not init.
    const ROWS = 256, IN = 600, OUT = 32, Z = 70;
    const run = (k: Kernels) => {
      const rng = new Rng(5);
      const x = k.alloc(ROWS * IN), w = k.alloc(IN * OUT), b = k.alloc(OUT);
      for (let i = 0; i < x.length; i++) x[i] = Math.floor(i / IN) === Z || rng.next() < 0.02 ? 0 : rng.normal();
      for (let i = 0; i < w.length; i++) w[i] = i % OUT ? rng.normal() : Math.abs(rng.normal()) + 0.5;
      for (let j = 0; j < OUT; j++) b[j] = j ? rng.normal() : -0;
      const out = k.alloc(ROWS * OUT);
      k.affine(x, w, b, out, ROWS, IN, OUT);
      return out;
    };
    const ref = run(scalarKernels);
    expect(Object.is(ref[Z * OUT], -0), 'out(70, 0): every term skipped').toBe(true);
    const got = run(createWasmKernels({ product: 0, threads: 1 }));
    const at = firstDifference(ref, got);
    if (at >= 0) expect.fail(`affine in k blocks [${at}]: scalar ${show(ref[at])}, wasm ${show(got[at])}`);
  });
});
