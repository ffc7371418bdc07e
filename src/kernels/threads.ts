// Helper threads for the wasm kernels: persistent workers that share the kernels' WebAssembly memory and run
// one part of a product while the calling thread runs another. Parts are whole output rows, never parts of a
// sum, so the results are the same bits whatever the number of threads. Synchronised with Atomics only.

import { Worker } from 'node:worker_threads';
import type { WasmHeap } from './heap.js';

/** Operations a worker can run: exports of assembly/kernels.ts, by index. */
export const enum Op { Affine, WeightGrad, InputGrad }

// Control block of one worker (Int32 slots): SEQ counts requests, DONE echoes the finished one, READY is set once.
const SEQ = 0, DONE = 1, READY = 2, OP = 3, ARGS = 4, SLOTS = 16;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ops = [ex.affine, ex.weightGrad, ex.inputGrad];
const c = new Int32Array(memory.buffer, ctrl, ${SLOTS});
let seen = 0;
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
for (;;) {
  // Spin briefly (the next request of a training step comes soon), then sleep; the timeout lets an exiting
  // process end this thread between waits.
  for (let i = 0; i < 20000 && Atomics.load(c, ${SEQ}) === seen; i++);
  if (Atomics.load(c, ${SEQ}) === seen && Atomics.wait(c, ${SEQ}, seen, 200) === 'timed-out') continue;
  seen = Atomics.load(c, ${SEQ});
  const a = ${ARGS};
  ops[c[${OP}]](c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}`;

export class ThreadPool {
  private readonly ctrl: Int32Array[] = [];
  /** The heap arrays under ctrl: held so the heap never reuses them. */
  private readonly blocks: Float64Array[] = [];
  private readonly workers: Worker[] = [];

  /** Starts `helpers` workers; throws if one is not running within 5 s. */
  constructor(heap: WasmHeap, module: object, helpers: number) {
    for (let k = 0; k < helpers; k++) {
      const block = heap.alloc(SLOTS / 2);
      const c = new Int32Array(block.buffer, block.byteOffset, SLOTS);
      this.ctrl.push(c);
      this.blocks.push(block);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: heap.memory, ctrl: block.byteOffset } });
      worker.unref(); // helpers never keep the process alive
      this.workers.push(worker);
    }
    for (const c of this.ctrl) {
      if (Atomics.wait(c, READY, 0, 5000) === 'timed-out' && Atomics.load(c, READY) === 0) {
        this.close();
        throw new Error('a kernel helper thread did not start');
      }
    }
  }

  /** The number of threads a product is split over: the helpers and the caller. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Starts `op` on helper k (0-based) with up to 8 integer arguments. */
  start(k: number, op: Op, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6 = 0, a7 = 0): void {
    const c = this.ctrl[k];
    c[OP] = op;
    c[ARGS] = a0; c[ARGS + 1] = a1; c[ARGS + 2] = a2; c[ARGS + 3] = a3;
    c[ARGS + 4] = a4; c[ARGS + 5] = a5; c[ARGS + 6] = a6; c[ARGS + 7] = a7;
    const seq = (c[SEQ] + 1) | 0;
    Atomics.store(c, SEQ, seq); // the store publishes the arguments written before it
    Atomics.notify(c, SEQ);
  }

  /** Waits until every helper has finished its last request. */
  join(): void {
    for (const c of this.ctrl) {
      const seq = Atomics.load(c, SEQ);
      for (let i = 0; i < 100000 && Atomics.load(c, DONE) !== seq; i++);
      let done: number;
      while ((done = Atomics.load(c, DONE)) !== seq) Atomics.wait(c, DONE, done, 100);
    }
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}
