// The kernels' own scratch that wasm uses by offset alone (the products' list block, assembly/sparse.ts) is held by
// its heap (WasmHeap.pin): a block goes back to the free list when its array is collected, and this one's array was
// once held by nothing, so after a collection a later run's arrays were placed there and overwritten by the lists
// (a shipped experiment rerun from its config.json differed, in a full test run only). Here: collections forced,
// then arrays made and filled, then sparse products: the arrays unchanged, the products the scalar reference's.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { LIST_SCRATCH } from '../../src/kernels/threads.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe.runIf(wasmKernels() !== null)("the kernels' list scratch", () => {
  it('survives collections: arrays made afterwards never overlap it', async () => {
    const k = createWasmKernels({ product: 0 });
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((done) => setTimeout(done, 5)); // finalization callbacks run between tasks
    }
    const held = Array.from({ length: 8 }, () => k.alloc(LIST_SCRATCH).fill(7)); // where a freed list block would go
    const [rows, nIn, nOut] = [16, 64, 8];
    const x = k.alloc(rows * nIn), w = k.alloc(nIn * nOut), b = k.alloc(nOut), out = k.alloc(rows * nOut);
    for (let i = 0; i < x.length; i++) x[i] = i % 3 === 0 ? 0 : Math.sin(i); // scattered zeros: the listed path
    for (let i = 0; i < w.length; i++) w[i] = Math.cos(i);
    k.affine(x, w, b, out, rows, nIn, nOut);
    const ref = new Float64Array(rows * nOut);
    scalarKernels.affine(x, w, b, ref, rows, nIn, nOut);
    expect(Array.from(out)).toEqual(Array.from(ref));
    for (const a of held) expect(a.every((v) => v === 7)).toBe(true);
  });
});
