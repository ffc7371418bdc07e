// Loss functions with PyTorch's definitions, each beside its gradient. A loss either reads the network's
// output a, or (fused with the output activation) its logits z: cross-entropy with softmax and binary
// cross-entropy with sigmoid are computed from logits, so extreme logits give finite values and gradients.

import { sigmoidInto, softmaxRows, type ActivationName } from './activations.js';
import { frozen } from '../descriptor.js';

/** The one list of loss names: the types, the registry and the JSON Schema all follow it. */
export const LOSS_NAMES = ['mse', 'cross_entropy', 'binary_cross_entropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export const REDUCTIONS = ['mean', 'sum'] as const;
/** mean: PyTorch's reduction='mean'; sum: reduction='sum' (the sum over samples of each sample's loss). */
export type Reduction = (typeof REDUCTIONS)[number];

export interface Loss {
  /** 'logits': total and backward read the output layer's pre-activation z (fused); 'output': its activation a. */
  readonly reads: 'logits' | 'output';
  /** The output activation this loss must follow, if any. */
  readonly requires: ActivationName | null;
  /** How many terms reduction='mean' averages over, for a batch of (rows, cols). */
  meanCount(rows: number, cols: number): number;
  /** The unreduced sum of the loss terms, rows in order, continuing from `from` (default +0: a batch in row chunks
   *  sums to the bits of one pass).  v: z or a (rows, cols); y: (rows, cols) */
  total(v: Float64Array, y: Float64Array, rows: number, cols: number, from?: number): number;
  /**
   * d = scale · ∂total/∂v, the gradient of the reduced loss, scale = reductionScale(…) (d is dz for 'logits', da
   * for 'output').  v, y, d: (rows, cols). NOTE: the reduction, not the scale, is passed: a float argument is a
   * heap allocation per call when the call is not inlined (the losses' call site in network.ts often is not).
   * `output`, for a fused loss: its activation's values f(z) from the forward pass (softmax, sigmoid), so a training
   * step takes f once, not twice; the gradient is the same bits as from z alone. `batchRows` (default rows): the
   * rows of the whole batch when these are a chunk of it, so 'mean' divides by the batch's count.
   */
  backward(v: Float64Array, y: Float64Array, d: Float64Array, rows: number, cols: number, reduction: Reduction, output?: Float64Array, batchRows?: number): void;
}

/** dz = scale·(p − y), p = f(z) of a fused loss's activation. NOTE: the reduction, not the scale, is passed (Loss.backward says why). */
function gradientFromOutput(loss: Loss, p: Float64Array, y: Float64Array, dz: Float64Array, rows: number, cols: number, reduction: Reduction, batchRows: number): void {
  const scale = 1 / reductionCount(loss, reduction, batchRows, cols);
  for (let i = 0; i < rows * cols; i++) dz[i] = scale * (p[i] - y[i]);
}

/** Squared error, as torch.nn.MSELoss: mean over all elements of (a − y)². */
const mse: Loss = {
  reads: 'output',
  requires: null,
  meanCount: (rows, cols) => rows * cols,
  total(a, y, rows, cols, from = 0) {
    let s = from;
    for (let i = 0; i < rows * cols; i++) s += (a[i] - y[i]) * (a[i] - y[i]);
    return s;
  },
  backward(a, y, da, rows, cols, reduction, _output, batchRows = rows) {
    const scale = 1 / reductionCount(mse, reduction, batchRows, cols);
    for (let i = 0; i < rows * cols; i++) da[i] = scale * 2 * (a[i] - y[i]); // ∂/∂a (a − y)² = 2(a − y)
  },
};

/** Softmax cross-entropy with probability targets, as torch.nn.CrossEntropyLoss: mean over rows of −Σ_k y_k log p_k. */
const crossEntropy: Loss = {
  reads: 'logits',
  requires: 'softmax',
  meanCount: (rows) => rows,
  total(z, y, rows, cols, from = 0) {
    let s = from;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      // −log p_k = logsumexp(z) − z_k; NOTE: logsumexp subtracts the row max so exp never overflows.
      let max = -Infinity;
      for (let c = 0; c < cols; c++) if (z[o + c] > max) max = z[o + c];
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += Math.exp(z[o + c] - max);
      const lse = max + Math.log(sum);
      for (let c = 0; c < cols; c++) if (y[o + c] !== 0) s += y[o + c] * (lse - z[o + c]);
    }
    return s;
  },
  /** crossentropy_softmax_backward: the fused gradient dz = p − y (targets are rows that sum to 1). */
  backward(z, y, dz, rows, cols, reduction, p, batchRows = rows) {
    if (p === undefined) softmaxRows(z, (p = dz), rows, cols);
    gradientFromOutput(crossEntropy, p, y, dz, rows, cols, reduction, batchRows); // p − y
  },
};

/** Sigmoid binary cross-entropy from logits, as torch.nn.BCEWithLogitsLoss: mean over all elements. */
const binaryCrossEntropy: Loss = {
  reads: 'logits',
  requires: 'sigmoid',
  meanCount: (rows, cols) => rows * cols,
  total(z, y, rows, cols, from = 0) {
    let s = from;
    // −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|): no overflow for any z.
    for (let i = 0; i < rows * cols; i++) s += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    return s;
  },
  backward(z, y, dz, rows, cols, reduction, s, batchRows = rows) {
    if (s === undefined) sigmoidInto(z, (s = dz), rows * cols);
    gradientFromOutput(binaryCrossEntropy, s, y, dz, rows, cols, reduction, batchRows); // ∂/∂z = σ(z) − y
  },
};

/** The losses, frozen. */
export const losses: Readonly<Record<LossName, Loss>> = frozen({
  mse,
  cross_entropy: crossEntropy,
  binary_cross_entropy: binaryCrossEntropy,
});

/** The factor turning a total into the reduced loss: 1/count for 'mean', 1 for 'sum'. */
export function reductionScale(loss: Loss, reduction: Reduction, rows: number, cols: number): number {
  return 1 / reductionCount(loss, reduction, rows, cols);
}

/**
 * What the total is divided by: the loss's mean count for 'mean', 1 for 'sum'. NOTE: a whole number, so a call
 * that V8 does not inline returns it without boxing; the per-step callers take 1 / it themselves.
 */
export function reductionCount(loss: Loss, reduction: Reduction, rows: number, cols: number): number {
  return reduction === 'mean' ? loss.meanCount(rows, cols) : 1;
}
