// Kernels.gather (a batch's rows copied, for the training loop's batches) gives the scalar loop's bits with the wasm
// kernels: rows of every width to 17 and a wide one (the vector pairs and the odd tail), any row order with repeats,
// from any start, with ±0, ±Infinity, NaN and subnormals in the data; and sources or outputs outside the memory
// (the scalar loop) alike. NaN is compared by NaN-ness (bits.test.ts says why).

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const wasm = wasmKernels() && createWasmKernels({ update: 0 });
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -1e308];
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe.skipIf(!wasm)('the wasm gather kernel copies the rows the scalar loop copies', () => {
  it('on 400 random sources, row orders, starts and batch sizes, in and out of the memory', () => {
    const rng = new Rng(51);
    for (let t = 0; t < 400; t++) {
      const cols = t % 40 === 0 ? 129 : 1 + (t % 17), n = 1 + rng.int(60), count = 1 + rng.int(40), start = rng.int(20);
      const order = Int32Array.from({ length: start + count }, () => rng.int(n));
      const seed = rng.nextUint32();
      const [ref, fast] = [scalarKernels, wasm!].map((k: Kernels) => {
        const r = new Rng(seed);
        const src = t % 5 === 4 ? new Float64Array(n * cols) : k.alloc(n * cols);
        for (let i = 0; i < src.length; i++) src[i] = r.next() < 0.1 ? SPECIALS[r.int(SPECIALS.length)] : r.normal();
        const out = t % 7 === 6 ? new Float64Array(count * cols) : k.alloc(count * cols);
        out.fill(42);
        k.gather(src, cols, order, start, count, out);
        return out;
      });
      for (let i = 0; i < ref.length; i++) if (!same(ref[i], fast[i])) expect.fail(`case ${t} (${count} of ${n} rows × ${cols}) [${i}]: scalar ${ref[i]}, wasm ${fast[i]}`);
    }
  });

  it('writes only the batch: values past count rows are left as they were', () => {
    const src = wasm!.alloc(12), out = wasm!.alloc(9);
    src.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    out.fill(-1);
    wasm!.gather(src, 3, Int32Array.from([9, 3, 0, 2]), 1, 2, out);
    expect(Array.from(out)).toEqual([10, 11, 12, 1, 2, 3, -1, -1, -1]);
  });
});
