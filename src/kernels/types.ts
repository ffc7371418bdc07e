// The kernel interface: every matrix product a training step runs goes through one of these, so a fast
// implementation (wasm.ts) can replace the scalar reference (scalar.ts) without changing any result bit.
// Shapes are explicit; arrays are row-major and may be longer than the shape says (workspaces have a capacity).

export const KERNEL_NAMES = ['scalar', 'wasm'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export interface Kernels {
  readonly name: KernelName;
  /**
   * A zero-filled array the kernels read and write without copying (for wasm: a view of WebAssembly memory).
   * Any Float64Array is accepted by every kernel; arrays from elsewhere may be copied in and out per call.
   */
  alloc(length: number): Float64Array;
  /** out = x·w + b; each out(r, j) starts at b(j) and adds x(r, i)·w(i, j) for i ascending, skipping x(r, i) == 0.
   *  x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut) */
  affine(x: Float64Array, w: Float64Array, b: Float64Array, out: Float64Array, rows: number, nIn: number, nOut: number): void;
  /** dw = xᵀ·dz (from +0, rows ascending, skipping x(r, i) == 0) and db = Σ_rows dz (from +0, rows ascending).
   *  x: (rows, nIn)  dz: (rows, nOut)  dw: (nIn, nOut)  db: (nOut) */
  paramGrads(x: Float64Array, dz: Float64Array, dw: Float64Array, db: Float64Array, rows: number, nIn: number, nOut: number): void;
  /** dx = dz·wᵀ; each dx(r, i) starts at +0 and adds dz(r, j)·w(i, j) for j ascending.
   *  dz: (rows, nOut)  w: (nIn, nOut)  dx: (rows, nIn) */
  inputGrad(dz: Float64Array, w: Float64Array, dx: Float64Array, rows: number, nIn: number, nOut: number): void;
}
