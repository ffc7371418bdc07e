// The fast kernels: WebAssembly SIMD (f64x2) products from assembly/kernels.ts, bit-identical to scalar.ts; the
// element-wise ones are in wasm-elementwise.ts. Arrays from Kernels.alloc live in the module's memory and are used in
// place; any other array is copied into a scratch block for the call (and outputs copied back), so every
// Float64Array works, only slower.

import { FIRST, MAX_HEAP_PAGES, WasmHeap, type WasmMemory } from './heap.js';
import { scalarKernels as scalar } from './scalar.js';
import { LIST_SCRATCH, Op, OP_NAMES, ThreadPool, type OpRunner } from './threads.js';
import { SIMD_WASM_BASE64 } from './simd.generated.js';
import { elementwiseKernels, type ElementwiseExports, type Ptr } from './wasm-elementwise.js';
import type { Kernels } from './types.js';

interface Exports extends ElementwiseExports {
  affine(x: Ptr, w: Ptr, b: Ptr, out: Ptr, rows: number, nIn: number, nOut: number): void;
  weightGrad(x: Ptr, dz: Ptr, dw: Ptr, rows: number, nIn: number, nOut: number, i0: number, i1: number): void;
  weightGradOnto(x: Ptr, dz: Ptr, dw: Ptr, rows: number, nIn: number, nOut: number, i0: number, i1: number): void;
  biasGrad(dz: Ptr, db: Ptr, rows: number, nOut: number, acc: boolean): void;
  inputGrad(dz: Ptr, wT: Ptr, dx: Ptr, rows: number, nIn: number, nOut: number): void;
  transpose(w: Ptr, wT: Ptr, nIn: number, nOut: number): void;
  setScratch(p: Ptr, cap: number): void;
  dataEnd(): number;
  affineRows: RangeOp;
  inputGradRows: RangeOp;
  tanhRange: RangeOp;
  adamRange: RangeOp;
}

/** A range export for the threads (threads.ts): six arguments, then the rows or values lo ≤ · < hi. */
type RangeOp = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, lo: number, hi: number) => void;

/** The WebAssembly constructors used here (the lib settings do not declare them). */
const WA = (globalThis as unknown as { WebAssembly: {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: unknown };
} }).WebAssembly;

/**
 * Below `product` multiply-adds a call runs the scalar loops: a wasm call and its argument checks cost more
 * than a tiny product (xor's 4×2×2). Both give the same bits: only speed changes.
 * `threaded` (2^16 multiply-adds): 2^17 came from `npm run bench:threads` when each helper had one fixed part
 * (from there two threads took 0.5–0.9× the time of one per product). Since parts are claimed by whoever comes
 * first (threads.ts), smaller work repays: whole trainings on 2 threads, 2^16 against 2^17, medians of 18 runs
 * alternating: digits-deep 0.338 → 0.288 s (its 32×128 tanh layer now splits), mnist-shape and regression within
 * noise; 2^15 was no better on digits-deep and split regression's 128×8×64 product for no gain.
 */
const WASM_DEFAULTS: Readonly<WasmOptions> = { product: 2048, update: 16, threads: 1, threaded: 1 << 16 };

export interface WasmOptions {
  /** Below this many multiply-adds a product runs the scalar loops (tests pass 0: all in wasm). */
  product: number;
  /** Below this many values an element-wise kernel (an optimizer update, tanh) runs the scalar loop, as it does
   *  for arrays outside the memory. */
  update: number;
  /** Threads a large product is split over (1: no helper threads). */
  threads: number;
  /** From this many multiply-adds a product is split over the threads. */
  threaded: number;
}

/** Scratch slots: one per argument position, so a call's staged arguments never overlap. */
const enum Slot { A, B, C, D, T }
/** At most this many input values of a product are staged at once (affine's blocks of rows). */
const STAGED = 1 << 16;

export interface WasmKernels extends Kernels {
  /** Threads the large products run on so far: 1 until helper threads have started. */
  threadsInUse(): number;
  /** How many times helper threads were started (again after each rest). */
  threadStarts(): number;
  /**
   * Stops the helper threads (their isolates hold ≈9 MiB) until wake(): products run on the calling thread only.
   * The runner rests them once a run has trained, before it writes its files.
   */
  rest(): Promise<void>;
  /** Lets the next product large enough to split start helper threads again. */
  wake(): void;
  /** The helper threads, once started (for tests and the benchmark). */
  threadPool(): ThreadPool | null;
  /** The heap its arrays live in (for tests and the benchmark: bytes in use, the peak). */
  heap(): WasmHeap;
}

/** Loads the module (each call its own memory); throws where WebAssembly SIMD or shared memory is unavailable. */
export function createWasmKernels(options: Partial<WasmOptions> = {}): WasmKernels {
  const small = { ...WASM_DEFAULTS, ...options };
  const memory = new WA.Memory({ initial: 16, maximum: MAX_HEAP_PAGES, shared: true });
  const module = new WA.Module(Buffer.from(SIMD_WASM_BASE64, 'base64'));
  const ex = new WA.Instance(module, { env: { memory } }).exports as unknown as Exports;
  if (ex.dataEnd() > FIRST) throw new Error(`the wasm kernels' static data ends at ${ex.dataEnd()}, above the heap's start ${FIRST}`);
  const heap = new WasmHeap(memory);
  // NOTE: pinned: wasm keeps only the offset, and an array collected gives its block back (a flaky full suite found it:
  // a later run's arrays placed there were overwritten by the products' lists).
  ex.setScratch(heap.pin(heap.alloc(LIST_SCRATCH, true)).byteOffset, LIST_SCRATCH);
  const ops = OP_NAMES.map((name) => ex[name] as RangeOp);
  const runOp: OpRunner = (op, a0, a1, a2, a3, a4, a5, lo, hi) => ops[op](a0, a1, a2, a3, a4, a5, lo, hi);
  // Helper threads start on the first product large enough to split; if they cannot, one thread does all.
  let pool: ThreadPool | null | undefined = small.threads > 1 ? undefined : null;
  let resting = false;
  let starts = 0;
  /** The helpers' scratch blocks for the products' lists, made with the first pool and kept for the next ones. */
  const helperScratch: Float64Array[] = [];
  /** Kernels.overlap's `during`, until a split takes it. */
  let beside: (() => void) | null = null;
  const takeBeside = (): (() => void) | null => {
    const during = beside;
    beside = null;
    return during;
  };
  const helpers = (work: number, parts: number): ThreadPool | null => {
    if (resting || work < small.threaded || parts < small.threads) return null;
    if (pool === undefined) {
      try {
        while (helperScratch.length < small.threads - 1) helperScratch.push(heap.alloc(LIST_SCRATCH, true));
        pool = new ThreadPool(heap, module, helperScratch, runOp, takeBeside);
        starts++;
      } catch {
        pool = null;
      }
    }
    return pool;
  };
  const scratch: Float64Array[] = [];

  const slot = (s: Slot, n: number): Float64Array => {
    if (!scratch[s] || scratch[s].length < n) scratch[s] = heap.alloc(Math.max(n, 2 * (scratch[s]?.length ?? 0)), true);
    return scratch[s];
  };
  /** The offset of arr's first n values in the memory, copying them into slot s if arr lives elsewhere. */
  const input = (arr: Float64Array, n: number, s: Slot): Ptr => {
    const at = heap.offsetOf(arr);
    if (at >= 0) return at;
    const copy = slot(s, n);
    for (let i = 0; i < n; i++) copy[i] = arr[i];
    return copy.byteOffset;
  };
  /** Where a kernel writes n values meant for arr: arr itself, or slot s (then `done` copies them over). */
  const output = (arr: Float64Array, n: number, s: Slot): Ptr => {
    const at = heap.offsetOf(arr);
    return at >= 0 ? at : slot(s, n).byteOffset;
  };
  const done = (arr: Float64Array, n: number, s: Slot): void => {
    if (heap.offsetOf(arr) >= 0) return;
    const from = scratch[s];
    for (let i = 0; i < n; i++) arr[i] = from[i];
  };

  /** out = x·w + b in wasm, staging what lives outside the memory.  x: (rows, nIn)  w: (nIn, nOut)  out: (rows, nOut) */
  const affineIn = (x: Float64Array, w: Float64Array, b: Float64Array, out: Float64Array, rows: number, nIn: number, nOut: number): void => {
    const o = output(out, rows * nOut, Slot.D);
    const px = input(x, rows * nIn, Slot.A), pw = input(w, nIn * nOut, Slot.B), pb = input(b, nOut, Slot.C);
    const p = helpers(rows * nIn * nOut, rows);
    // Rows of out split over the threads, in blocks of the kernel's 4 rows.
    if (p) p.split(Op.Affine, px, pw, pb, o, nIn, nOut, rows, 4);
    else ex.affine(px, pw, pb, o, rows, nIn, nOut);
    done(out, rows * nOut, Slot.D);
  };

  return Object.freeze({
    name: 'wasm',
    threadsInUse: () => pool?.threads ?? 1,
    threadStarts: () => starts,
    threadPool: () => pool ?? null,
    heap: () => heap,
    async rest() {
      resting = true;
      const stopping = pool;
      if (!stopping) return;
      pool = undefined; // started again, if woken, by the next large product
      await stopping.close();
    },
    wake() {
      resting = false;
    },
    overlap(during, work) {
      beside = during;
      try {
        work();
      } catch (e) {
        beside = null; // never run by a later split
        throw e;
      }
      if (takeBeside() !== null) during(); // no split took it (nothing large enough, or one thread)
    },
    alloc: (length: number) => heap.alloc(length),
    span: (arrays: readonly Float64Array[]) => heap.span(arrays),
    affine(x, w, b, out, rows, nIn, nOut) {
      if (rows * nIn * nOut < small.product) return scalar.affine(x, w, b, out, rows, nIn, nOut);
      if (rows * nIn <= STAGED || heap.offsetOf(x) >= 0) return affineIn(x, w, b, out, rows, nIn, nOut); // training's batches: no lookup here
      // NOTE: rows from outside the memory (evaluating a data set) are copied in a block at a time, not all at once:
      // each output row reads only its own input row, so the bits are the same. A whole 512-row evaluation chunk
      // of mnist-shape's 784 inputs took 3 MiB of the memory for good.
      const block = Math.max(4, Math.floor(STAGED / nIn / 4) * 4);
      for (let r = 0; r < rows; r += block) {
        const n = Math.min(block, rows - r);
        affineIn(x.subarray(r * nIn, (r + n) * nIn), w, b, out.subarray(r * nOut, (r + n) * nOut), n, nIn, nOut);
      }
    },
    paramGrads(x, dz, dw, db, rows, nIn, nOut, accumulate = false) {
      if (rows * nIn * nOut < small.product) return scalar.paramGrads(x, dz, dw, db, rows, nIn, nOut, accumulate);
      const pdz = input(dz, rows * nOut, Slot.B);
      // With accumulate the sums continue from dw's and db's values: staged outputs take those values in first.
      const pdb = accumulate ? input(db, nOut, Slot.C) : output(db, nOut, Slot.C);
      ex.biasGrad(pdz, pdb, rows, nOut, accumulate);
      done(db, nOut, Slot.C);
      const pdw = accumulate ? input(dw, nIn * nOut, Slot.D) : output(dw, nIn * nOut, Slot.D);
      const px = input(x, rows * nIn, Slot.A);
      const p = helpers(rows * nIn * nOut, nIn);
      // Rows of dw (inputs i) split over the threads.
      if (p) p.split(accumulate ? Op.WeightGradOnto : Op.WeightGrad, px, pdz, pdw, rows, nIn, nOut, nIn, 4);
      else if (accumulate) ex.weightGradOnto(px, pdz, pdw, rows, nIn, nOut, 0, nIn);
      else ex.weightGrad(px, pdz, pdw, rows, nIn, nOut, 0, nIn);
      done(dw, nIn * nOut, Slot.D);
    },
    inputGrad(dz, w, dx, rows, nIn, nOut) {
      if (rows * nIn * nOut < small.product) return scalar.inputGrad(dz, w, dx, rows, nIn, nOut);
      // NOTE: dx(r, i) sums over the units j, contiguous in a row of w: vectors across j would reorder the sum.
      // Transposing w (nIn·nOut copies, small beside the rows·nIn·nOut product) puts independent i side by side.
      const wT = slot(Slot.T, nIn * nOut).byteOffset;
      ex.transpose(input(w, nIn * nOut, Slot.B), wT, nIn, nOut);
      const o = output(dx, rows * nIn, Slot.D);
      const pdz = input(dz, rows * nOut, Slot.A);
      const p = helpers(rows * nIn * nOut, rows);
      // Rows of dx split over the threads.
      if (p) p.split(Op.InputGrad, pdz, wT, o, nIn, nOut, 0, rows, 4);
      else ex.inputGrad(pdz, wT, o, rows, nIn, nOut);
      done(dx, rows * nIn, Slot.D);
    },
    ...elementwiseKernels({ ex, heap, update: small.update, helpers, settings: heap.alloc(7, true) }),
  } satisfies WasmKernels);
}
