// Inverted dropout (torch.nn.Dropout placed after a layer's activation), for training only: each output is
// kept with probability 1 − p and then scaled by 1 / (1 − p), so its expected value is unchanged and evaluation
// needs no rescaling. The mask is drawn from the caller's seeded 'dropout' stream; nothing here allocates.

import type { Rng } from '../random.js';

/**
 * out = a ⊙ mask, mask_i = 0 with probability p = layer.dropout, else 1 / (1 − p).  a, out, mask: (rows·units) = n
 * values. NOTE: p is read from the layer here: a float passed as an argument is a heap allocation per call (when
 * the call is not inlined), the layer is not.
 */
export function dropoutForward(a: Float64Array, out: Float64Array, mask: Float64Array, n: number, layer: { readonly dropout: number }, rng: Rng): void {
  const p = layer.dropout;
  const keep = 1 / (1 - p);
  rng.fillUniform(mask, n); // the uniform draws first, in order (Rng.fillUniform says why)
  for (let i = 0; i < n; i++) {
    mask[i] = mask[i] < p ? 0 : keep;
    out[i] = a[i] * mask[i];
  }
}

/** da ← da ⊙ mask: ∂L/∂a from ∂L/∂out, in place (out = a ⊙ mask, so ∂out/∂a = mask). */
export function dropoutBackward(da: Float64Array, mask: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) da[i] *= mask[i];
}
