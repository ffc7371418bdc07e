// The wasm tanh kernel against Math.tanh (the scalar kernel), bit for bit: values near every boundary of fdlibm's
// branches (2^-28, the expm1 reduction thresholds, 1, 22), uniform ranges, random bit patterns (subnormals,
// huge, ±Infinity, NaN), in arrays of every length up to 13 and one long mixed one, so the eight-wide blocks, the
// pairs and the single tail all run, in and out of the main range; and a long array all below 1 in magnitude, for
// the eight-wide blocks that take the small-range path.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const wasm = wasmKernels() && createWasmKernels({ update: 0 });
/** Where fdlibm's tanh and expm1 change branch, as |x| (expm1 runs on 2|x|). */
const EDGES = [2 ** -28, 0.5 * 0.5 * Math.LN2, 0.5 * 1.5 * Math.LN2, 1, 0.5 * 20 * Math.LN2, 0.5 * 56 * Math.LN2, 22];

function values(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  const bits = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < n; i++) {
    const kind = rng.int(5);
    let x: number;
    if (kind === 0) x = (rng.next() - 0.5) * 50;
    else if (kind === 1) x = (rng.next() - 0.5) * 4;
    else if (kind === 2) x = EDGES[rng.int(EDGES.length)] * (1 + (rng.next() - 0.5) * 2 ** -rng.int(53));
    else if (kind === 3) x = rng.normal() * 2 ** (rng.int(80) - 70);
    else {
      bits.setUint32(0, rng.nextUint32());
      bits.setUint32(4, rng.nextUint32());
      x = bits.getFloat64(0);
    }
    v[i] = rng.next() < 0.5 ? -x : x;
  }
  return v;
}

describe.skipIf(!wasm)('the wasm tanh kernel is bit-identical to Math.tanh', () => {
  it('on 400,000 values near every branch boundary, random bit patterns and specials', () => {
    const rng = new Rng(21);
    const n = 400_000;
    const z = wasm!.alloc(n);
    z.set(values(rng, n));
    z.set([0, -0, Infinity, -Infinity, NaN, 22, -22, 1, -1, 2 ** -28, 5e-324, 1e-310, 1e308, 0.3, 0.7, 1.2, 3, 9]);
    const a = wasm!.alloc(n);
    wasm!.tanh(z, a, n);
    const ref = new Float64Array(n);
    scalarKernels.tanh(z, ref, n);
    for (let i = 0; i < n; i++) if (!Object.is(a[i], ref[i]) && !(Number.isNaN(a[i]) && Number.isNaN(ref[i]))) expect.fail(`tanh(${z[i]}): Math.tanh ${ref[i]}, wasm ${a[i]}`);
  });

  it('on 200,000 values in 2^-28 ≤ |x| < 1, so whole blocks of eight take the small-range path', () => {
    // Where expm1(−2|x|) changes form (k = 0, −1, then −2 and −3) and the ends of the range, as |x|.
    const edges = [2 ** -28, 0.5 * 0.5 * Math.LN2, 0.5 * 1.5 * Math.LN2, 0.5 * 2.5 * Math.LN2, 1];
    const rng = new Rng(24);
    const n = 200_000;
    const z = wasm!.alloc(n);
    for (let i = 0; i < n; ) {
      const near = edges[rng.int(edges.length)] * (1 + (rng.next() - 0.5) * 2 ** -rng.int(53));
      const x = rng.next() < 0.5 ? rng.next() : near;
      if (x >= 2 ** -28 && x < 1) z[i++] = rng.next() < 0.5 ? -x : x;
    }
    const a = wasm!.alloc(n);
    wasm!.tanh(z, a, n);
    for (let i = 0; i < n; i++) if (!Object.is(a[i], Math.tanh(z[i]))) expect.fail(`tanh(${z[i]}): Math.tanh ${Math.tanh(z[i])}, wasm ${a[i]}`);
  });

  it('on short arrays of every length, in place too', () => {
    const rng = new Rng(22);
    for (let n = 1; n <= 13; n++) {
      const z = wasm!.alloc(n);
      z.set(values(rng, n));
      const expected = Array.from(z, Math.tanh);
      wasm!.tanh(z, z, n);
      expect(Array.from(z)).toEqual(expected);
    }
  });

  it("tanh's derivative dz = da·(1 − a²) on the same kinds of values, every short length and a long one", () => {
    const rng = new Rng(23);
    for (const n of [1, 2, 3, 4, 5, 7, 9, 10_001]) {
      const a = wasm!.alloc(n), da = wasm!.alloc(n), dz = wasm!.alloc(n);
      a.set(values(rng, n).map(Math.tanh)); // outputs of tanh, ±0 and NaN among them
      da.set(values(rng, n));
      const ref = new Float64Array(n);
      scalarKernels.tanhBackward(a, da, ref, n);
      wasm!.tanhBackward(a, da, dz, n);
      for (let i = 0; i < n; i++) if (!Object.is(dz[i], ref[i]) && !(Number.isNaN(dz[i]) && Number.isNaN(ref[i]))) expect.fail(`n ${n}, a ${a[i]}, da ${da[i]}: scalar ${ref[i]}, wasm ${dz[i]}`);
    }
  });
});
