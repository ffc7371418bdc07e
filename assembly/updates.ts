// The optimizers' element-wise updates for src/kernels/wasm.ts (AssemblyScript, exported by kernels.ts): the same
// operations in the same order as src/kernels/scalar.ts, two elements per f64x2 vector (each lane its own element,
// so nothing is reassociated), then a scalar tail. Uniform choices (momentum, nesterov, centered, the lerp form)
// are made once per call, not per element. Pointers are byte offsets into the shared memory; nothing allocates.

/** torch.lerp(a, b, t) in the form torch picks for t: a + t·(b − a) when |t| < 0.5, else b − (b − a)·(1 − t). */
// @ts-ignore: decorator
@inline function lerpv(a: v128, b: v128, t: f64): v128 {
  return Math.abs(t) < 0.5
    ? f64x2.add(a, f64x2.mul(f64x2.splat(t), f64x2.sub(b, a)))
    : f64x2.sub(b, f64x2.mul(f64x2.sub(b, a), f64x2.splat(1 - t)));
}
// @ts-ignore: decorator
@inline function lerps(a: f64, b: f64, t: f64): f64 {
  return Math.abs(t) < 0.5 ? a + t * (b - a) : b - (b - a) * (1 - t);
}

/** torch.optim.SGD on n values: g = dw + λ·w; momentum: buf = μ·buf + g, g = nesterov ? g + μ·buf : buf; w −= lr·g. */
export function sgd(w: usize, dw: usize, buf: usize, n: i32, lr: f64, lambda: f64, mu: f64, nesterov: bool): void {
  const lv = f64x2.splat(lr), lam = f64x2.splat(lambda), muv = f64x2.splat(mu);
  const hasMu = mu != 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const wi = v128.load(w + o);
    let g = f64x2.add(v128.load(dw + o), f64x2.mul(lam, wi));
    if (hasMu) {
      const b = f64x2.add(f64x2.mul(muv, v128.load(buf + o)), g);
      v128.store(buf + o, b);
      g = nesterov ? f64x2.add(g, f64x2.mul(muv, b)) : b;
    }
    v128.store(w + o, f64x2.sub(wi, f64x2.mul(lv, g)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const wi = load<f64>(w + o);
    let g = load<f64>(dw + o) + lambda * wi;
    if (hasMu) {
      const b = mu * load<f64>(buf + o) + g;
      store<f64>(buf + o, b);
      g = nesterov ? g + mu * b : b;
    }
    store<f64>(w + o, wi - lr * g);
  }
}

/** torch.optim.Adam / AdamW on n values: w ·= shrink (if ≠ 1); g = dw + λ·w; m = lerp(m, g, 1 − β1);
 *  v = β2·v + (1 − β2)·g²; w −= stepSize·(m / (√v / bc2Sqrt + ε)). */
export function adam(w: usize, dw: usize, m: usize, v: usize, n: i32, shrink: f64, lambda: f64, b1: f64, b2: f64, stepSize: f64, bc2Sqrt: f64, eps: f64): void {
  const doShrink = shrink != 1;
  const t = 1 - b1;
  const sh = f64x2.splat(shrink), lam = f64x2.splat(lambda), b2v = f64x2.splat(b2), omb2 = f64x2.splat(1 - b2);
  const ss = f64x2.splat(stepSize), bc = f64x2.splat(bc2Sqrt), ev = f64x2.splat(eps);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    let wi = v128.load(w + o);
    if (doShrink) wi = f64x2.mul(wi, sh);
    const g = f64x2.add(v128.load(dw + o), f64x2.mul(lam, wi));
    const mi = lerpv(v128.load(m + o), g, t);
    const vi = f64x2.add(f64x2.mul(b2v, v128.load(v + o)), f64x2.mul(omb2, f64x2.mul(g, g)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const den = f64x2.add(f64x2.div(f64x2.sqrt(vi), bc), ev);
    v128.store(w + o, f64x2.sub(wi, f64x2.mul(ss, f64x2.div(mi, den))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    let wi = load<f64>(w + o);
    if (doShrink) wi *= shrink;
    const g = load<f64>(dw + o) + lambda * wi;
    const mi = lerps(load<f64>(m + o), g, t);
    const vi = b2 * load<f64>(v + o) + (1 - b2) * (g * g);
    store<f64>(m + o, mi);
    store<f64>(v + o, vi);
    store<f64>(w + o, wi - stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps)));
  }
}

/** torch.optim.RMSprop on n values: g = dw + λ·w; sq = α·sq + (1 − α)·g²; centered: avg = lerp(avg, g, 1 − α),
 *  d = √(sq − avg²) + ε, else d = √sq + ε; μ > 0: buf = μ·buf + g/d, w −= lr·buf; else w −= lr·(g/d). */
export function rmsprop(w: usize, dw: usize, sq: usize, avg: usize, buf: usize, n: i32, lr: f64, lambda: f64, alpha: f64, eps: f64, mu: f64, centered: bool): void {
  const t = 1 - alpha;
  const lv = f64x2.splat(lr), lam = f64x2.splat(lambda), al = f64x2.splat(alpha), oma = f64x2.splat(1 - alpha);
  const ev = f64x2.splat(eps), muv = f64x2.splat(mu);
  const hasMu = mu > 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const wi = v128.load(w + o);
    const g = f64x2.add(v128.load(dw + o), f64x2.mul(lam, wi));
    const s = f64x2.add(f64x2.mul(al, v128.load(sq + o)), f64x2.mul(oma, f64x2.mul(g, g)));
    v128.store(sq + o, s);
    let den: v128;
    if (centered) {
      const a = lerpv(v128.load(avg + o), g, t);
      v128.store(avg + o, a);
      den = f64x2.add(f64x2.sqrt(f64x2.sub(s, f64x2.mul(a, a))), ev);
    } else {
      den = f64x2.add(f64x2.sqrt(s), ev);
    }
    if (hasMu) {
      const b = f64x2.add(f64x2.mul(muv, v128.load(buf + o)), f64x2.div(g, den));
      v128.store(buf + o, b);
      v128.store(w + o, f64x2.sub(wi, f64x2.mul(lv, b)));
    } else {
      v128.store(w + o, f64x2.sub(wi, f64x2.mul(lv, f64x2.div(g, den))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const wi = load<f64>(w + o);
    const g = load<f64>(dw + o) + lambda * wi;
    const s = alpha * load<f64>(sq + o) + (1 - alpha) * (g * g);
    store<f64>(sq + o, s);
    let den: f64;
    if (centered) {
      const a = lerps(load<f64>(avg + o), g, t);
      store<f64>(avg + o, a);
      den = Math.sqrt(s - a * a) + eps;
    } else {
      den = Math.sqrt(s) + eps;
    }
    if (hasMu) {
      const b = mu * load<f64>(buf + o) + g / den;
      store<f64>(buf + o, b);
      store<f64>(w + o, wi - lr * b);
    } else {
      store<f64>(w + o, wi - lr * (g / den));
    }
  }
}

/** torch.optim.Adagrad on n values: g = dw + λ·w; sum += g²; w −= lr·(g / (√sum + ε)). */
export function adagrad(w: usize, dw: usize, sum: usize, n: i32, lr: f64, lambda: f64, eps: f64): void {
  const lv = f64x2.splat(lr), lam = f64x2.splat(lambda), ev = f64x2.splat(eps);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const wi = v128.load(w + o);
    const g = f64x2.add(v128.load(dw + o), f64x2.mul(lam, wi));
    const s = f64x2.add(v128.load(sum + o), f64x2.mul(g, g));
    v128.store(sum + o, s);
    v128.store(w + o, f64x2.sub(wi, f64x2.mul(lv, f64x2.div(g, f64x2.add(f64x2.sqrt(s), ev)))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const wi = load<f64>(w + o);
    const g = load<f64>(dw + o) + lambda * wi;
    const s = load<f64>(sum + o) + g * g;
    store<f64>(sum + o, s);
    store<f64>(w + o, wi - lr * (g / (Math.sqrt(s) + eps)));
  }
}

/** adam on values i0 ≤ i < i1, its settings read from memory at p (shrink, lambda, beta1, beta2, stepSize, bc2Sqrt,
 *  eps): the helper threads pass integers only.  The sixth argument is unused. */
export function adamRange(w: usize, dw: usize, m: usize, v: usize, p: usize, _: i32, i0: i32, i1: i32): void {
  const o = <usize>i0 << 3;
  adam(w + o, dw + o, m + o, v + o, i1 - i0, load<f64>(p), load<f64>(p, 8), load<f64>(p, 16), load<f64>(p, 24), load<f64>(p, 32), load<f64>(p, 40), load<f64>(p, 48));
}
