// Helper threads for the wasm kernels: persistent workers that share the kernels' WebAssembly memory. A product (or
// a long element-wise pass) is cut into a few parts of whole output rows (or values), never parts of a sum, so the
// results are the same bits whatever the number of threads. Each part is claimed before it runs, by whichever
// thread comes first (the caller included): a helper that starts late, or lost its core, only takes fewer parts.
// Synchronised with Atomics only.

import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { WasmHeap } from './heap.js';

/** Operations a worker can run: range exports of assembly/kernels.ts (six arguments, then lo and hi), by index. */
export const enum Op { Affine, WeightGrad, InputGrad, Tanh, Adam, WeightGradOnto }
export const OP_NAMES = ['affineRows', 'weightGrad', 'inputGradRows', 'tanhRange', 'adamRange', 'weightGradOnto'] as const;

// The control block (Int32 slots), shared by all threads. TICKET packs the operation's number (16 bits), its number
// of parts (8) and the next part to claim (8) into one word, claimed by compareExchange; a thread reads the
// operation and its part's bounds between loading the ticket and claiming it, so a claim that succeeds read them
// while they were current. FINISHED counts the parts done.
const TICKET = 0, FINISHED = 1, OP = 2, ARGS = 3, BOUNDS = 9, MAX_PARTS = 16, SLOTS = 32;

/**
 * Terms a product's listed skip path (assembly/sparse.ts) can list per output: each thread's instance gets its own
 * block of this many float64s (8 bytes a term: 32 KiB). Longer sums (a full batch's weight gradient) take the masked
 * path: the same bits, slower.
 */
export const LIST_SCRATCH = 4096;

/** Parts per thread: enough that a thread starting late costs little, few enough that claiming stays cheap. NOTE:
 *  2, 4 and 8 were within the machine's noise of each other on mnist-shape and digits-deep (2 threads); 4 kept. */
const PARTS_PER_THREAD = 4;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, scratch, cap } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
ex.setScratch(scratch, cap); // this thread's own block for the products' lists (assembly/sparse.ts)
const ops = ${JSON.stringify(OP_NAMES)}.map((name) => ex[name]);
const c = new Int32Array(memory.buffer, ctrl, ${SLOTS});
for (;;) {
  const t = Atomics.load(c, ${TICKET});
  const p = t & 255, parts = (t >> 8) & 255;
  if (p >= parts) {
    // Nothing to claim: spin briefly (the next part of a training step comes soon), then sleep; the timeout lets
    // an exiting process end this thread between waits.
    for (let i = 0; i < 20000 && Atomics.load(c, ${TICKET}) === t; i++);
    if (Atomics.load(c, ${TICKET}) === t) Atomics.wait(c, ${TICKET}, t, 200);
    continue;
  }
  const op = c[${OP}], a = ${ARGS}, lo = c[${BOUNDS} + p], hi = c[${BOUNDS} + p + 1];
  const a0 = c[a], a1 = c[a + 1], a2 = c[a + 2], a3 = c[a + 3], a4 = c[a + 4], a5 = c[a + 5];
  if (Atomics.compareExchange(c, ${TICKET}, t, t + 1) !== t) continue; // another thread took it
  ops[op](a0, a1, a2, a3, a4, a5, lo, hi);
  if (Atomics.add(c, ${FINISHED}, 1) + 1 === parts) Atomics.notify(c, ${FINISHED});
}`;

/** The caller's own instance of the range exports, to run the parts it claims. */
export type OpRunner = (op: Op, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, lo: number, hi: number) => void;

export class ThreadPool {
  private readonly c: Int32Array;
  /** The heap array under the control block: held so the heap never reuses it. */
  private readonly block: Float64Array;
  private readonly workers: Worker[] = [];
  private seq = 0;
  /** Parts posted, and parts the caller ran itself (for tests and the benchmark). */
  posted = 0;
  taken = 0;

  /**
   * Starts one worker per scratch block without waiting for them: until a helper runs (tens of milliseconds), the caller
   * claims every part, so a short run never waits for a thread to start. `beside()` hands over, once, work for the
   * caller to do after posting an operation's parts (Kernels.overlap), else null.
   */
  constructor(
    heap: WasmHeap,
    module: object,
    /** One scratch block of LIST_SCRATCH float64s per helper, the kernels' own (kept: a pool started again after a
     *  rest takes the same blocks, never more memory). */
    scratch: readonly Float64Array[],
    private readonly run: OpRunner,
    private readonly beside: () => (() => void) | null,
  ) {
    this.block = heap.alloc(SLOTS / 2, true); // kept: the pool outlives the run that started it
    this.c = new Int32Array(this.block.buffer, this.block.byteOffset, SLOTS); // all 0: a ticket of no parts
    // NOTE: node:worker_threads is loaded here, not imported: loading it costs every start ≈2 ms.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    try {
      for (const own of scratch) {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: heap.memory, ctrl: this.block.byteOffset, scratch: own.byteOffset, cap: LIST_SCRATCH } });
        worker.unref(); // helpers never keep the process alive
        this.workers.push(worker);
      }
    } catch (e) {
      // NOTE: the caller goes on without a pool, and this control block goes back when collected: the helpers
      // started must not go on reading it.
      for (const w of this.workers) void w.terminate();
      throw e;
    }
  }

  /** The number of threads work is split over: the helpers and the caller. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs `op` on lo ≤ · < hi over 0 … count, cut into parts whose bounds are multiples of `align` (the kernels'
   * blocks) but the last, and returns when every part is done. The caller claims parts too.
   */
  split(op: Op, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, count: number, align: number): void {
    const { c } = this;
    const units = Math.ceil(count / align);
    const parts = Math.max(1, Math.min(MAX_PARTS, this.threads * PARTS_PER_THREAD, units));
    c[OP] = op;
    c[ARGS] = a0; c[ARGS + 1] = a1; c[ARGS + 2] = a2; c[ARGS + 3] = a3; c[ARGS + 4] = a4; c[ARGS + 5] = a5;
    for (let p = 0; p < parts; p++) c[BOUNDS + p] = Math.floor((p * units) / parts) * align;
    c[BOUNDS + parts] = count;
    c[FINISHED] = 0;
    this.seq = (this.seq + 1) & 0xffff;
    this.posted += parts;
    // NOTE: the ticket is published last (a sequentially consistent store): whoever loads it sees every store above.
    Atomics.store(c, TICKET, (this.seq << 16) | (parts << 8));
    Atomics.notify(c, TICKET);
    // The caller's other work first, while the helpers take parts; then it claims what is left.
    // NOTE: in a finally: if `during` throws, the parts are still all done before split returns (else helpers would go
    // on writing into arrays the caller may already have given back).
    try {
      const during = this.beside();
      if (during !== null) during();
    } finally {
      for (;;) {
        const t = Atomics.load(c, TICKET);
        const p = t & 255;
        if (p >= parts) break;
        if (Atomics.compareExchange(c, TICKET, t, t + 1) !== t) continue;
        this.taken++;
        this.run(op, a0, a1, a2, a3, a4, a5, c[BOUNDS + p], c[BOUNDS + p + 1]);
        Atomics.add(c, FINISHED, 1);
      }
      for (let i = 0; i < 100000 && Atomics.load(c, FINISHED) !== parts; i++);
      let done: number;
      while ((done = Atomics.load(c, FINISHED)) !== parts) Atomics.wait(c, FINISHED, done, 100);
    }
  }

  /** Stops the helpers; work split afterwards is all run by the caller. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
