// The wasm relu and leaky_relu kernels (forward and backward) against the scalar reference, bit for bit: lengths
// 1 to 17 and a long one (the vector pairs and the odd tail), in place too, values with ±0, ±Infinity, NaN and
// subnormals, slopes including 0, negative and NaN. NaN is compared by NaN-ness (bits.test.ts says why); +0 and −0
// are told apart (Object.is), so a kernel that passed −0 through where the reference writes +0 fails.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

// Threshold 0: every length runs in wasm (by default short arrays run the scalar loop).
const wasm = wasmKernels() && createWasmKernels({ update: 0 });
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, -2.2250738585072014e-308, 1e308, -1e308];
const SLOPES = [null, { slope: 0.01 }, { slope: 0 }, { slope: -0.5 }, { slope: 3 }, { slope: NaN }];

function fill(k: Kernels, rng: Rng, n: number): Float64Array {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() < 0.3 ? SPECIALS[rng.int(SPECIALS.length)] : rng.normal() * 10 ** (rng.int(7) - 3);
  return a;
}

const same = (x: number, y: number) => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));

describe.skipIf(!wasm)('the wasm relu and leaky_relu kernels are bit-identical to the scalar reference', () => {
  const lengths = [...Array.from({ length: 17 }, (_, i) => i + 1), 4097];
  for (const leaky of SLOPES) {
    const name = leaky === null ? 'relu' : `leaky_relu (slope ${leaky.slope})`;
    it(`${name}: forward and backward on every length, apart and in place`, () => {
      const rng = new Rng(31);
      for (const n of lengths) {
        for (const inPlace of [false, true]) {
          const seed = rng.nextUint32();
          const [ref, fast] = [scalarKernels, wasm!].map((k) => {
            const r = new Rng(seed);
            const z = fill(k, r, n), da = fill(k, r, n);
            const a = inPlace ? z : fill(k, r, n), dz = inPlace ? da : fill(k, r, n);
            const zCopy = Float64Array.from(z);
            k.rectifyBackward(zCopy, da, dz, n, leaky);
            k.rectify(z, a, n, leaky);
            return [a, dz];
          });
          for (let o = 0; o < 2; o++) {
            for (let i = 0; i < n; i++) {
              if (!same(ref[o][i], fast[o][i])) expect.fail(`${name} ${o ? 'backward' : 'forward'} n ${n} [${i}]: scalar ${ref[o][i]}, wasm ${fast[o][i]}`);
            }
          }
        }
      }
    });
  }

  it('relu writes +0, never −0, where z ≤ 0 or NaN (a test that could fail: the reference does)', () => {
    const n = 6;
    const z = wasm!.alloc(n), a = wasm!.alloc(n);
    z.set([-0, -1, NaN, 0, -Infinity, 2]);
    wasm!.rectify(z, a, n, null);
    expect(Array.from(a).map((v) => Object.is(v, -0))).toEqual([false, false, false, false, false, false]);
    expect(Array.from(a)).toEqual([0, 0, 0, 0, 0, 2]);
  });
});
