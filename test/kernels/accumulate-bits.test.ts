// Kernels.paramGrads' `accumulate` (types.ts), the invariant a large batch run in chunks of rows stands on: for any
// split 0 ≤ a ≤ rows, paramGrads over rows [0, a) then over rows [a, rows) with accumulate leaves dw and db
// bit-identical to one paramGrads over all rows. Held for the scalar kernels and the wasm kernels on 1 and 2 threads,
// on each of wasm's paths: the scalar loops below the small-product threshold (a chunk may take them where the whole
// batch does not), the dense product (no zeros in x), the listed skip path (zeros in x, scattered or whole rows), the
// masked skip path (sums longer than a list holds) and the helper threads' split of dw's rows; arrays in the wasm
// memory and outside it (staged: an output's values are copied in first). Values include ±0, NaN, ±Infinity,
// subnormals and huge and tiny magnitudes; shapes of every remainder mod 4, 1 row and thousands; chunk boundaries at
// 0, 1, the middle and rows, and many chunks. Also: wasm == scalar bit for bit in accumulate mode from any values.
// NOTE: NaN is compared by NaN-ness, not payload, as in bits.test.ts (IEEE 754 and WebAssembly leave a computed NaN's
// payload and sign unspecified); every other value must match in all 64 bits (Object.is tells +0 from −0).

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { LIST_SCRATCH } from '../../src/kernels/threads.js';
import { createWasmKernels, type WasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const hasWasm = wasmKernels() !== null;
/** The kernel sets under test: thresholds 0 put every product in wasm (and split it over the threads); the
 *  defaults send small chunks to the scalar loops and split only large products. */
const wasmSets: [string, WasmKernels][] = hasWasm
  ? [
      ['wasm, all in wasm, 1 thread', createWasmKernels({ product: 0, threads: 1 })],
      ['wasm, all in wasm, 2 threads, every product split', createWasmKernels({ product: 0, threads: 2, threaded: 0 })],
      ['wasm, default thresholds, 1 thread', createWasmKernels({ threads: 1 })],
      ['wasm, default thresholds, 2 threads', createWasmKernels({ threads: 2 })],
    ]
  : [];
const SETS: [string, Kernels][] = [['scalar', scalarKernels], ...wasmSets];

const NONZERO_SPECIALS = [Infinity, -Infinity, NaN, 5e-324, -2.2250738585072014e-308, 1e308, -1e308, 1e-300, -1e-300];
type Pattern = 'dense' | 'scattered' | 'zero rows';
/** Where the arrays live: all in the kernels' memory, all outside, or only the outputs outside (staged). */
type Place = 'memory' | 'plain' | 'outputs plain';

/** A value: mixed scales, with `special` odds of a special one (no zero unless `zeros`). */
function value(rng: Rng, special: number, zeros: boolean): number {
  if (rng.next() < special) {
    if (zeros && rng.next() < 0.2) return rng.next() < 0.5 ? 0 : -0;
    return NONZERO_SPECIALS[rng.int(NONZERO_SPECIALS.length)];
  }
  return rng.normal() * 10 ** (rng.int(9) - 4);
}

function array(k: Kernels, n: number, plain: boolean): Float64Array {
  return plain ? new Float64Array(n) : k.alloc(n);
}

interface Case { rows: number; nIn: number; nOut: number; pattern: Pattern; place: Place; seed: number }

/**
 * The case's x (zeros by pattern, ±0 alike), dz (zeros and specials anywhere), and dw, db of garbage. Specials come
 * at odds of about one in three columns (at most 1 in 20): a NaN or ±Infinity makes its whole sum NaN or infinite, and
 * sums that are all NaN would hide every other difference.
 */
function inputs(k: Kernels, c: Case) {
  const rng = new Rng(c.seed);
  const special = Math.min(0.05, 0.3 / c.rows);
  const inPlain = c.place === 'plain', outPlain = c.place !== 'memory';
  const x = array(k, c.rows * c.nIn, inPlain), dz = array(k, c.rows * c.nOut, inPlain);
  for (let r = 0; r < c.rows; r++) {
    const zeroRow = c.pattern === 'zero rows' && rng.next() < 0.3;
    for (let i = 0; i < c.nIn; i++) {
      const zero = zeroRow || (c.pattern === 'scattered' && rng.next() < 0.4);
      x[r * c.nIn + i] = zero ? (rng.next() < 0.5 ? 0 : -0) : value(rng, special, false);
    }
  }
  for (let i = 0; i < dz.length; i++) dz[i] = value(rng, special, true);
  const garbage = (n: number) => {
    const a = array(k, n, outPlain);
    for (let i = 0; i < n; i++) a[i] = value(rng, 0.3, true);
    return a;
  };
  return { x, dz, dw: garbage(c.nIn * c.nOut), db: garbage(c.nOut), garbage };
}

/** Index of the first element that differs (Object.is: NaN = NaN, +0 ≠ −0), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSame(what: string, [dw, db]: Float64Array[], [refDw, refDb]: Float64Array[]): void {
  for (const [name, a, b] of [['dw', dw, refDw], ['db', db, refDb]] as const) {
    const at = firstDifference(a, b);
    if (at >= 0) expect.fail(`${what}: ${name}[${at}] is ${a[at]}, expected ${b[at]}`);
  }
}

/** dw and db after paramGrads over the rows in chunks [ends[t − 1], ends[t]) (the first from garbage, the rest with
 *  accumulate); between chunks a decoy call on other arrays uses the kernels' staging slots, as a training step's
 *  other layers would. */
function chunked(k: Kernels, c: Case, ends: number[]): Float64Array[] {
  const { x, dz, dw, db, garbage } = inputs(k, c);
  const decoy = [garbage(c.rows * c.nIn), garbage(c.rows * c.nOut), garbage(c.nIn * c.nOut), garbage(c.nOut)];
  let a = 0;
  ends.forEach((b, t) => {
    k.paramGrads(x.subarray(a * c.nIn), dz.subarray(a * c.nOut), dw, db, b - a, c.nIn, c.nOut, t > 0);
    k.paramGrads(decoy[0], decoy[1], decoy[2], decoy[3], c.rows, c.nIn, c.nOut);
    a = b;
  });
  return [dw, db];
}

/** The splits each case is run with: at 0, 1, the middle and rows, and many chunks. */
function splits(rows: number): number[][] {
  const two = [...new Set([0, 1, rows >> 1, rows])].map((a) => [a, rows]);
  const step = Math.max(3, Math.ceil(rows / 5));
  const many = Array.from({ length: Math.ceil(rows / step) }, (_, t) => Math.min(rows, (t + 1) * step));
  return [...two, many];
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 6, 5], [2, 3, 2], [5, 4, 4], [7, 5, 3], [9, 13, 7], [13, 8, 17], [32, 9, 10], [37, 6, 33], [64, 17, 6],
  [200, 12, 11], // 26,400 multiply-adds: whole, above the small-product threshold; a chunk of a row, below it
];
const PATTERNS: Pattern[] = ['dense', 'scattered', 'zero rows'];
const PLACES: Place[] = ['memory', 'plain', 'outputs plain'];

function cases(shapes: [number, number, number][]): Case[] {
  let seed = 0;
  return shapes.flatMap(([rows, nIn, nOut]) => PATTERNS.map((pattern) => ({ rows, nIn, nOut, pattern, place: PLACES[seed % 3], seed: seed++ })));
}

/** Whether the kernels started their helper thread and split products over 2 threads. */
function threadsRan(k: WasmKernels): boolean {
  const pool = k.threadPool();
  return k.threadsInUse() === 2 && pool !== null && pool.posted > 0;
}

/** Checks the invariant for one kernel set: every split of every case against one call, and against scalar. */
function checkInvariant(k: Kernels, all: Case[]): void {
  let values = 0, finite = 0;
  for (const c of all) {
    const whole = chunked(scalarKernels, c, [c.rows]);
    for (const a of whole) for (const v of a) [values, finite] = [values + 1, finite + +Number.isFinite(v)];
    expectSame(`${k.name} one call ${JSON.stringify(c)} against scalar`, chunked(k, c, [c.rows]), whole);
    for (const ends of splits(c.rows)) expectSame(`${k.name} chunks ending ${ends.join(',')} of ${JSON.stringify(c)}`, chunked(k, c, ends), whole);
  }
  expect(finite / values, 'the share of finite sums (NaN and ±Infinity hide other differences)').toBeGreaterThan(0.7);
}

describe('paramGrads in chunks of rows with accumulate equals one call over all rows, bit for bit', () => {
  for (const [name, k] of SETS) {
    it(`${name}: every split of ${SHAPES.length} shapes × dense, scattered and zero-row inputs`, () => {
      checkInvariant(k, cases(SHAPES));
      if (name.includes('every product split')) expect(threadsRan(k as WasmKernels)).toBe(true);
    });
  }

  it.skipIf(!hasWasm)('wasm, sums longer than a list holds (the masked skip path), whole or in chunks either side of it', () => {
    // 8,200 rows: the whole sum and a half are masked; a chunk of a row or of 1,640 is listed.
    const long = cases([[2 * LIST_SCRATCH + 8, 3, 5], [LIST_SCRATCH + 1, 5, 2]]);
    for (const [, k] of wasmSets) checkInvariant(k, long);
    for (const [name, k] of wasmSets) if (name.includes('2 threads')) expect(threadsRan(k), name).toBe(true); // 123,000 multiply-adds: split
  });

});

describe.skipIf(!hasWasm)('wasm paramGrads with accumulate equals scalar from any start values', () => {
  it('on every shape, pattern and placement, continuing from values with ±0, NaN, ±Infinity, subnormals', () => {
    const all = cases([...SHAPES, [LIST_SCRATCH + 3, 4, 3]]);
    for (const [name, k] of wasmSets) {
      for (const c of all) {
        const [ref, fast] = [scalarKernels, k].map((kk) => {
          const { x, dz, dw, db, garbage } = inputs(kk, c); // dw, db: start values, specials among them
          const decoy = [garbage(c.rows * c.nIn), garbage(c.rows * c.nOut), garbage(c.nIn * c.nOut), garbage(c.nOut)];
          kk.paramGrads(decoy[0], decoy[1], decoy[2], decoy[3], c.rows, c.nIn, c.nOut); // leaves other values in the slots
          kk.paramGrads(x, dz, dw, db, c.rows, c.nIn, c.nOut, true);
          return [dw, db];
        });
        expectSame(`${name} ${JSON.stringify(c)}`, fast, ref);
      }
    }
  });
});

describe('paramGrads without accumulate', () => {
  it('starts every sum at +0 whatever dw and db hold (one call from garbage equals one from zeros)', () => {
    for (const [name, k] of SETS) {
      for (const c of cases(SHAPES.slice(0, 6))) {
        const fromGarbage = chunked(k, c, [c.rows]);
        const { x, dz } = inputs(k, c);
        const dw = k.alloc(c.nIn * c.nOut), db = k.alloc(c.nOut);
        k.paramGrads(x, dz, dw, db, c.rows, c.nIn, c.nOut);
        expectSame(`${name} ${JSON.stringify(c)}`, fromGarbage, [dw, db]);
      }
    }
  });
});
