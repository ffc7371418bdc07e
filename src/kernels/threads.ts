// Helper threads for the wasm kernels: persistent workers that share the kernels' WebAssembly memory and run
// one part of a product while the calling thread runs another. Parts are whole output rows, never parts of a
// sum, so the results are the same bits whatever the number of threads. Synchronised with Atomics only.
// A part is claimed before it runs, by its helper or, if that helper has not started it when the caller is done
// with its own part, by the caller: a helper that lost its core (a busy machine) then costs a wait of nothing.

import { Worker } from 'node:worker_threads';
import type { WasmHeap } from './heap.js';

/** Operations a worker can run: exports of assembly/kernels.ts, by index. */
export const enum Op { Affine, WeightGrad, InputGrad, Tanh, AdamAt }
export const OP_NAMES = ['affine', 'weightGrad', 'inputGrad', 'tanh', 'adamAt'] as const;

// Control block of one worker (Int32 slots): CLAIM is 0 while a posted part waits for a taker and 1 once taken;
// SEQ numbers the parts, DONE echoes the last one a helper finished.
const CLAIM = 0, SEQ = 1, DONE = 2, OP = 3, ARGS = 4, SLOTS = 16;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ops = ${JSON.stringify(OP_NAMES)}.map((name) => ex[name]);
const c = new Int32Array(memory.buffer, ctrl, ${SLOTS});
for (;;) {
  // Spin briefly (the next part of a training step comes soon), then sleep; the timeout lets an exiting
  // process end this thread between waits.
  for (let i = 0; i < 20000 && Atomics.load(c, ${CLAIM}) !== 0; i++);
  if (Atomics.load(c, ${CLAIM}) !== 0 && Atomics.wait(c, ${CLAIM}, 1, 200) === 'timed-out') continue;
  if (Atomics.compareExchange(c, ${CLAIM}, 0, 1) !== 0) continue; // the caller took it
  const seq = Atomics.load(c, ${SEQ});
  const a = ${ARGS};
  ops[c[${OP}]](c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}`;

/** The caller's own instance of the exports, to run a part no helper has taken. */
export type OpRunner = (op: Op, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number) => void;

export class ThreadPool {
  private readonly ctrl: Int32Array[] = [];
  /** The heap arrays under ctrl: held so the heap never reuses them. */
  private readonly blocks: Float64Array[] = [];
  private readonly workers: Worker[] = [];
  /** Parts the caller ran itself because their helper had not taken them (for tests and the benchmark). */
  taken = 0;

  /**
   * Starts `helpers` workers without waiting for them: until a helper runs (tens of milliseconds), the caller
   * takes its parts, so a short run never waits for a thread to start.
   */
  constructor(heap: WasmHeap, module: object, helpers: number, private readonly run: OpRunner) {
    for (let k = 0; k < helpers; k++) {
      const block = heap.alloc(SLOTS / 2);
      const c = new Int32Array(block.buffer, block.byteOffset, SLOTS);
      c[CLAIM] = 1; // nothing posted
      this.ctrl.push(c);
      this.blocks.push(block);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: heap.memory, ctrl: block.byteOffset } });
      worker.unref(); // helpers never keep the process alive
      this.workers.push(worker);
    }
  }

  /** The number of threads a product is split over: the helpers and the caller. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Posts `op` with up to 8 integer arguments as helper k's (0-based) part. */
  start(k: number, op: Op, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6 = 0, a7 = 0): void {
    const c = this.ctrl[k];
    c[OP] = op;
    c[ARGS] = a0; c[ARGS + 1] = a1; c[ARGS + 2] = a2; c[ARGS + 3] = a3;
    c[ARGS + 4] = a4; c[ARGS + 5] = a5; c[ARGS + 6] = a6; c[ARGS + 7] = a7;
    Atomics.store(c, SEQ, (c[SEQ] + 1) | 0);
    Atomics.store(c, CLAIM, 0); // publishes the part: every store above is visible to whoever claims it
    Atomics.notify(c, CLAIM);
  }

  /** Returns when every posted part is done: runs the ones no helper has claimed, waits for the others. */
  join(): void {
    for (const c of this.ctrl) {
      if (Atomics.compareExchange(c, CLAIM, 0, 1) === 0) {
        this.taken++;
        this.run(c[OP], c[ARGS], c[ARGS + 1], c[ARGS + 2], c[ARGS + 3], c[ARGS + 4], c[ARGS + 5], c[ARGS + 6], c[ARGS + 7]);
        continue;
      }
      const seq = Atomics.load(c, SEQ);
      for (let i = 0; i < 100000 && Atomics.load(c, DONE) !== seq; i++);
      let done: number;
      while ((done = Atomics.load(c, DONE)) !== seq) Atomics.wait(c, DONE, done, 100);
    }
  }

  /** Stops the helpers; parts posted afterwards are run by the caller in join(). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
