// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (norm_type 2): the norm of all gradients
// together is the norm of the per-array norms; when it exceeds maxNorm every gradient is multiplied by
// maxNorm / (norm + 1e-6). Runs after backward, before the optimizer (so before weight decay). Allocates nothing.

import type { Param } from './optimizers/index.js';

/** Rescales the gradients of params in place when their global L2 norm exceeds maxNorm; returns that norm. */
export function clipGradNorm(params: readonly Param[], maxNorm: number): number {
  clipGradients(params, maxNorm);
  return lastNorm[0];
}

/** The norm clipGradients found last. */
const lastNorm = new Float64Array(1);

/**
 * clipGradNorm for the training step, which does not use the norm. NOTE: it returns nothing on purpose: a float
 * returned from a call that is not inlined is a new heap number, an allocation per step.
 */
export function clipGradients(params: readonly Param[], maxNorm: number): void {
  let squares = 0;
  for (let k = 0; k < params.length; k++) {
    const grad = params[k].grad;
    let s = 0;
    for (let i = 0; i < grad.length; i++) s += grad[i] * grad[i];
    const norm = Math.sqrt(s); // ‖g_k‖₂, per array, as torch stacks them
    squares += norm * norm;
  }
  const total = Math.sqrt(squares); // ‖(‖g_1‖, …, ‖g_K‖)‖₂
  lastNorm[0] = total;
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    // torch multiplies by min(coef, 1): a factor 1 changes nothing, so only a smaller one is applied
    for (let k = 0; k < params.length; k++) {
      const grad = params[k].grad;
      for (let i = 0; i < grad.length; i++) grad[i] *= coef;
    }
  }
}
