// Activation functions, each written once beside its derivative, on whole batches (rows × cols).
// Convention: backward turns da = ∂L/∂a into dz = ∂L/∂z, reading either the layer's input z (pre-activation)
// or its output a, as `reads` says. Losses that fuse with an activation (cross-entropy) live in losses.ts.

import { frozen } from '../descriptor.js';
import { scalarKernels, type Kernels } from '../kernels/index.js';

/** The one list of activation names: the types, the registry and the JSON Schema all follow it. */
export const ACTIVATION_NAMES = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Per-layer parameters of an activation (only leaky_relu has one). */
export interface ActivationOptions {
  /** leaky_relu's slope for z <= 0 (PyTorch's negative_slope). */
  slope: number;
}
export const DEFAULT_SLOPE = 0.01;

export interface Activation {
  /** What backward reads besides da: the pre-activation z ('input') or the activation a ('output'). */
  readonly reads: 'input' | 'output';
  /** False where f has a kink at z = 0 (relu, leaky_relu): there finite differences do not match any derivative. */
  readonly smooth: boolean;
  /** a = f(z).  z, a: (rows, cols). Loops that have a kernel (tanh, relu, leaky_relu, softmax) run on `kernels`
   *  (default: the scalar ones). */
  forward(z: Float64Array, a: Float64Array, rows: number, cols: number, opt: ActivationOptions, kernels?: Kernels): void;
  /** dz = ∂L/∂z from da.  v: z or a as `reads` says; v, da, dz: (rows, cols). Kernels as in forward. */
  backward(v: Float64Array, da: Float64Array, dz: Float64Array, rows: number, cols: number, opt: ActivationOptions, kernels?: Kernels): void;
}

/**
 * out = σ(z), n values, without overflow: exp is only taken of −|z|. NOTE: over arrays, not one value a call: where
 * V8 does not inline a call (in a large optimized training step), each float it returns is a heap allocation.
 */
export function sigmoidInto(z: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = z[i];
    if (v >= 0) {
      out[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
  }
}

const linear: Activation = {
  reads: 'output',
  smooth: true,
  // NOTE: loops, not set(subarray(…)): a subarray is a new object, a heap allocation per training step.
  forward(z, a, rows, cols) {
    for (let i = 0; i < rows * cols; i++) a[i] = z[i];
  },
  backward(_a, da, dz, rows, cols) {
    for (let i = 0; i < rows * cols; i++) dz[i] = da[i]; // dz = da
  },
};

const sigmoidActivation: Activation = {
  reads: 'output',
  smooth: true,
  forward(z, a, rows, cols) {
    sigmoidInto(z, a, rows * cols);
  },
  backward(a, da, dz, rows, cols) {
    for (let i = 0; i < rows * cols; i++) dz[i] = da[i] * a[i] * (1 - a[i]); // σ'(z) = a(1 − a)
  },
};

const tanh: Activation = {
  reads: 'output',
  smooth: true,
  forward(z, a, rows, cols, _opt, kernels = scalarKernels) {
    kernels.tanh(z, a, rows * cols); // Math.tanh, bit for bit
  },
  backward(a, da, dz, rows, cols, _opt, kernels = scalarKernels) {
    kernels.tanhBackward(a, da, dz, rows * cols); // tanh'(z) = 1 − a²: dz = da·(1 − a²)
  },
};

const relu: Activation = {
  reads: 'input',
  smooth: false,
  forward(z, a, rows, cols, _opt, kernels = scalarKernels) {
    kernels.rectify(z, a, rows * cols, null); // z > 0 ? z : 0
  },
  backward(z, da, dz, rows, cols, _opt, kernels = scalarKernels) {
    kernels.rectifyBackward(z, da, dz, rows * cols, null); // relu'(z) = [z > 0], 0 at the kink as PyTorch
  },
};

const leakyRelu: Activation = {
  reads: 'input',
  smooth: false,
  forward(z, a, rows, cols, opt, kernels = scalarKernels) {
    kernels.rectify(z, a, rows * cols, opt); // z > 0 ? z : slope·z
  },
  backward(z, da, dz, rows, cols, opt, kernels = scalarKernels) {
    kernels.rectifyBackward(z, da, dz, rows * cols, opt); // f'(z) = 1 or slope
  },
};

/** p = softmax(z) row by row, subtracting each row's max before exp so large logits never overflow (the scalar
 *  kernel's loop).  z, p: (rows, cols) */
export function softmaxRows(z: Float64Array, p: Float64Array, rows: number, cols: number): void {
  scalarKernels.softmax(z, p, rows, cols);
}

const softmax: Activation = {
  reads: 'output',
  smooth: true,
  forward(z, p, rows, cols, _opt, kernels = scalarKernels) {
    kernels.softmax(z, p, rows, cols);
  },
  backward(p, dp, dz, rows, cols) {
    // Jacobian-vector product: dz_j = Σ_k dp_k ∂p_k/∂z_j = p_j (dp_j − Σ_k dp_k p_k)
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += dp[o + k] * p[o + k];
      for (let j = 0; j < cols; j++) dz[o + j] = p[o + j] * (dp[o + j] - dot);
    }
  },
};

/** The activations, frozen (a test that needs a broken one builds its own registry for createNetwork). */
export const activations: Readonly<Record<ActivationName, Activation>> = frozen({
  linear,
  sigmoid: sigmoidActivation,
  tanh,
  relu,
  leaky_relu: leakyRelu,
  softmax,
});
