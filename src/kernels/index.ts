// The kernel sets by name, and the default one: the wasm kernels where WebAssembly SIMD works, else the scalar
// reference. MLPLAB_KERNELS=scalar (or wasm) chooses explicitly; setKernelThreads(N) (the CLI's --threads), else
// MLPLAB_THREADS=N (or auto, as --threads: parseThreads), splits large products over N threads (default: one per core). Wasm modules are made on first use.

import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import { scalarKernels } from './scalar.js';
import { KERNEL_NAMES, type KernelName, type Kernels } from './types.js';
import { createWasmKernels, type WasmKernels } from './wasm.js';

export { KERNEL_NAMES, type AdagradStep, type AdamStep, type KernelName, type Kernels, type RmspropStep, type SgdStep, type Slope } from './types.js';
export { scalarKernels } from './scalar.js';
export { Arena, givenBack, MAX_HEAP_BYTES, trackAllocations } from './heap.js';

/** The wasm kernels per thread count (null: this runtime cannot run them), made on first use. */
const wasm = new Map<number, WasmKernels | null>();
/** Set by setKernelThreads; undefined: MLPLAB_THREADS, else one per core. */
let threadsSet: number | undefined;
/** What defaultKernels() chose (again after setKernelThreads). */
let chosen: Kernels | undefined;

/** The most threads a product is split over. */
export const MAX_THREADS = 64;

/** Whether MLPLAB_THREADS is set (then --jobs workers follow it rather than taking one thread each). */
export const threadsFromEnvSet = (): boolean => !!process.env.MLPLAB_THREADS;

/**
 * The threads large products are split over from now on, overriding MLPLAB_THREADS; undefined: back to
 * MLPLAB_THREADS (else one per core). NOTE: networks and workspaces keep the kernels they were made with: call this before
 * making them (the CLI does, before loading anything). The bits of every result are the same for any count.
 */
export function setKernelThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new RangeError(`threads must be a whole number from 1 to ${MAX_THREADS}, got ${threads}`);
  }
  threadsSet = threads;
  chosen = undefined;
}

/** What setKernelThreads set last (undefined: MLPLAB_THREADS, else one per core). */
export const kernelThreadsSet = (): number | undefined => threadsSet;

/** The wasm kernels (with the threads set), or null where this runtime cannot run them (no SIMD or no shared memory). */
export function wasmKernels(): WasmKernels | null {
  const threads = threadsSet ?? threadsFromEnv(); // a bad value is an error, not a reason to fall back
  if (!wasm.has(threads)) {
    try {
      wasm.set(threads, createWasmKernels({ threads }));
    } catch {
      wasm.set(threads, null);
    }
  }
  return wasm.get(threads)!;
}

/**
 * Stops the helper threads of every wasm kernel set until wakeThreads(), freeing their memory (≈9 MiB each):
 * the runner calls it once a run has trained, so writing its files does not add to the process's peak.
 */
export async function restThreads(): Promise<void> {
  await Promise.all([...wasm.values()].map((k) => k?.rest()));
}

/** Lets helper threads start again (on the next product large enough to split); the runner calls it before a run. */
export function wakeThreads(): void {
  for (const k of wasm.values()) k?.wake();
}

/** One thread per core, at most MAX_THREADS: the default (only products large enough to repay it are split). */
const coreThreads = (): number => Math.min(availableParallelism(), MAX_THREADS);

/** MLPLAB_THREADS as parseThreads reads it, or one per core when unset. */
function threadsFromEnv(): number {
  const env = process.env.MLPLAB_THREADS;
  return env === undefined || env === '' ? coreThreads() : parseThreads(env, 'MLPLAB_THREADS');
}

/**
 * A thread count as the CLI's --threads and MLPLAB_THREADS give it (`what` names which, for the message): a decimal
 * whole number from 1 to MAX_THREADS, or auto (coreThreads). One rule for both: MLPLAB_THREADS took 1e1 (as Number
 * reads it) and refused auto, which --threads took. NOTE: decimal digits only, as commands/command.ts decimalInteger
 * (which this layer cannot import): not 1e1, 0x10 or 2.0.
 */
export function parseThreads(text: string, what: string): number {
  if (text === 'auto') return coreThreads();
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_THREADS)) throw new UserError('usage', `${what} expects a number of threads from 1 to ${MAX_THREADS} or auto, found "${text}"`);
  return n;
}

/** The kernel set called `name`; throws if it cannot run here. */
export function kernelsNamed(name: KernelName): Kernels {
  if (name === 'scalar') return scalarKernels;
  const k = wasmKernels();
  if (!k) throw new UserError('usage', 'the wasm kernels need WebAssembly SIMD and shared memory, which this runtime lacks');
  return k;
}

/** The kernels used wherever none are given: MLPLAB_KERNELS if set, else wasm where it runs, else scalar. */
export function defaultKernels(): Kernels {
  if (chosen) return chosen;
  const env = process.env.MLPLAB_KERNELS;
  if (env !== undefined && env !== '') {
    if (!(KERNEL_NAMES as readonly string[]).includes(env)) throw new UserError('usage', `MLPLAB_KERNELS must be one of ${KERNEL_NAMES.join(', ')}, got '${env}'`);
    chosen = kernelsNamed(env as KernelName);
  } else {
    chosen = wasmKernels() ?? scalarKernels;
  }
  return chosen;
}
