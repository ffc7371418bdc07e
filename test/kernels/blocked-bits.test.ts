// Large products go in blocks of 64 rows and 64 k (assembly/kernels.ts `blocked`: an A of more than 1 MiB), each
// k block after the first continuing every sum from out: the bits of one pass. Held against the scalar reference
// for affine, paramGrads (also accumulating) and inputGrad, on shapes past the threshold and not multiples of the
// blocks (or of 4), with A dense, with whole zero columns (the listed 4 × 4 block), with scattered zeros (each row's
// own list) and with special values, on 1 thread and on 2 with every product split.
import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const SPECIALS = [Infinity, -Infinity, NaN, 5e-324, -0, 1e308];

type Zeros = 'none' | 'columns' | 'scattered' | 'specials';

/** rows × cols values in k's memory: normal numbers; zeros and specials as `zeros` says (columns: every 7th column). */
function matrix(k: Kernels, rng: Rng, rows: number, cols: number, zeros: Zeros): Float64Array {
  const a = k.alloc(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let v = rng.normal() * 10 ** (rng.int(5) - 2);
      if (zeros === 'columns' && c % 7 === 3) v = 0;
      if (zeros === 'scattered' && rng.next() < 0.4) v = 0;
      if (zeros === 'specials' && rng.next() < 0.002) v = SPECIALS[rng.int(SPECIALS.length)];
      a[r * cols + c] = v;
    }
  }
  return a;
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
// second accumulating: 125 × 1100).
const ROWS = 2200, WIDE = 1000, NARROW = 13, FIRST = 1100;

describe.skipIf(!available)('products in blocks give the bits of one pass', () => {
  for (const [name, make] of KERNELS) {
    for (const zeros of ['none', 'columns', 'scattered', 'specials'] as const) {
      it(`${name}, A with ${zeros === 'none' ? 'no zeros' : zeros === 'specials' ? 'special values' : `${zeros} zeros`}`, () => {
        const wasm = make();
        const run = (k: Kernels) => {
          const rng = new Rng(zeros.length * 31 + 7);
          const x = matrix(k, rng, ROWS, WIDE, zeros);
          const w = matrix(k, rng, WIDE, NARROW, 'none');
          const b = matrix(k, rng, 1, NARROW, 'none');
          const dz = matrix(k, rng, ROWS, WIDE, zeros);
          const w2 = matrix(k, rng, NARROW, WIDE, 'none');
          const dz2 = matrix(k, rng, ROWS, NARROW, 'none');
          const out = k.alloc(ROWS * NARROW);
          k.affine(x, w, b, out, ROWS, WIDE, NARROW); // A = x: 2200 × 1000
          const dw = k.alloc(WIDE * NARROW), db = k.alloc(NARROW);
          k.paramGrads(x.subarray(0, FIRST * WIDE), dz2.subarray(0, FIRST * NARROW), dw, db, FIRST, WIDE, NARROW); // A = xᵀ: 1000 × 1100
          k.paramGrads(x.subarray(FIRST * WIDE), dz2.subarray(FIRST * NARROW), dw, db, ROWS - FIRST, WIDE, NARROW, true); // and 1100 rows more onto it
          const dx = k.alloc(ROWS * NARROW);
          k.inputGrad(dz, w2, dx, ROWS, NARROW, WIDE); // A = dz: 2200 × 1000
          return [out, dw, db, dx];
        };
        const ref = run(scalarKernels);
        const fast = run(wasm);
        ['affine', 'paramGrads dw', 'paramGrads db', 'inputGrad'].forEach((what, o) => {
          const at = firstDifference(ref[o], fast[o]);
          if (at >= 0) expect.fail(`${what} [${at}]: scalar ${ref[o][at]}, wasm ${fast[o][at]}`);
        });
        expect(ref[0].filter(Number.isFinite).length, 'most outputs finite').toBeGreaterThan(ROWS * NARROW * (zeros === 'specials' ? 0.2 : 0.99));
      });
    }
  }
});
