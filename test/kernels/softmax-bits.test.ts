// The wasm softmax kernel against the scalar reference, bit for bit, and the exp it is built on (assembly/softmax.ts
// expOne, a port of V8's fdlibm exp) against Math.exp: values near every boundary of its branches (2^-28, 0.5·ln2,
// 1.5·ln2, the overflow and underflow thresholds, the subnormal results below −708), exactly 1, whole numbers,
// random bit patterns (subnormals, huge, ±Infinity, NaN); then softmax on rows of every width up to 17 with extreme
// and non-finite logits, in place too. NaN is compared by NaN-ness (bits.test.ts says why).

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels, type Kernels } from '../../src/kernels/index.js';
import { SIMD_WASM_BASE64 } from '../../src/kernels/simd.generated.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

const wasm = wasmKernels() && createWasmKernels({ update: 0 });
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

interface ExpExports {
  expOne(x: number): number;
  expInto(x: number, out: number, n: number): void;
}

/** The WebAssembly constructors used here (the lib settings do not declare them). */
const WA = (globalThis as unknown as { WebAssembly: {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: unknown };
} }).WebAssembly;

/** The module's exp exports, from an instance of its own, and its memory. */
function expExports(): { ex: ExpExports; memory: { buffer: ArrayBufferLike } } {
  const memory = new WA.Memory({ initial: 300, maximum: 32768, shared: true });
  const module = new WA.Module(Buffer.from(SIMD_WASM_BASE64, 'base64'));
  return { ex: new WA.Instance(module, { env: { memory } }).exports as ExpExports, memory };
}

const LN2 = Math.LN2;
const EDGES = [2 ** -28, 0.5 * LN2, 1.5 * LN2, 709.782712893384, -745.1332191019411, -708.3964185322641, -1021 * LN2, -1022 * LN2, 1024 * LN2, 1, 0.5, 2, 10, 700];

describe.skipIf(!wasm)('the wasm softmax is bit-identical to the scalar reference', () => {
  it('its exp, one value at a time and two per vector, equals Math.exp on 1,000,000 values near every branch boundary, bit patterns and specials', () => {
    const { ex, memory } = expExports();
    const rng = new Rng(41);
    const bits = new DataView(new ArrayBuffer(8));
    const fixed = [0, -0, 1, -1, Infinity, -Infinity, NaN, 5e-324, -5e-324, 1e308, -1e308, 708, -708, ...EDGES, ...EDGES.map((e) => -e)];
    const n = 1_000_000 + fixed.length;
    const x = new Float64Array(memory.buffer, 1024, n), out = new Float64Array(memory.buffer, 1024 + 8 * n, n);
    for (let i = 0; i < n; i++) {
      let v: number;
      if (i < fixed.length) v = fixed[i];
      else {
        const kind = rng.int(6);
        if (kind === 0) v = (rng.next() - 0.5) * 1500;
        else if (kind === 1) v = (rng.next() - 0.5) * 4;
        else if (kind === 2) v = EDGES[rng.int(EDGES.length)] * (1 + (rng.next() - 0.5) * 2 ** -rng.int(53));
        else if (kind === 3) v = rng.int(2000) - 1100 + (rng.int(3) - 1) * 2 ** -rng.int(60);
        else if (kind === 4) v = -rng.next() * 40; // softmax's arguments: z − max ≤ 0
        else {
          bits.setUint32(0, rng.nextUint32());
          bits.setUint32(4, rng.nextUint32());
          v = bits.getFloat64(0);
        }
        if (kind !== 4 && rng.next() < 0.5) v = -v;
      }
      x[i] = v;
    }
    ex.expInto(x.byteOffset, out.byteOffset, n);
    let vector = 0; // pairs both in the vector path's range
    for (let i = 0; i < n; i++) {
      const b = Math.exp(x[i]);
      if (!same(ex.expOne(x[i]), b)) expect.fail(`expOne(${x[i]}): Math.exp ${b}, wasm ${ex.expOne(x[i])}`);
      if (!same(out[i], b)) expect.fail(`expInto at ${i}: exp(${x[i]}): Math.exp ${b}, wasm ${out[i]}`);
      const inRange = (v: number) => Math.abs(v) <= 708 && v !== 1;
      if (i % 2 === 0 && i + 1 < n && inRange(x[i]) && inRange(x[i + 1])) vector++;
    }
    expect(vector).toBeGreaterThan(200_000);
  });

  it('softmax on rows of every width, logits of every scale, extreme and non-finite ones, apart and in place', () => {
    const specials = [1000, -1000, 800, -800, Infinity, -Infinity, NaN, 0, -0, 5e-324];
    const rng = new Rng(42);
    for (let t = 0; t < 600; t++) {
      const rows = 1 + rng.int(9), cols = 1 + (t % 17), n = rows * cols;
      const seed = rng.nextUint32();
      const [ref, fast] = [scalarKernels, wasm!].map((k: Kernels) => {
        const r = new Rng(seed);
        const z = k.alloc(n);
        for (let i = 0; i < n; i++) z[i] = r.next() < 0.1 ? specials[r.int(specials.length)] : r.normal() * 10 ** (r.int(6) - 2);
        const p = t % 3 === 0 ? z : k.alloc(n);
        k.softmax(z, p, rows, cols);
        return p;
      });
      for (let i = 0; i < n; i++) if (!same(ref[i], fast[i])) expect.fail(`softmax case ${t} (${rows}×${cols}) [${i}]: scalar ${ref[i]}, wasm ${fast[i]}`);
    }
  });
});
