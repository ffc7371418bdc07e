// The products' listed skip path (assembly/sparse.ts) against the scalar reference, bit for bit: inputs whose zeros
// come as whole columns (constant input columns: four rows share one list and the dense 4×4 loop) or scattered
// (relu outputs: each row its own list), −0 among them, NaN and ±Infinity both in the inputs and in the other
// factor (where a skipped term would have made NaN), on shapes of every remainder mod 4 and mod 16 columns; and
// sums longer than a list can hold (the masked path takes them).

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { LIST_SCRATCH } from '../../src/kernels/threads.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const wasm = wasmKernels() && createWasmKernels({ product: 0 });
const SPECIALS = [Infinity, -Infinity, NaN, 5e-324, -0];

type Pattern = 'columns' | 'scattered' | 'both';

/** x: (rows, cols) with zeros (+0 and −0) by `pattern`; a few specials when `special`. */
function input(k: Kernels, rng: Rng, rows: number, cols: number, pattern: Pattern, special: boolean): Float64Array {
  const x = k.alloc(rows * cols);
  const zeroCol = Array.from({ length: cols }, () => rng.next() < 0.2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let v = rng.normal();
      if (pattern !== 'scattered' && zeroCol[c]) v = rng.next() < 0.5 ? 0 : -0;
      else if (pattern !== 'columns' && rng.next() < 0.5) v = rng.next() < 0.5 ? 0 : -0;
      else if (special && rng.next() < 0.05) v = SPECIALS[rng.int(SPECIALS.length)];
      x[r * cols + c] = v;
    }
  }
  return x;
}

function dense(k: Kernels, rng: Rng, n: number, special: boolean): Float64Array {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = special && rng.next() < 0.05 ? SPECIALS[rng.int(SPECIALS.length)] : rng.normal();
  return a;
}

function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return i;
  return -1;
}

/** affine and paramGrads with both kernel sets on the same inputs; fails naming the first differing value. */
function compare(kernels: Kernels, rows: number, nIn: number, nOut: number, pattern: Pattern, special: boolean, seed: number): void {
  const [ref, fast] = [scalarKernels, kernels].map((k) => {
    const rng = new Rng(seed);
    const x = input(k, rng, rows, nIn, pattern, special);
    const w = dense(k, rng, nIn * nOut, special), b = dense(k, rng, nOut, special), dz = dense(k, rng, rows * nOut, special);
    const out = k.alloc(rows * nOut), dw = k.alloc(nIn * nOut), db = k.alloc(nOut);
    k.affine(x, w, b, out, rows, nIn, nOut);
    k.paramGrads(x, dz, dw, db, rows, nIn, nOut);
    return [out, dw, db];
  });
  ['affine', 'paramGrads dw', 'paramGrads db'].forEach((name, o) => {
    const at = firstDifference(ref[o], fast[o]);
    if (at >= 0) expect.fail(`${name} ${rows}×${nIn}→${nOut} ${pattern} special ${special} [${at}]: scalar ${ref[o][at]}, wasm ${fast[o][at]}`);
  });
}

describe.skipIf(!wasm)('the listed skip path is bit-identical to the scalar reference', () => {
  it('on zero columns, scattered zeros and both, every remainder of rows and columns, with and without specials', () => {
    let seed = 0;
    for (const pattern of ['columns', 'scattered', 'both'] as const) {
      for (const rows of [1, 3, 4, 5, 8, 11, 32]) {
        for (const nOut of [1, 2, 3, 4, 5, 7, 8, 10, 12, 13, 14, 15, 16, 17, 33]) {
          for (const special of [false, true]) compare(wasm!, rows, [1, 6, 13, 64][seed % 4], nOut, pattern, special, seed++);
        }
      }
    }
  });

  it('on sums longer than a list holds (the masked path), affine and the weight gradient', () => {
    compare(wasm!, 3, LIST_SCRATCH + 3, 5, 'both', true, 1);
    compare(wasm!, LIST_SCRATCH + 5, 3, 6, 'both', true, 2);
  });

  it('on helper threads, each with its own list (every product split)', () => {
    const threaded = createWasmKernels({ product: 0, threads: 3, threaded: 0 });
    for (let t = 0; t < 200; t++) compare(threaded, 4 + (t % 37), 5 + (t % 23), 1 + (t % 19), (['columns', 'scattered', 'both'] as const)[t % 3], t % 2 === 0, 100 + t);
    expect(threaded.threadsInUse()).toBe(3);
  });
});
