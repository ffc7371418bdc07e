// The products' `skip` path for src/kernels/wasm.ts (AssemblyScript, used by kernels.ts): terms with A(m, k) == 0 left
// out, as the scalar reference leaves them out, without masks or a branch per term. For each output row m, the k with
// A(m, k) ≠ 0 are listed once (ascending, branch-free), then every column block of that row sums over the list only:
// each output is the same start value plus the same terms in the same ascending order as scalar.ts, one multiply then
// one add. Inputs with many zeros take it: relu outputs (about half zero) into 16 columns or more, MNIST's pixels;
// with masks (v128.bitselect, several instructions without AVX) a product took 2–2.5× the dense one's time. Few
// zeros (digits' three constant input columns) or few output columns take the dense loop where it gives the same
// bits (kernels.ts denseInstead).
// The list lives in this instance's scratch block (setScratch: each thread's instance its own); nothing allocates.

/** This instance's scratch for a list (per listed k, two u32: its byte offsets into A and into B), and how many
 *  k it holds (0: none; then kernels.ts masks). */
let scratch: usize = 0;
let scratchCap: i32 = 0;

/** Gives this instance (this thread) scratch at p for lists of up to `cap` k (8·cap bytes). */
export function setScratch(p: usize, cap: i32): void {
  scratch = p;
  scratchCap = cap;
}

/** This instance's scratch block (8 bytes per k of a list): kernels.ts also marks A's columns with zeros there
 *  before choosing a path (the list, if one is made, is written over it after). */
// @ts-ignore: decorator
@inline export function scratchBlock(): usize {
  return scratch;
}

/** Whether a product over K terms per output can take the listed path here. */
// @ts-ignore: decorator
@inline export function listFits(K: i32): bool {
  return K <= scratchCap;
}

/**
 * V vectors (2V columns) of output row m from column n: out = init + Σ over the listed k of x(k)·B(k, ·).
 * V is a constant at every call (1 to 8): the compiler keeps only the accumulators used.
 */
// @ts-ignore: decorator
@inline function pass(ap: usize, list: usize, nk: i32, bn: usize, init: usize, op: usize, V: i32): void {
  const z = f64x2.splat(0);
  let c0 = init ? v128.load(init) : z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
  if (V > 1) c1 = init ? v128.load(init, 16) : z;
  if (V > 2) c2 = init ? v128.load(init, 32) : z;
  if (V > 3) c3 = init ? v128.load(init, 48) : z;
  if (V > 4) c4 = init ? v128.load(init, 64) : z;
  if (V > 5) c5 = init ? v128.load(init, 80) : z;
  if (V > 6) c6 = init ? v128.load(init, 96) : z;
  if (V > 7) c7 = init ? v128.load(init, 112) : z;
  for (let t = 0; t < nk; t++) {
    const e = list + (<usize>t << 3);
    const x = v128.load64_splat(ap + load<u32>(e));
    const bp = bn + load<u32>(e, 4);
    c0 = f64x2.add(c0, f64x2.mul(x, v128.load(bp)));
    if (V > 1) c1 = f64x2.add(c1, f64x2.mul(x, v128.load(bp, 16)));
    if (V > 2) c2 = f64x2.add(c2, f64x2.mul(x, v128.load(bp, 32)));
    if (V > 3) c3 = f64x2.add(c3, f64x2.mul(x, v128.load(bp, 48)));
    if (V > 4) c4 = f64x2.add(c4, f64x2.mul(x, v128.load(bp, 64)));
    if (V > 5) c5 = f64x2.add(c5, f64x2.mul(x, v128.load(bp, 80)));
    if (V > 6) c6 = f64x2.add(c6, f64x2.mul(x, v128.load(bp, 96)));
    if (V > 7) c7 = f64x2.add(c7, f64x2.mul(x, v128.load(bp, 112)));
  }
  v128.store(op, c0);
  if (V > 1) v128.store(op, c1, 16);
  if (V > 2) v128.store(op, c2, 32);
  if (V > 3) v128.store(op, c3, 48);
  if (V > 4) v128.store(op, c4, 64);
  if (V > 5) v128.store(op, c5, 80);
  if (V > 6) v128.store(op, c6, 96);
  if (V > 7) v128.store(op, c7, 112);
}

/** block4Of with one row of start values for all four rows (at init; 0: +0). */
function block4(a: usize, sm8: usize, sk8: usize, b: usize, init: usize, out: usize, m0: i32, N: i32, list: usize, nk: i32): void {
  block4Of(a, sm8, sk8, b, init, 0, out, m0, N, list, nk);
}

/** block4Of with each row's own start values, `is` bytes apart from init on. */
function block4Rows(a: usize, sm8: usize, sk8: usize, b: usize, init: usize, is: usize, out: usize, m0: i32, N: i32, list: usize, nk: i32): void {
  block4Of(a, sm8, sk8, b, init, is, out, m0, N, list, nk);
}

/**
 * Rows m0 … m0+3 of out over the listed k, none of whose four x is zero (so no term of these rows is left out of the
 * list): 4 rows × 4 columns in eight accumulators as kernels.ts's dense loop, then a pair and a single column. Row
 * m0's start values are at init (0: +0), each next row's `is` bytes further (is = 0: the same ones). Inlined into
 * block4 (is a constant 0: the loads of the other rows' start values compile away) and block4Rows.
 */
// @ts-ignore: decorator
@inline function block4Of(a: usize, sm8: usize, sk8: usize, b: usize, init: usize, is: usize, out: usize, m0: i32, N: i32, list: usize, nk: i32): void {
  const n8 = <usize>N << 3;
  const am = a + <usize>m0 * sm8;
  const o0 = out + ((<usize>m0 * N) << 3);
  const z = f64x2.splat(0);
  let n = 0;
  for (; n + 4 <= N; n += 4) {
    const nb = <usize>n << 3;
    let c00 = init ? v128.load(init + nb) : z, c01 = init ? v128.load(init + nb, 16) : z;
    let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    if (is) {
      c10 = v128.load(init + is + nb); c11 = v128.load(init + is + nb, 16);
      c20 = v128.load(init + 2 * is + nb); c21 = v128.load(init + 2 * is + nb, 16);
      c30 = v128.load(init + 3 * is + nb); c31 = v128.load(init + 3 * is + nb, 16);
    }
    for (let t = 0; t < nk; t++) {
      const e = list + (<usize>t << 3);
      const ap = am + load<u32>(e), bp = b + load<u32>(e, 4) + nb;
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      const x0 = v128.load64_splat(ap), x1 = v128.load64_splat(ap + sm8);
      const x2 = v128.load64_splat(ap + 2 * sm8), x3 = v128.load64_splat(ap + 3 * sm8);
      c00 = f64x2.add(c00, f64x2.mul(x0, b0)); c01 = f64x2.add(c01, f64x2.mul(x0, b1));
      c10 = f64x2.add(c10, f64x2.mul(x1, b0)); c11 = f64x2.add(c11, f64x2.mul(x1, b1));
      c20 = f64x2.add(c20, f64x2.mul(x2, b0)); c21 = f64x2.add(c21, f64x2.mul(x2, b1));
      c30 = f64x2.add(c30, f64x2.mul(x3, b0)); c31 = f64x2.add(c31, f64x2.mul(x3, b1));
    }
    const op = o0 + nb;
    v128.store(op, c00); v128.store(op, c01, 16);
    v128.store(op + n8, c10); v128.store(op + n8, c11, 16);
    v128.store(op + 2 * n8, c20); v128.store(op + 2 * n8, c21, 16);
    v128.store(op + 3 * n8, c30); v128.store(op + 3 * n8, c31, 16);
  }
  if (n + 2 <= N) {
    const nb = <usize>n << 3;
    let c0 = init ? v128.load(init + nb) : z;
    let c1 = c0, c2 = c0, c3 = c0;
    if (is) {
      c1 = v128.load(init + is + nb); c2 = v128.load(init + 2 * is + nb); c3 = v128.load(init + 3 * is + nb);
    }
    for (let t = 0; t < nk; t++) {
      const e = list + (<usize>t << 3);
      const ap = am + load<u32>(e);
      const b0 = v128.load(b + load<u32>(e, 4) + nb);
      c0 = f64x2.add(c0, f64x2.mul(v128.load64_splat(ap), b0));
      c1 = f64x2.add(c1, f64x2.mul(v128.load64_splat(ap + sm8), b0));
      c2 = f64x2.add(c2, f64x2.mul(v128.load64_splat(ap + 2 * sm8), b0));
      c3 = f64x2.add(c3, f64x2.mul(v128.load64_splat(ap + 3 * sm8), b0));
    }
    const op = o0 + nb;
    v128.store(op, c0); v128.store(op + n8, c1); v128.store(op + 2 * n8, c2); v128.store(op + 3 * n8, c3);
    n += 2;
  }
  if (n < N) {
    const nb = <usize>n << 3;
    let c0: f64 = init ? load<f64>(init + nb) : 0;
    let c1 = c0, c2 = c0, c3 = c0;
    if (is) {
      c1 = load<f64>(init + is + nb); c2 = load<f64>(init + 2 * is + nb); c3 = load<f64>(init + 3 * is + nb);
    }
    for (let t = 0; t < nk; t++) {
      const e = list + (<usize>t << 3);
      const ap = am + load<u32>(e);
      const bk = load<f64>(b + load<u32>(e, 4) + nb);
      c0 += load<f64>(ap) * bk;
      c1 += load<f64>(ap + sm8) * bk;
      c2 += load<f64>(ap + 2 * sm8) * bk;
      c3 += load<f64>(ap + 3 * sm8) * bk;
    }
    const op = o0 + nb;
    store<f64>(op, c0); store<f64>(op + n8, c1); store<f64>(op + 2 * n8, c2); store<f64>(op + 3 * n8, c3);
  }
}

/** Output row m over the k of its own nonzero terms (listed at `list`, ascending); its start values at init (0: +0). */
function row(a: usize, sm8: usize, sk8: usize, b: usize, init: usize, out: usize, m: i32, K: i32, N: i32, list: usize): void {
  const n8 = <usize>N << 3;
  const ap = a + <usize>m * sm8;
  // The k of nonzero terms, ascending: each k is written, and kept (the count moves on) only where A(m, k) ≠ 0.
  let nk = 0;
  // Each entry is one u64, the two offsets moving on together (A's in the low word, B's in the high one).
  const step = (<u64>n8 << 32) | <u64>sk8;
  let off: u64 = 0;
  for (let k = 0; k < K; k++) {
    store<u64>(list + (<usize>nk << 3), off);
    nk += <i32>(load<f64>(ap + <usize>(<u32>off)) != 0);
    off += step;
  }
  const orow = out + ((<usize>m * N) << 3);
  let n = 0;
  for (; n + 16 <= N; n += 16) pass(ap, list, nk, b + (<usize>n << 3), init ? init + (<usize>n << 3) : 0, orow + (<usize>n << 3), 8);
  // The remaining pairs of columns in one pass (digits' 10 outputs: one pass of 5, not one of 4 and one of 1).
  const bn = b + (<usize>n << 3), ini = init ? init + (<usize>n << 3) : 0, op = orow + (<usize>n << 3);
  switch ((N - n) >> 1) {
    case 7: pass(ap, list, nk, bn, ini, op, 7); break;
    case 6: pass(ap, list, nk, bn, ini, op, 6); break;
    case 5: pass(ap, list, nk, bn, ini, op, 5); break;
    case 4: pass(ap, list, nk, bn, ini, op, 4); break;
    case 3: pass(ap, list, nk, bn, ini, op, 3); break;
    case 2: pass(ap, list, nk, bn, ini, op, 2); break;
    case 1: pass(ap, list, nk, bn, ini, op, 1); break;
  }
  n = N & ~1; // n was even: every pair is done
  if (n < N) {
    let c: f64 = init ? load<f64>(init + (<usize>n << 3)) : 0;
    for (let t = 0; t < nk; t++) {
      const e = list + (<usize>t << 3);
      c += load<f64>(ap + load<u32>(e)) * load<f64>(b + load<u32>(e, 4) + (<usize>n << 3));
    }
    store<f64>(orow + (<usize>n << 3), c);
  }
}

/**
 * out(m, n) = init(n) + Σ_k A(m, k)·B(k, n) over k ascending with A(m, k) ≠ 0 (either zero left out; NaN is not zero),
 * A(m, k) = a[m·sm + k·sk], B (K, N) row-major, init = 0: from +0. Needs listFits(K). Rows go four at a time where
 * every k is zero in all four or in none (constant input columns: one list, the dense 4×4 loop over it), else one at
 * a time over each row's own list (relu outputs).
 */
export function gemmListed(a: usize, sm: i32, sk: i32, b: usize, init: usize, out: usize, M: i32, K: i32, N: i32): void {
  gemmListedOf(a, sm, sk, b, init, 0, out, M, K, N);
}

/** gemmListed where every out(m, n) continues from its own value instead of init(n) (Kernels.paramGrads' accumulate). */
export function gemmListedOnto(a: usize, sm: i32, sk: i32, b: usize, out: usize, M: i32, K: i32, N: i32): void {
  gemmListedOf(a, sm, sk, b, out, <usize>N << 3, out, M, K, N);
}

/** gemmListed with row m's start values at init + m·is bytes (is = 0: init's one row for all). */
// @ts-ignore: decorator
@inline function gemmListedOf(a: usize, sm: i32, sk: i32, b: usize, init: usize, is: usize, out: usize, M: i32, K: i32, N: i32): void {
  const sm8 = <usize>sm << 3, sk8 = <usize>sk << 3, n8 = <usize>N << 3;
  const list = scratch;
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const ap = a + <usize>m * sm8;
    // The k where any of the four is nonzero, until some k has a zero among nonzeros (then rows one at a time).
    let nk = 0, mixed = 0;
    for (let k = 0; k < K && !mixed; k++) {
      const p = ap + <usize>k * sk8;
      const nz = <i32>(load<f64>(p) != 0) + <i32>(load<f64>(p + sm8) != 0) + <i32>(load<f64>(p + 2 * sm8) != 0) + <i32>(load<f64>(p + 3 * sm8) != 0);
      store<u64>(list + (<usize>nk << 3), (<u64>(<usize>k * n8) << 32) | <u64>(<usize>k * sk8));
      nk += <i32>(nz != 0);
      mixed |= <i32>(nz != 0) & <i32>(nz != 4);
    }
    const im = init ? init + <usize>m * is : 0; // row m's start values
    if (mixed) for (let r = m; r < m + 4; r++) row(a, sm8, sk8, b, im ? im + <usize>(r - m) * is : 0, out, r, K, N, list);
    else if (is) block4Rows(a, sm8, sk8, b, im, is, out, m, N, list, nk);
    else block4(a, sm8, sk8, b, im, out, m, N, list, nk);
  }
  for (; m < M; m++) row(a, sm8, sk8, b, init ? init + <usize>m * is : 0, out, m, K, N, list);
}
