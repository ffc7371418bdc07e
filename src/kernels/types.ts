// The kernel interface: every matrix product a training step runs goes through one of these, so a fast
// implementation (wasm.ts) can replace the scalar reference (scalar.ts) without changing any result bit; so do
// the optimizers' element-wise updates. Shapes are explicit; arrays are row-major and may be longer than the
// shape says (workspaces have a capacity).

export const KERNEL_NAMES = ['scalar', 'wasm'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export interface Kernels {
  readonly name: KernelName;
  /**
   * A zero-filled array the kernels read and write without copying (for wasm: a view of WebAssembly memory).
   * Any Float64Array is accepted by every kernel; arrays from elsewhere may be copied in and out per call.
   */
  alloc(length: number): Float64Array;
  /**
   * One array over all of `arrays` (from alloc, all of length > 0) when they lie back to back in memory in this
   * order, with zeros in the few bytes that may pad one from the next; else null (always, for scalar kernels). An
   * element-wise kernel then runs once over all of them.
   */
  span(arrays: readonly Float64Array[]): Float64Array | null;
  /** out = x·w + b; each out(r, j) starts at b(j) and adds x(r, i)·w(i, j) for i ascending, skipping x(r, i) == 0.
   *  x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut) */
  affine(x: Float64Array, w: Float64Array, b: Float64Array, out: Float64Array, rows: number, nIn: number, nOut: number): void;
  /**
   * dw = xᵀ·dz (from +0, rows ascending, skipping x(r, i) == 0) and db = Σ_rows dz (from +0, rows ascending). With
   * `accumulate`, each dw(i, j) and db(j) continues from the value already there instead of +0, adding this call's
   * rows the same way. Invariant (test/kernels/accumulate-bits.test.ts): for any 0 ≤ a ≤ rows, rows [0, a) then
   * rows [a, rows) with `accumulate` leave dw and db bit-identical to one call over all rows (so a large batch can
   * run in chunks of rows), on every kernel set and thread count.
   * x: (rows, nIn)  dz: (rows, nOut)  dw: (nIn, nOut)  db: (nOut)
   */
  paramGrads(x: Float64Array, dz: Float64Array, dw: Float64Array, db: Float64Array, rows: number, nIn: number, nOut: number, accumulate?: boolean): void;
  /** dx = dz·wᵀ; each dx(r, i) starts at +0 and adds dz(r, j)·w(i, j) for j ascending.
   *  dz: (rows, nOut)  w: (nIn, nOut)  dx: (rows, nIn) */
  inputGrad(dz: Float64Array, w: Float64Array, dx: Float64Array, rows: number, nIn: number, nOut: number): void;
  /** Whether all n values of a are finite (no NaN, no ±Infinity).  a: (n) */
  allFinite(a: Float64Array, n: number): boolean;
  /** a = tanh(z), n values, bit-identical to Math.tanh (a may be z).  z, a: (n) */
  tanh(z: Float64Array, a: Float64Array, n: number): void;
  /** dz = da·(1 − a²), tanh's derivative from its output a, n values.  a, da, dz: (n) */
  tanhBackward(a: Float64Array, da: Float64Array, dz: Float64Array, n: number): void;
  /** a = z > 0 ? z : +0 (relu); with `leaky`, z > 0 ? z : slope·z (leaky_relu); n values (a may be z).  z, a: (n) */
  rectify(z: Float64Array, a: Float64Array, n: number, leaky: Slope | null): void;
  /** dz = z > 0 ? da : +0 (relu); with `leaky`, z > 0 ? da : slope·da; n values.  z, da, dz: (n) */
  rectifyBackward(z: Float64Array, da: Float64Array, dz: Float64Array, n: number, leaky: Slope | null): void;
  /** p = softmax(z) row by row: exp(z − rowmax) by Math.exp, divided by their sum (in order).  z, p: (rows, cols) */
  softmax(z: Float64Array, p: Float64Array, rows: number, cols: number): void;
  /** out(k, ·) = src(order[start + k], ·) for k < count: a batch's rows copied, bits unchanged.
   *  src: (·, cols)  order: (start + count)  out: (count, cols) */
  gather(src: Float64Array, cols: number, order: Int32Array, start: number, count: number, out: Float64Array): void;
  /** One torch.optim.SGD step on n values in place (src/training/optimizers/sgd.ts).  w, g, buf: (n) */
  sgdStep(w: Float64Array, g: Float64Array, buf: Float64Array, n: number, s: SgdStep): void;
  /** One torch.optim.Adam / AdamW step on n values in place (src/training/optimizers/adam.ts).  w, g, m, v: (n) */
  adamStep(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, n: number, s: AdamStep): void;
  /** One torch.optim.RMSprop step on n values in place (src/training/optimizers/rmsprop.ts).  w, g, sq, avg, buf: (n) */
  rmspropStep(w: Float64Array, g: Float64Array, sq: Float64Array, avg: Float64Array, buf: Float64Array, n: number, s: RmspropStep): void;
  /** One torch.optim.Adagrad step on n values in place (src/training/optimizers/adagrad.ts).  w, g, sum: (n) */
  adagradStep(w: Float64Array, g: Float64Array, sum: Float64Array, n: number, s: AdagradStep): void;
  /**
   * Runs work(), and during() once, on this thread: while the first operation of work split over helper threads
   * runs on them (once its parts are posted), else after work. For two pieces of work neither of which reads what
   * the other writes (training: the next batch's rows copied beside the optimizer's update).
   */
  overlap(during: () => void, work: () => void): void;
}

/** leaky_relu's slope, in an object (a layer): a float passed alone is a heap allocation per call where V8 does
 *  not inline the call. */
export interface Slope {
  readonly slope: number;
}

/** An SGD step's settings, per element i: g = dw + lambda·w; with momentum ≠ 0, buf = momentum·buf + g and
 *  g = nesterov ? g + momentum·buf : buf; then w −= lr·g. */
export interface SgdStep {
  lr: number;
  lambda: number;
  momentum: number;
  nesterov: boolean;
}

/** An Adam step's settings, per element i: w ·= shrink (skipped when 1); g = dw + lambda·w;
 *  m = lerp(m, g, 1 − beta1) (torch's two-sided lerp); v = beta2·v + (1 − beta2)·g²;
 *  w −= stepSize·(m / (√v / bc2Sqrt + eps)). */
export interface AdamStep {
  shrink: number;
  lambda: number;
  beta1: number;
  beta2: number;
  stepSize: number;
  bc2Sqrt: number;
  eps: number;
}

/** An RMSprop step's settings, per element i: g = dw + lambda·w; sq = alpha·sq + (1 − alpha)·g²; centered:
 *  avg = lerp(avg, g, 1 − alpha), d = √(sq − avg²) + eps, else d = √sq + eps; momentum > 0: buf = momentum·buf + g/d,
 *  w −= lr·buf, else w −= lr·(g/d). avg and buf are read only when used. */
export interface RmspropStep {
  lr: number;
  lambda: number;
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
}

/** An Adagrad step's settings, per element i: g = dw + lambda·w; sum += g²; w −= lr·(g / (√sum + eps)). */
export interface AdagradStep {
  lr: number;
  lambda: number;
  eps: number;
}
