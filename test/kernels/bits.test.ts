// Bit-identity of the wasm kernels against the scalar reference, on random shapes (1, odd, not multiples of
// the 4×4 register block) and random values including ±0, ±Infinity, NaN and subnormals.
// NOTE: NaN is compared by NaN-ness, not payload: IEEE 754 and the WebAssembly spec leave the payload (and sign)
// of a NaN produced by arithmetic unspecified, and V8 may canonicalize NaNs; every other value must match in all
// 64 bits (Object.is tells +0 from -0).

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

// Thresholds 0: every size runs in wasm (by default tiny products run the scalar loops).
const wasm = wasmKernels() && createWasmKernels({ product: 0 });
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 17];
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -2.2250738585072014e-308, 1e308, -1e308];

/** A value: mostly normal numbers of mixed scale, with `special` odds of one of SPECIALS. */
function value(rng: Rng, special: number): number {
  if (rng.next() < special) return SPECIALS[rng.int(SPECIALS.length)];
  return rng.normal() * 10 ** (rng.int(7) - 3);
}

/** Random values in an array from `k` (in its memory) or a plain one, so both the in-place and copy paths run. */
function fill(k: Kernels, rng: Rng, n: number, special: number, plain: boolean): Float64Array {
  const a = plain ? new Float64Array(n) : k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = value(rng, special);
  return a;
}

/** Index of the first element that differs (by Object.is, NaN = NaN), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

interface Case { rows: number; nIn: number; nOut: number; special: number; plain: boolean }

function cases(count: number): Case[] {
  const rng = new Rng(11);
  const pick = () => SIZES[rng.int(SIZES.length)];
  return Array.from({ length: count }, (_, t) => ({
    rows: pick(), nIn: pick(), nOut: pick(),
    special: [0, 0.05, 0.3][t % 3], // none, a few, many (whole rows of zeros skip terms)
    plain: t % 4 === 3,
  }));
}

/** Runs `op` on the same inputs with both kernel sets; out arrays start as garbage. Returns both outputs. */
function both(c: Case, seed: number, op: (k: Kernels, ins: Float64Array[], outs: Float64Array[]) => void, inSizes: number[], outSizes: number[]) {
  return [scalarKernels, wasm!].map((k) => {
    const rng = new Rng(seed);
    const ins = inSizes.map((n) => fill(k, rng, n, c.special, c.plain));
    const outs = outSizes.map((n) => fill(k, rng, n, 0.5, c.plain));
    op(k, ins, outs);
    return outs;
  });
}

describe.skipIf(!wasm)('wasm kernels are bit-identical to the scalar reference', () => {
  const all = cases(300);
  const check = (name: string, op: Parameters<typeof both>[2], ins: (c: Case) => number[], outs: (c: Case) => number[]) => {
    it(`${name} on ${all.length} random shapes and values`, () => {
      all.forEach((c, t) => {
        const [ref, fast] = both(c, 1000 + t, op, ins(c), outs(c));
        ref.forEach((r, o) => {
          const at = firstDifference(r, fast[o]);
          if (at >= 0) expect.fail(`${name} ${JSON.stringify(c)} output ${o}[${at}]: scalar ${r[at]}, wasm ${fast[o][at]}`);
        });
      });
    });
  };
  check('affine', (k, [x, w, b], [out]) => k.affine(x, w, b, out, rowsOf(x, w, b), w.length / b.length, b.length),
    (c) => [c.rows * c.nIn, c.nIn * c.nOut, c.nOut], (c) => [c.rows * c.nOut]);
  check('paramGrads', (k, [x, dz, shape], [dw, db]) => k.paramGrads(x, dz, dw, db, shape.length, x.length / shape.length, db.length),
    (c) => [c.rows * c.nIn, c.rows * c.nOut, c.rows], (c) => [c.nIn * c.nOut, c.nOut]);
  check('inputGrad', (k, [dz, w, shape], [dx]) => k.inputGrad(dz, w, dx, shape.length, dx.length / shape.length, dz.length / shape.length),
    (c) => [c.rows * c.nOut, c.nIn * c.nOut, c.rows], (c) => [c.rows * c.nIn]);

  // Inputs from outside the memory beyond 2^16 values are staged a block of rows at a time (wasm.ts affine).
  it.each([
    [1031, 129, 7, false], // blocks of 508 rows, the last 15
    [1031, 129, 7, true], // and the output outside the memory too
    [3, 70001, 2, false], // one row wider than a block: blocks of 4 rows (here all 3)
    [9, 20000, 3, true], // 4, 4, 1
  ])('affine on %i × %i → %i staged in blocks (plain output: %s)', (rows, nIn, nOut, plainOut) => {
    const [ref, fast] = [scalarKernels, wasm!].map((k) => {
      const rng = new Rng(rows + nIn);
      const x = fill(k, rng, rows * nIn, 0.05, true);
      const w = fill(k, rng, nIn * nOut, 0.05, false);
      const b = fill(k, rng, nOut, 0.05, false);
      const out = fill(k, rng, rows * nOut, 0.5, plainOut);
      k.affine(x, w, b, out, rows, nIn, nOut);
      return out;
    });
    const at = firstDifference(ref, fast);
    if (at >= 0) expect.fail(`affine ${rows}×${nIn}→${nOut} [${at}]: scalar ${ref[at]}, wasm ${fast[at]}`);
  });

  it('the cases include the edge shapes and every special value', () => {
    expect(all.some((c) => c.rows === 1 && c.nIn === 1 && c.nOut === 1) || all.some((c) => c.nOut === 1)).toBe(true);
    expect(new Set(all.map((c) => c.nOut % 4))).toEqual(new Set([0, 1, 2, 3]));
    expect(new Set(all.map((c) => c.rows % 4))).toEqual(new Set([0, 1, 2, 3]));
  });
});

/** affine's rows from the array lengths: x is (rows, nIn), w (nIn, nOut), b (nOut). */
function rowsOf(x: Float64Array, w: Float64Array, b: Float64Array): number {
  return x.length / (w.length / b.length);
}
