// `npm run bench:threads`: where splitting a product over two threads starts to pay. Times each kernel product
// (affine, paramGrads, inputGrad) at growing sizes on one thread and on two (every product split), medians of 7,
// and prints the ratio; src/kernels/wasm.ts's `threaded` default comes from the crossover seen here.

import { createWasmKernels } from '../src/kernels/wasm.js';

const one = createWasmKernels({ threads: 1 });
const two = createWasmKernels({ threads: 2, threaded: 0 });
/** (rows, nIn, nOut): batch sizes of the benchmark workloads, widths from small to mnist's. */
const SHAPES: [number, number, number][] = [
  [32, 16, 32], [32, 32, 32], [32, 64, 32], [32, 64, 64], [32, 64, 128], [32, 128, 128], [64, 128, 128],
  [64, 256, 128], [64, 784, 128], [128, 8, 64], [128, 64, 64],
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

type Op = 'affine' | 'paramGrads' | 'inputGrad';
function time(k: typeof one, op: Op, [rows, nIn, nOut]: [number, number, number]): number {
  const x = k.alloc(rows * nIn), w = k.alloc(nIn * nOut), b = k.alloc(nOut), z = k.alloc(rows * nOut);
  const dw = k.alloc(nIn * nOut), db = k.alloc(nOut), dx = k.alloc(rows * nIn);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i) + 1.5; // no zeros: the dense path
  for (let i = 0; i < w.length; i++) w[i] = Math.cos(i);
  for (let i = 0; i < z.length; i++) z[i] = Math.sin(3 * i);
  const run = {
    affine: () => k.affine(x, w, b, z, rows, nIn, nOut),
    paramGrads: () => k.paramGrads(x, z, dw, db, rows, nIn, nOut),
    inputGrad: () => k.inputGrad(z, w, dx, rows, nIn, nOut),
  }[op];
  const reps = Math.max(20, Math.ceil(3e7 / (rows * nIn * nOut)));
  for (let r = 0; r < reps; r++) run();
  return median(Array.from({ length: 7 }, () => {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) run();
    return Number(process.hrtime.bigint() - t0) / reps / 1e3; // µs per call
  }));
}

console.log('| rows×nIn×nOut | multiply-adds | op | 1 thread µs | 2 threads µs | 1 ÷ 2 |');
console.log('|---|---:|---|---:|---:|---:|');
for (const s of SHAPES) {
  for (const op of ['affine', 'paramGrads', 'inputGrad'] as const) {
    const t1 = time(one, op, s), t2 = time(two, op, s);
    console.log(`| ${s.join('×')} | ${(s[0] * s[1] * s[2]).toLocaleString('en-US')} | ${op} | ${t1.toFixed(1)} | ${t2.toFixed(1)} | ${(t1 / t2).toFixed(2)} |`);
  }
}
process.exit(0); // the helper thread is unref'd, but say so plainly
