// allFinite, the per-step divergence check, against Array.every(Number.isFinite): one non-finite value at each
// position of short arrays (odd lengths: the wasm tail; up to 19: two of its eight-value turns and every remainder),
// values whose sum overflows (each still finite), ±0.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';

const wasm = wasmKernels() && createWasmKernels({ update: 0 });
const sets: [string, Kernels | null][] = [['scalar', scalarKernels], ['wasm', wasm]];

describe.each(sets)('%s allFinite', (_name, k) => {
  it.skipIf(!k)('finds a NaN or an infinity anywhere, and passes finite values however large', () => {
    for (let n = 0; n <= 19; n++) {
      const a = k!.alloc(n);
      a.set(Array.from({ length: n }, (_, i) => (i % 2 ? 1e308 : -0)));
      expect(k!.allFinite(a, n), `n ${n}, all finite`).toBe(true);
      for (let at = 0; at < n; at++) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const saved = a[at];
          a[at] = bad;
          expect(k!.allFinite(a, n), `n ${n}, ${bad} at ${at}`).toBe(Array.from(a).every(Number.isFinite));
          expect(k!.allFinite(a, at), `only the first ${at}`).toBe(true);
          a[at] = saved;
        }
      }
    }
  });
});
