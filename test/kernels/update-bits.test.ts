// Bit-identity of the wasm optimizer updates against the scalar reference: every update kernel, with its
// settings drawn at random (both lerp forms, momentum on and off, nesterov, centered, decoupled decay), on
// lengths 1, odd and even, and values including ±0, ±Infinity, NaN and subnormals. NaN is compared by NaN-ness.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

// Thresholds 0: every length runs in wasm (by default short arrays run the scalar loop).
const wasm = wasmKernels() && createWasmKernels({ product: 0, update: 0 });
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 16, 33];
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -2.2250738585072014e-308, 1e308];

function value(rng: Rng, special: number, positive: boolean): number {
  const x = rng.next() < special ? SPECIALS[rng.int(SPECIALS.length)] : rng.normal() * 10 ** (rng.int(7) - 3);
  return positive ? Math.abs(x) : x;
}

/** One update, drawn from `rng`: its in-place arrays (which must be ≥ 0 for running sums) and its call. */
interface Update { name: string; arrays: boolean[]; run(k: Kernels, a: Float64Array[], n: number): void }

function updates(rng: Rng): Update[] {
  const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
  const lr = 10 ** -rng.int(4), lambda = pick([0, 0, 1e-2]), momentum = pick([0, 0.9, 0.5]);
  return [
    { name: 'sgdStep', arrays: [false, false, false], run: (k, [w, g, b], n) => k.sgdStep(w, g, b, n, { lr, lambda, momentum, nesterov: rng.next() < 0.5 }) },
    {
      name: 'adamStep',
      arrays: [false, false, false, true],
      run: (k, [w, g, m, v], n) => k.adamStep(w, g, m, v, n, { shrink: pick([1, 1 - lr * 0.01]), lambda, beta1: pick([0.9, 0.3]), beta2: pick([0.999, 0.5]), stepSize: lr / 0.1, bc2Sqrt: Math.sqrt(0.001), eps: 1e-8 }),
    },
    {
      name: 'rmspropStep',
      arrays: [false, false, true, false, false],
      run: (k, [w, g, sq, avg, b], n) => k.rmspropStep(w, g, sq, avg, b, n, { lr, lambda, alpha: pick([0.99, 0.3]), eps: 1e-8, momentum, centered: rng.next() < 0.5 }),
    },
    { name: 'adagradStep', arrays: [false, false, true], run: (k, [w, g, s], n) => k.adagradStep(w, g, s, n, { lr, lambda, eps: 1e-10 }) },
  ];
}

describe.skipIf(!wasm)('wasm optimizer updates are bit-identical to the scalar reference', () => {
  const names = updates(new Rng(0)).map((u) => u.name);
  for (const [u, name] of names.entries()) {
    it(`${name} on 200 random lengths, settings and values`, () => {
      for (let t = 0; t < 200; t++) {
        const n = LENGTHS[t % LENGTHS.length];
        const special = [0, 0.05, 0.3][t % 3];
        const [ref, fast] = [scalarKernels, wasm!].map((k) => {
          const rng = new Rng(500 + t);
          const up = updates(rng)[u];
          const arrays = up.arrays.map((positive) => {
            const a = k.alloc(n);
            for (let i = 0; i < n; i++) a[i] = value(rng, special, positive);
            return a;
          });
          up.run(k, arrays, n);
          return arrays;
        });
        ref.forEach((r, a) => r.forEach((x, i) => {
          if (!Object.is(x, fast[a][i])) expect.fail(`${name} case ${t} (n ${n}) array ${a}[${i}]: scalar ${x}, wasm ${fast[a][i]}`);
        }));
      }
    });
  }
});
