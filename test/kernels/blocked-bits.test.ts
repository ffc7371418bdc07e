// Large products go in blocks (assembly/kernels.ts `blocked`: an A of more than 1 MiB): of 64 rows, and within them
// of 64 k — each k block after the first continuing every sum from out — unless A's rows are contiguous and out has
// under 32 columns (then rows alone). The bits are one pass's. Held against the scalar reference for affine (k
// blocks at 40 outputs, rows alone at 13), paramGrads (also accumulating) and inputGrad (k blocks), on shapes past the
// threshold and not multiples of the blocks (or of 4), with A dense, with whole zero columns (the listed 4 × 4
// block), with scattered zeros (each row's own list) and with special values, on 1 thread and on 2 with every product
// split. Where A is zero, B holds ±Infinity and NaN and a bias is −0 over an all-zero row: a term skipped that must
// not be (inputGrad) or added that must be skipped (affine, paramGrads) changes the bits.
import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const SPECIALS = [Infinity, -Infinity, NaN, 5e-324, -0, 1e308];

type Zeros = 'none' | 'columns' | 'scattered' | 'specials';

/** Whether A(r, c) is zero: every 7th column ('columns'), 40% at random ('scattered'; decided by `u`), row 0 whole. */
const zeroAt = (zeros: Zeros, r: number, c: number, u: number) =>
  (zeros === 'columns' && (c % 7 === 3 || r === 0)) || (zeros === 'scattered' && (u < 0.4 || r === 0));

/** rows × cols values in k's memory: normal numbers; zeros and specials as `zeros` says. */
function matrix(k: Kernels, rng: Rng, rows: number, cols: number, zeros: Zeros): Float64Array {
  const a = k.alloc(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let v = rng.normal() * 10 ** (rng.int(5) - 2);
      if (zeroAt(zeros, r, c, rng.next())) v = 0;
      if (zeros === 'specials' && rng.next() < 0.002) v = SPECIALS[rng.int(SPECIALS.length)];
      a[r * cols + c] = v;
    }
  }
  return a;
}

/** B for an A with `zeros`: its rows k ≡ 3 (mod 7) (A's zero columns) hold ±Infinity and NaN in a few places. */
function withSpecials(b: Float64Array, cols: number, zeros: Zeros): Float64Array {
  if (zeros !== 'columns') return b;
  for (let k = 3; k * cols < b.length; k += 7) b[k * cols + (k % cols)] = [Infinity, -Infinity, NaN][k % 3];
  return b;
}

/** Index of the first element that differs (Object.is; NaN = NaN), or -1. */
const firstDifference = (a: Float64Array, b: Float64Array) => a.findIndex((v, i) => !Object.is(v, b[i]) && !(Number.isNaN(v) && Number.isNaN(b[i])));

const available = wasmKernels() !== null;
const KERNELS: [string, () => Kernels][] = [
  ['1 thread', () => createWasmKernels({ product: 0, threads: 1 })],
  ['2 threads, every product split', () => createWasmKernels({ product: 0, threads: 2, threaded: 0 })],
];

// A: affine's x (rows × nIn), paramGrads' xᵀ (nIn × rows), inputGrad's dz (rows × nOut): more than 2^17 values, also
// in each of the 8 parts that 2 threads split a product into (2200 × 1000: 275 × 1000; xᵀ of 1100 rows, twice, the
// second accumulating: 125 × 1100; dz 2200 × 600: 275 × 600).
const ROWS = 2200, WIDE = 1000, OUT = 40, NARROW = 13, FIRST = 1100, DZ = 600;

describe.skipIf(!available)('products in blocks give the bits of one pass', () => {
  for (const [name, make] of KERNELS) {
    for (const zeros of ['none', 'columns', 'scattered', 'specials'] as const) {
      it(`${name}, A with ${zeros === 'none' ? 'no zeros' : zeros === 'specials' ? 'special values' : `${zeros} zeros`}`, () => {
        const wasm = make();
        const run = (k: Kernels) => {
          const rng = new Rng(zeros.length * 31 + 7);
          const x = matrix(k, rng, ROWS, WIDE, zeros);
          const w = withSpecials(matrix(k, rng, WIDE, OUT, 'none'), OUT, zeros);
          const b = matrix(k, rng, 1, OUT, 'none');
          b[0] = -0; // over row 0, all zero in 'columns' and 'scattered': out(0, 0) stays −0 only if every term is skipped
          const out = k.alloc(ROWS * OUT);
          k.affine(x, w, b, out, ROWS, WIDE, OUT); // 40 outputs: k blocks
          const out13 = k.alloc(ROWS * NARROW);
          k.affine(x, w.subarray(0, WIDE * NARROW), b.subarray(0, NARROW), out13, ROWS, WIDE, NARROW); // 13 (w read as 1000 × 13): rows alone
          const dz2 = withSpecials(matrix(k, rng, ROWS, NARROW, 'none'), NARROW, zeros);
          if (zeros === 'columns' || zeros === 'scattered') dz2[0] = Infinity; // batch row 0: x all zero there, every term skipped
          const dw = k.alloc(WIDE * NARROW), db = k.alloc(NARROW);
          k.paramGrads(x.subarray(0, FIRST * WIDE), dz2.subarray(0, FIRST * NARROW), dw, db, FIRST, WIDE, NARROW); // A = xᵀ: 1000 × 1100
          k.paramGrads(x.subarray(FIRST * WIDE), dz2.subarray(FIRST * NARROW), dw, db, ROWS - FIRST, WIDE, NARROW, true); // and 1100 rows more onto it
          const dz = matrix(k, rng, ROWS, DZ, zeros);
          const w2 = withSpecials(matrix(k, rng, OUT, DZ, 'none'), DZ, 'none');
          if (zeros === 'columns') for (let i = 0; i < OUT; i++) w2[i * DZ + 3] = Infinity; // dz's column 3 is zero: 0·∞ = NaN, never skipped
          const dx = k.alloc(ROWS * OUT);
          k.inputGrad(dz, w2, dx, ROWS, OUT, DZ); // A = dz: 2200 × 600, k blocks
          return [out, out13, dw, db, dx];
        };
        const ref = run(scalarKernels);
        const fast = run(wasm);
        ['affine', 'affine, 13 outputs', 'paramGrads dw', 'paramGrads db', 'inputGrad'].forEach((what, o) => {
          const at = firstDifference(ref[o], fast[o]);
          if (at >= 0) expect.fail(`${what} [${at}]: scalar ${ref[o][at]}, wasm ${fast[o][at]}`);
        });
        expect(ref[0].filter(Number.isFinite).length, 'most outputs finite').toBeGreaterThan(ROWS * OUT * (zeros === 'specials' ? 0.1 : 0.99));
        if (zeros === 'columns' || zeros === 'scattered') expect(Object.is(ref[0][0], -0), 'out(0, 0): the −0 bias, every term skipped').toBe(true);
        if (zeros === 'columns') expect(ref[4].every(Number.isNaN), 'inputGrad: 0·∞ in every sum').toBe(true);
      });
    }
  }
});
