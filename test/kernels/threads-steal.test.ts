// Parts no helper thread takes (here: the helper is stopped; on a busy machine: one that lost its core) are run
// by the caller, with the same bits, instead of being waited for.

import { describe, expect, it } from 'vitest';
import { scalarKernels, wasmKernels } from '../../src/kernels/index.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { Rng } from '../../src/random.js';

describe.skipIf(!wasmKernels())('helper threads', () => {
  it('leave the parts they do not take to the caller, which runs them itself', async () => {
    const k = createWasmKernels({ product: 0, threads: 2, threaded: 0 });
    const rng = new Rng(4);
    const [rows, nIn, nOut] = [9, 7, 5];
    const x = k.alloc(rows * nIn), w = k.alloc(nIn * nOut), b = k.alloc(nOut);
    for (const a of [x, w, b]) for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    const expected = new Float64Array(rows * nOut);
    scalarKernels.affine(x, w, b, expected, rows, nIn, nOut);
    const out = k.alloc(rows * nOut);
    k.affine(x, w, b, out, rows, nIn, nOut); // starts the helper
    const pool = k.threadPool()!;
    expect(pool.threads).toBe(2);
    await pool.close();
    const [taken, posted] = [pool.taken, pool.posted];
    out.fill(NaN);
    k.affine(x, w, b, out, rows, nIn, nOut); // would wait forever for the stopped helper without the claim
    expect(pool.posted - posted).toBe(3); // 9 rows in parts of the kernel's 4-row blocks: 4, 4, 1
    expect(pool.taken - taken).toBe(3);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });
});
