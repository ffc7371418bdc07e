// The wasm kernels' element-wise part (assembly/updates.ts, assembly/tanh.ts, assembly/rectify.ts,
// assembly/softmax.ts, assembly/gather.ts): the divergence check, tanh, relu and leaky_relu (and their derivatives),
// softmax, the optimizers' updates and a batch's rows gathered (copies only), bit-identical to scalar.ts. Arrays
// outside the module's memory, and short ones, run the scalar loop; long ones are split over the helper threads by value ranges (each value is
// computed alone).

import type { WasmHeap } from './heap.js';
import { scalarKernels as scalar } from './scalar.js';
import { Op, type ThreadPool } from './threads.js';
import type { Kernels } from './types.js';

export type Ptr = number;

/** The element-wise exports of assembly/kernels.ts. */
export interface ElementwiseExports {
  allFinite(a: Ptr, n: number): number;
  tanh(z: Ptr, out: Ptr, n: number): void;
  tanhBackward(a: Ptr, da: Ptr, dz: Ptr, n: number): void;
  rectify(z: Ptr, a: Ptr, n: number, leaky: boolean, slope: number): void;
  rectifyBackward(z: Ptr, da: Ptr, dz: Ptr, n: number, leaky: boolean, slope: number): void;
  softmax(z: Ptr, p: Ptr, rows: number, cols: number): void;
  gather(src: Ptr, cols: number, idx: Ptr, count: number, out: Ptr): void;
  sgd(w: Ptr, dw: Ptr, buf: Ptr, n: number, lr: number, lambda: number, mu: number, nesterov: boolean): void;
  adam(w: Ptr, dw: Ptr, m: Ptr, v: Ptr, n: number, shrink: number, lambda: number, b1: number, b2: number, stepSize: number, bc2Sqrt: number, eps: number): void;
  rmsprop(w: Ptr, dw: Ptr, sq: Ptr, avg: Ptr, buf: Ptr, n: number, lr: number, lambda: number, alpha: number, eps: number, mu: number, centered: boolean): void;
  adagrad(w: Ptr, dw: Ptr, sum: Ptr, n: number, lr: number, lambda: number, eps: number): void;
}

/** What the element-wise kernels need of the wasm kernels (wasm.ts). */
export interface Context {
  ex: ElementwiseExports;
  heap: WasmHeap;
  /** Below this many values the scalar loop runs. */
  update: number;
  /** The helper threads when `work` (in multiply-adds of a product) is large enough to split into `parts`, else null. */
  helpers(work: number, parts: number): ThreadPool | null;
  /** 7 values in the memory: adam's settings, for the helpers (they pass integers only). */
  settings: Float64Array;
}

/** The work of one value, in multiply-adds of a product (as WasmOptions.threaded counts), for the split decision.
 *  NOTE: set by trial, not by the values' cost alone: a tanh takes about 55 multiply-adds' time and an adam update
 *  about 25, but weights that large (48 and 24) split more often and made digits-deep and regression slower on
 *  2 threads than these (16 and 8). */
const COST = { tanh: 16, adam: 8 };

type Elementwise = Pick<Kernels, 'allFinite' | 'tanh' | 'tanhBackward' | 'rectify' | 'rectifyBackward' | 'softmax' | 'gather' | 'sgdStep' | 'adamStep' | 'rmspropStep' | 'adagradStep'>;

export function elementwiseKernels({ ex, heap, update, helpers, settings }: Context): Elementwise {
  // gather's row numbers, copied into the memory for the call: a kept block and one view of it, both made again only
  // when a larger batch comes (a view made per call would allocate per training step).
  let rowsBlock: Float64Array | null = null;
  let rows: Int32Array = new Int32Array(0);
  const rowIndices = (count: number): Int32Array => {
    if (rows.length < count) {
      rowsBlock = heap.alloc(Math.ceil(count / 2), true);
      rows = new Int32Array(rowsBlock.buffer, rowsBlock.byteOffset, 2 * rowsBlock.length);
    }
    return rows;
  };
  return {
    // NOTE: short arrays go to the scalar loop before any lookup (offsetOf is a WeakSet lookup: xor's steps are
    // made of such calls). An array of pointers per call would allocate: the checks are spelled out per argument.
    allFinite(a, n) {
      if (n < update) return scalar.allFinite(a, n);
      const pa = heap.offsetOf(a);
      return pa < 0 ? scalar.allFinite(a, n) : ex.allFinite(pa, n) !== 0;
    },
    tanh(z, a, n) {
      if (n < update) return scalar.tanh(z, a, n);
      const pz = heap.offsetOf(z), pa = heap.offsetOf(a);
      if (pz < 0 || pa < 0) return scalar.tanh(z, a, n);
      const p = helpers(n * COST.tanh, n);
      if (!p) return ex.tanh(pz, pa, n);
      // Values split over the threads, in the kernel's blocks of 8 (each value is computed alone: any split gives
      // the same bits).
      p.split(Op.Tanh, pz, pa, 0, 0, 0, 0, n, 8);
    },
    tanhBackward(a, da, dz, n) {
      if (n < update) return scalar.tanhBackward(a, da, dz, n);
      const pa = heap.offsetOf(a), pd = heap.offsetOf(da), pz = heap.offsetOf(dz);
      if (pa < 0 || pd < 0 || pz < 0) return scalar.tanhBackward(a, da, dz, n);
      ex.tanhBackward(pa, pd, pz, n);
    },
    rectify(z, a, n, leaky) {
      if (n < update) return scalar.rectify(z, a, n, leaky);
      const pz = heap.offsetOf(z), pa = heap.offsetOf(a);
      if (pz < 0 || pa < 0) return scalar.rectify(z, a, n, leaky);
      ex.rectify(pz, pa, n, leaky !== null, leaky === null ? 0 : leaky.slope);
    },
    rectifyBackward(z, da, dz, n, leaky) {
      if (n < update) return scalar.rectifyBackward(z, da, dz, n, leaky);
      const pz = heap.offsetOf(z), pd = heap.offsetOf(da), pdz = heap.offsetOf(dz);
      if (pz < 0 || pd < 0 || pdz < 0) return scalar.rectifyBackward(z, da, dz, n, leaky);
      ex.rectifyBackward(pz, pd, pdz, n, leaky !== null, leaky === null ? 0 : leaky.slope);
    },
    softmax(z, p, rows, cols) {
      if (rows * cols < update) return scalar.softmax(z, p, rows, cols);
      const pz = heap.offsetOf(z), pp = heap.offsetOf(p);
      if (pz < 0 || pp < 0) return scalar.softmax(z, p, rows, cols);
      ex.softmax(pz, pp, rows, cols);
    },
    gather(src, cols, order, start, count, out) {
      if (count * cols < update) return scalar.gather(src, cols, order, start, count, out);
      const ps = heap.offsetOf(src), po = heap.offsetOf(out);
      if (ps < 0 || po < 0) return scalar.gather(src, cols, order, start, count, out);
      const idx = rowIndices(count);
      for (let k = 0; k < count; k++) idx[k] = order[start + k];
      ex.gather(ps, cols, idx.byteOffset, count, po);
    },
    sgdStep(w, g, buf, n, s) {
      if (n < update) return scalar.sgdStep(w, g, buf, n, s);
      const pw = heap.offsetOf(w), pg = heap.offsetOf(g), pb = heap.offsetOf(buf);
      if (pw < 0 || pg < 0 || pb < 0) return scalar.sgdStep(w, g, buf, n, s);
      ex.sgd(pw, pg, pb, n, s.lr, s.lambda, s.momentum, s.nesterov);
    },
    adamStep(w, g, m, v, n, s) {
      if (n < update) return scalar.adamStep(w, g, m, v, n, s);
      const pw = heap.offsetOf(w), pg = heap.offsetOf(g), pm = heap.offsetOf(m), pv = heap.offsetOf(v);
      if (pw < 0 || pg < 0 || pm < 0 || pv < 0) return scalar.adamStep(w, g, m, v, n, s);
      const p = helpers(n * COST.adam, n);
      if (!p) return ex.adam(pw, pg, pm, pv, n, s.shrink, s.lambda, s.beta1, s.beta2, s.stepSize, s.bc2Sqrt, s.eps);
      // Values split over the threads; helpers read the settings from memory (they pass integers only).
      const v7 = settings;
      v7[0] = s.shrink; v7[1] = s.lambda; v7[2] = s.beta1; v7[3] = s.beta2; v7[4] = s.stepSize; v7[5] = s.bc2Sqrt; v7[6] = s.eps;
      p.split(Op.Adam, pw, pg, pm, pv, v7.byteOffset, 0, n, 2);
    },
    rmspropStep(w, g, sq, avg, buf, n, s) {
      if (n < update) return scalar.rmspropStep(w, g, sq, avg, buf, n, s);
      const pw = heap.offsetOf(w), pg = heap.offsetOf(g), ps = heap.offsetOf(sq), pa = heap.offsetOf(avg), pb = heap.offsetOf(buf);
      if (pw < 0 || pg < 0 || ps < 0 || pa < 0 || pb < 0) return scalar.rmspropStep(w, g, sq, avg, buf, n, s);
      ex.rmsprop(pw, pg, ps, pa, pb, n, s.lr, s.lambda, s.alpha, s.eps, s.momentum, s.centered);
    },
    adagradStep(w, g, sum, n, s) {
      if (n < update) return scalar.adagradStep(w, g, sum, n, s);
      const pw = heap.offsetOf(w), pg = heap.offsetOf(g), ps = heap.offsetOf(sum);
      if (pw < 0 || pg < 0 || ps < 0) return scalar.adagradStep(w, g, sum, n, s);
      ex.adagrad(pw, pg, ps, n, s.lr, s.lambda, s.eps);
    },
  };
}
