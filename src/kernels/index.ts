// The kernel sets by name, and the default one: the wasm kernels where WebAssembly SIMD works, else the scalar
// reference. MLPLAB_KERNELS=scalar (or wasm) chooses explicitly; MLPLAB_THREADS=N splits large products over N
// threads (default 1). The wasm module is instantiated once, on first use.

import { UserError } from '../errors.js';
import { scalarKernels } from './scalar.js';
import { KERNEL_NAMES, type KernelName, type Kernels } from './types.js';
import { createWasmKernels } from './wasm.js';

export { KERNEL_NAMES, type AdagradStep, type AdamStep, type KernelName, type Kernels, type RmspropStep, type SgdStep } from './types.js';
export { scalarKernels } from './scalar.js';

let wasm: Kernels | null | undefined;

/** The wasm kernels, or null where this runtime cannot run them (no SIMD or no shared memory). */
export function wasmKernels(): Kernels | null {
  if (wasm === undefined) {
    const threads = threadsFromEnv(); // a bad value is an error, not a reason to fall back
    try {
      wasm = createWasmKernels({ threads });
    } catch {
      wasm = null;
    }
  }
  return wasm;
}

/** MLPLAB_THREADS as a whole number >= 1, or 1 when unset. */
function threadsFromEnv(): number {
  const env = process.env.MLPLAB_THREADS;
  if (env === undefined || env === '') return 1;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UserError('usage', `MLPLAB_THREADS must be a whole number from 1 to 64, got '${env}'`);
  return n;
}

/** The kernel set called `name`; throws if it cannot run here. */
export function kernelsNamed(name: KernelName): Kernels {
  if (name === 'scalar') return scalarKernels;
  const k = wasmKernels();
  if (!k) throw new UserError('usage', 'the wasm kernels need WebAssembly SIMD and shared memory, which this runtime lacks');
  return k;
}

let chosen: Kernels | undefined;

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
