// The scalar reference kernels: plain TypeScript loops, the oracle every fast kernel must match bit for bit.
// The summation order documented in types.ts is defined by these loops.

import type { AdagradStep, AdamStep, Kernels, RmspropStep, SgdStep, Slope } from './types.js';

/** out = x·w + b.  x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut) */
function affine(x: Float64Array, w: Float64Array, b: Float64Array, out: Float64Array, rows: number, nIn: number, nOut: number): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < nOut; j++) out[r * nOut + j] = b[j];
  // Input-major (i, then row, then unit): w's row i stays in cache while every row of the batch uses it.
  // Each out[r][j] still sums over i in ascending order, so the result does not depend on the loop order.
  for (let i = 0; i < nIn; i++) {
    const wi = i * nOut;
    for (let r = 0; r < rows; r++) {
      const xi = x[r * nIn + i];
      if (xi === 0) continue;
      const o = r * nOut;
      for (let j = 0; j < nOut; j++) out[o + j] += xi * w[wi + j];
    }
  }
}

/** dw = xᵀ·dz, db = Σ_rows dz, from +0 or (accumulate) from their values.  x: (rows, nIn)  dz: (rows, nOut)  dw: (nIn, nOut) */
function paramGrads(x: Float64Array, dz: Float64Array, dw: Float64Array, db: Float64Array, rows: number, nIn: number, nOut: number, accumulate = false): void {
  if (!accumulate) for (let j = 0; j < nOut; j++) db[j] = 0; // NOTE: a loop, not db.fill(0): the builtin call costs more than it saves on small layers (xor: 2 values)
  for (let r = 0; r < rows; r++) for (let j = 0; j < nOut; j++) db[j] += dz[r * nOut + j];
  // Input-major, as affine: dw's row i is finished (summed over rows in order) before the next is touched.
  for (let i = 0; i < nIn; i++) {
    const wi = i * nOut;
    if (!accumulate) for (let j = 0; j < nOut; j++) dw[wi + j] = 0;
    for (let r = 0; r < rows; r++) {
      const xi = x[r * nIn + i];
      if (xi === 0) continue;
      const o = r * nOut;
      for (let j = 0; j < nOut; j++) dw[wi + j] += xi * dz[o + j];
    }
  }
}

/** dx = dz·wᵀ.  dz: (rows, nOut)  w: (nIn, nOut)  dx: (rows, nIn) */
function inputGrad(dz: Float64Array, w: Float64Array, dx: Float64Array, rows: number, nIn: number, nOut: number): void {
  for (let i = 0; i < nIn; i++) {
    const wi = i * nOut;
    for (let r = 0; r < rows; r++) {
      const o = r * nOut;
      let s = 0;
      for (let j = 0; j < nOut; j++) s += dz[o + j] * w[wi + j];
      dx[r * nIn + i] = s;
    }
  }
}

/** Whether all n values of a are finite: x − x is 0 for finite x and NaN for ±Infinity and NaN. */
function allFinite(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] - a[i] !== 0) return false;
  return true;
}

/** a = tanh(z), n values.  z, a: (n) */
function tanh(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
}

/** dz = da·(1 − a²): tanh'(z) from a = tanh(z).  a, da, dz: (n) */
function tanhBackward(a: Float64Array, da: Float64Array, dz: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) dz[i] = da[i] * (1 - a[i] * a[i]);
}

/** a = relu(z), or leaky_relu(z) with `leaky`'s slope.  z, a: (n) */
function rectify(z: Float64Array, a: Float64Array, n: number, leaky: Slope | null): void {
  if (leaky === null) {
    for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : 0;
    return;
  }
  const slope = leaky.slope;
  for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : slope * z[i];
}

/** dz = da·f'(z) for relu ([z > 0], 0 at the kink as PyTorch) or leaky_relu (1 or slope).  z, da, dz: (n) */
function rectifyBackward(z: Float64Array, da: Float64Array, dz: Float64Array, n: number, leaky: Slope | null): void {
  if (leaky === null) {
    for (let i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : 0;
    return;
  }
  const slope = leaky.slope;
  for (let i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : slope * da[i];
}

/** p = softmax(z) row by row.  z, p: (rows, cols) */
function softmax(z: Float64Array, p: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    // NOTE: subtract the row max before exp, or large logits overflow to Infinity/NaN.
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (z[o + c] > max) max = z[o + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += p[o + c] = Math.exp(z[o + c] - max);
    for (let c = 0; c < cols; c++) p[o + c] /= sum;
  }
}

/** out(k, ·) = src(order[start + k], ·).  src: (·, cols)  out: (count, cols) */
function gather(src: Float64Array, cols: number, order: Int32Array, start: number, count: number, out: Float64Array): void {
  for (let k = 0; k < count; k++) {
    const from = order[start + k] * cols;
    for (let c = 0; c < cols; c++) out[k * cols + c] = src[from + c]; // NOTE: no subarray: views allocate
  }
}

/** torch.optim.SGD, one step on w: (n) in place; buf: (n) momentum buffer (unused without momentum). */
function sgdStep(w: Float64Array, dw: Float64Array, buf: Float64Array, n: number, s: SgdStep): void {
  const { lr, lambda, momentum: mu, nesterov } = s;
  for (let i = 0; i < n; i++) {
    let g = dw[i] + lambda * w[i]; // g = ∂L/∂w + wd·w
    if (mu !== 0) {
      buf[i] = mu * buf[i] + g; // b = μ·b + g (b starts at 0, so its first value is g, as torch's clone)
      g = nesterov ? g + mu * buf[i] : buf[i];
    }
    w[i] -= lr * g;
  }
}

/** torch.optim.Adam (and AdamW through shrink), one step on w: (n) in place; m, v: (n) moment estimates. */
function adamStep(w: Float64Array, dw: Float64Array, m: Float64Array, v: Float64Array, n: number, s: AdamStep): void {
  const { shrink, lambda, beta1: b1, beta2: b2, stepSize, bc2Sqrt, eps } = s;
  const t = 1 - b1, near = Math.abs(t) < 0.5; // m = lerp(m, g, 1 − β1), as torch (see lerp)
  for (let i = 0; i < n; i++) {
    if (shrink !== 1) w[i] *= shrink; // AdamW: w ← w·(1 − lr·wd)
    const g = dw[i] + lambda * w[i];
    const mi = m[i];
    m[i] = near ? mi + t * (g - mi) : g - (g - mi) * (1 - t);
    v[i] = b2 * v[i] + (1 - b2) * (g * g); // v = β2·v + (1 − β2)·g²
    w[i] -= stepSize * (m[i] / (Math.sqrt(v[i]) / bc2Sqrt + eps)); // w −= lr·m̂ / (√v̂ + ε)
  }
}

/** torch.optim.RMSprop, one step on w: (n) in place; sq, avg, buf: (n) its running averages and momentum buffer. */
function rmspropStep(w: Float64Array, dw: Float64Array, sq: Float64Array, avg: Float64Array, buf: Float64Array, n: number, s: RmspropStep): void {
  const { lr, lambda, alpha, eps, momentum: mu, centered } = s;
  const t = 1 - alpha, near = Math.abs(t) < 0.5; // ḡ = lerp(ḡ, g, 1 − α), as torch (see lerp)
  for (let i = 0; i < n; i++) {
    const g = dw[i] + lambda * w[i]; // g = ∂L/∂w + wd·w
    sq[i] = alpha * sq[i] + (1 - alpha) * (g * g); // s = α·s + (1 − α)·g²
    let denom: number;
    if (centered) {
      const ai = avg[i];
      avg[i] = near ? ai + t * (g - ai) : g - (g - ai) * (1 - t);
      denom = Math.sqrt(sq[i] - avg[i] * avg[i]) + eps; // √(s − ḡ²) + ε
    } else {
      denom = Math.sqrt(sq[i]) + eps; // √s + ε
    }
    if (mu > 0) {
      buf[i] = mu * buf[i] + g / denom; // b = μ·b + g / denom
      w[i] -= lr * buf[i];
    } else {
      w[i] -= lr * (g / denom);
    }
  }
}

/** torch.optim.Adagrad, one step on w: (n) in place; sum: (n) the sum of squared gradients so far. */
function adagradStep(w: Float64Array, dw: Float64Array, sum: Float64Array, n: number, s: AdagradStep): void {
  const { lr, lambda, eps } = s;
  for (let i = 0; i < n; i++) {
    const g = dw[i] + lambda * w[i]; // g = ∂L/∂w + wd·w
    sum[i] += g * g; // s += g²
    w[i] -= lr * (g / (Math.sqrt(sum[i]) + eps)); // w −= clr·g / (√s + ε)
  }
}

/*
 * lerp: torch.lerp(a, b, w) = a + w·(b − a), computed as torch's kernel does for accuracy: a + w·(b − a) when
 * |w| < 0.5, else b − (b − a)·(1 − w). The moving averages of adam (β1) and centered rmsprop (α) are lerps, written
 * out in their loops. NOTE: not a function: where V8 does not inline a call, its float arguments and result are
 * boxed, and a training step allocates (test/training/zero-alloc.test.ts saw it).
 */

export const scalarKernels: Kernels = Object.freeze({
  name: 'scalar',
  alloc: (length: number) => new Float64Array(length),
  span: () => null,
  affine,
  paramGrads,
  inputGrad,
  allFinite,
  tanh,
  tanhBackward,
  rectify,
  rectifyBackward,
  softmax,
  gather,
  sgdStep,
  adamStep,
  rmspropStep,
  adagradStep,
  overlap(during: () => void, work: () => void) {
    work();
    during();
  },
});
