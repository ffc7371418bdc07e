// WebAssembly SIMD (f64x2) matrix products for src/kernels/wasm.ts, compiled by AssemblyScript (npm run build:wasm).
// Every output element is summed exactly as the scalar reference (src/kernels/scalar.ts) sums it: same start value,
// same terms in the same ascending order, one multiply then one add (wasm has no fused multiply-add here, and
// nothing is reassociated). The vectors and the register blocks run across independent output elements only.
// The optimizers' updates are in updates.ts. All pointers are byte offsets into the imported shared memory;
// nothing here allocates.

import { gemmListed, gemmListedOnto, listFits, scratchBlock } from './sparse';

/** c + x·b, or c unchanged where x is ±0 and the scalar code skips the term (`skip`). m: lanes where x ≠ 0. */
// @ts-ignore: decorator
@inline function upd(c: v128, x: v128, m: v128, b: v128, skip: bool): v128 {
  const s = f64x2.add(c, f64x2.mul(x, b));
  return skip ? v128.bitselect(s, c, m) : s;
}

// @ts-ignore: decorator
@inline function start(init: usize, n: i32): v128 {
  return init ? v128.load(init + (<usize>n << 3)) : f64x2.splat(0);
}

/** The start of out(m, n): init's value (or +0), or with `acc` the value already in out there. */
// @ts-ignore: decorator
@inline function one(init: usize, out: usize, m: i32, N: i32, n: i32, acc: bool): f64 {
  return acc ? load<f64>(out + ((<usize>m * N + n) << 3)) : init ? load<f64>(init + (<usize>n << 3)) : 0;
}

/** The start of out(m, n) and out(m, n + 1): init's pair (or +0), or with `acc` the pair already in out there. */
// @ts-ignore: decorator
@inline function from(init: usize, out: usize, m: i32, N: i32, n: i32, acc: bool): v128 {
  return acc ? v128.load(out + ((<usize>m * N + n) << 3)) : start(init, n);
}

/**
 * out(m, n) = init(n) + Σ_k A(m, k)·B(k, n), k ascending, where A(m, k) = a[m·sm + k·sk] and B is (K, N) row-major;
 * init = 0 starts every sum at +0; with `acc` every sum continues from the value in out(m, n) (init unused). With `skip`, terms with A(m, k) == 0 (either sign) are left out, as the scalar code,
 * by masks: only for sums longer than sparse.ts's lists hold, which leave those terms out faster (2× here).
 */
// @ts-ignore: decorator
@inline function gemm(a: usize, sm: i32, sk: i32, b: usize, init: usize, out: usize, M: i32, K: i32, N: i32, skip: bool, acc: bool): void {
  const zero = f64x2.splat(0);
  const sm8 = <usize>sm << 3;
  const sk8 = <usize>sk << 3;
  const n8 = <usize>N << 3;
  let n0 = 0;
  for (; n0 + 4 <= N; n0 += 4) {
    let m0 = 0;
    // 4 rows × 4 columns in eight f64x2 accumulators.
    for (; m0 + 4 <= M; m0 += 4) {
      let c00 = from(init, out, m0, N, n0, acc), c01 = from(init, out, m0, N, n0 + 2, acc);
      let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
      if (acc) {
        c10 = from(init, out, m0 + 1, N, n0, acc); c11 = from(init, out, m0 + 1, N, n0 + 2, acc);
        c20 = from(init, out, m0 + 2, N, n0, acc); c21 = from(init, out, m0 + 2, N, n0 + 2, acc);
        c30 = from(init, out, m0 + 3, N, n0, acc); c31 = from(init, out, m0 + 3, N, n0 + 2, acc);
      }
      let ap = a + <usize>m0 * sm8;
      let bp = b + (<usize>n0 << 3);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        // load64_splat: one load-and-duplicate instruction per x.
        const x0 = v128.load64_splat(ap), x1 = v128.load64_splat(ap + sm8);
        const x2 = v128.load64_splat(ap + 2 * sm8), x3 = v128.load64_splat(ap + 3 * sm8);
        // With skip, every term is computed and kept only where x ≠ 0 (masks, no branch on the data).
        const m0v = f64x2.ne(x0, zero), m1v = f64x2.ne(x1, zero), m2v = f64x2.ne(x2, zero), m3v = f64x2.ne(x3, zero);
        c00 = upd(c00, x0, m0v, b0, skip); c01 = upd(c01, x0, m0v, b1, skip);
        c10 = upd(c10, x1, m1v, b0, skip); c11 = upd(c11, x1, m1v, b1, skip);
        c20 = upd(c20, x2, m2v, b0, skip); c21 = upd(c21, x2, m2v, b1, skip);
        c30 = upd(c30, x3, m3v, b0, skip); c31 = upd(c31, x3, m3v, b1, skip);
        ap += sk8;
        bp += n8;
      }
      const op = out + ((<usize>m0 * N + n0) << 3);
      v128.store(op, c00); v128.store(op, c01, 16);
      v128.store(op + n8, c10); v128.store(op + n8, c11, 16);
      v128.store(op + 2 * n8, c20); v128.store(op + 2 * n8, c21, 16);
      v128.store(op + 3 * n8, c30); v128.store(op + 3 * n8, c31, 16);
    }
    // Leftover rows, one at a time.
    for (; m0 < M; m0++) {
      let c0 = from(init, out, m0, N, n0, acc), c1 = from(init, out, m0, N, n0 + 2, acc);
      let ap = a + <usize>m0 * sm8;
      let bp = b + (<usize>n0 << 3);
      for (let k = 0; k < K; k++) {
        const x = f64x2.splat(load<f64>(ap));
        const mv = f64x2.ne(x, zero);
        c0 = upd(c0, x, mv, v128.load(bp), skip);
        c1 = upd(c1, x, mv, v128.load(bp, 16), skip);
        ap += sk8;
        bp += n8;
      }
      const op = out + ((<usize>m0 * N + n0) << 3);
      v128.store(op, c0); v128.store(op, c1, 16);
    }
  }
  // Leftover columns: a pair, then a single one; four rows at a time (four independent sums, as the 4 × 4 block),
  // then the rows left one at a time. One row at a time, each k's add waited for the one before: a 10-unit output
  // layer's last pair, or a single output (regression), ran at a fraction of the block's rate.
  if (n0 + 2 <= N) {
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      let c0 = from(init, out, m, N, n0, acc), c1 = from(init, out, m + 1, N, n0, acc);
      let c2 = from(init, out, m + 2, N, n0, acc), c3 = from(init, out, m + 3, N, n0, acc);
      let ap = a + <usize>m * sm8;
      let bp = b + (<usize>n0 << 3);
      for (let k = 0; k < K; k++) {
        const bv = v128.load(bp);
        const x0 = v128.load64_splat(ap), x1 = v128.load64_splat(ap + sm8);
        const x2 = v128.load64_splat(ap + 2 * sm8), x3 = v128.load64_splat(ap + 3 * sm8);
        c0 = upd(c0, x0, f64x2.ne(x0, zero), bv, skip);
        c1 = upd(c1, x1, f64x2.ne(x1, zero), bv, skip);
        c2 = upd(c2, x2, f64x2.ne(x2, zero), bv, skip);
        c3 = upd(c3, x3, f64x2.ne(x3, zero), bv, skip);
        ap += sk8;
        bp += n8;
      }
      const op = out + ((<usize>m * N + n0) << 3);
      v128.store(op, c0); v128.store(op + n8, c1); v128.store(op + 2 * n8, c2); v128.store(op + 3 * n8, c3);
    }
    for (; m < M; m++) {
      let c = from(init, out, m, N, n0, acc);
      let ap = a + <usize>m * sm8;
      let bp = b + (<usize>n0 << 3);
      for (let k = 0; k < K; k++) {
        const x = f64x2.splat(load<f64>(ap));
        c = upd(c, x, f64x2.ne(x, zero), v128.load(bp), skip);
        ap += sk8;
        bp += n8;
      }
      v128.store(out + ((<usize>m * N + n0) << 3), c);
    }
    n0 += 2;
  }
  if (n0 < N) {
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      let c0 = one(init, out, m, N, n0, acc), c1 = one(init, out, m + 1, N, n0, acc);
      let c2 = one(init, out, m + 2, N, n0, acc), c3 = one(init, out, m + 3, N, n0, acc);
      let ap = a + <usize>m * sm8;
      let bp = b + (<usize>n0 << 3);
      for (let k = 0; k < K; k++) {
        const bk = load<f64>(bp);
        const x0 = load<f64>(ap), x1 = load<f64>(ap + sm8), x2 = load<f64>(ap + 2 * sm8), x3 = load<f64>(ap + 3 * sm8);
        if (!skip || x0 != 0) c0 += x0 * bk;
        if (!skip || x1 != 0) c1 += x1 * bk;
        if (!skip || x2 != 0) c2 += x2 * bk;
        if (!skip || x3 != 0) c3 += x3 * bk;
        ap += sk8;
        bp += n8;
      }
      const op = out + ((<usize>m * N + n0) << 3);
      store<f64>(op, c0); store<f64>(op + n8, c1); store<f64>(op + 2 * n8, c2); store<f64>(op + 3 * n8, c3);
    }
    for (; m < M; m++) {
      let c = one(init, out, m, N, n0, acc);
      let ap = a + <usize>m * sm8;
      let bp = b + (<usize>n0 << 3);
      for (let k = 0; k < K; k++) {
        const x = load<f64>(ap);
        if (!skip || x != 0) c += x * load<f64>(bp);
        ap += sk8;
        bp += n8;
      }
      store<f64>(out + ((<usize>m * N + n0) << 3), c);
    }
  }
}

/** out = x·w + b, skipping x == 0.  x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut) */
export function affine(x: usize, w: usize, b: usize, out: usize, rows: i32, nIn: i32, nOut: i32): void {
  product(x, nIn, 1, w, b, out, rows, nIn, nOut, false, true);
}

/** Rows i0 ≤ i < i1 of dw = xᵀ·dz from +0, skipping x == 0.  x: (rows, nIn)  dz: (rows, nOut)  dw: (nIn, nOut) */
export function weightGrad(x: usize, dz: usize, dw: usize, rows: i32, nIn: i32, nOut: i32, i0: i32, i1: i32): void {
  weightGradPart(x, dz, dw, rows, nIn, nOut, i0, i1, false);
}

/** weightGrad continuing every sum from the value in dw (Kernels.paramGrads' `accumulate`). */
export function weightGradOnto(x: usize, dz: usize, dw: usize, rows: i32, nIn: i32, nOut: i32, i0: i32, i1: i32): void {
  weightGradPart(x, dz, dw, rows, nIn, nOut, i0, i1, true);
}

/** Rows i0 ≤ i < i1 of dw = xᵀ·dz, from +0 or (`acc`) from dw's values, skipping x == 0. */
// @ts-ignore: decorator
@inline function weightGradPart(x: usize, dz: usize, dw: usize, rows: i32, nIn: i32, nOut: i32, i0: i32, i1: i32, acc: bool): void {
  const xi = x + (<usize>i0 << 3);
  const dwi = dw + ((<usize>i0 * nOut) << 3);
  product(xi, 1, nIn, dz, 0, dwi, i1 - i0, rows, nOut, acc, true); // A = xᵀ's rows i0 ≤ i < i1
}

/** Whether any of the n values at p is ±0. */
function hasZero(p: usize, n: i32): bool {
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) if (v128.any_true(f64x2.eq(v128.load(p + (<usize>i << 3)), zero))) return true;
  return i < n && load<f64>(p + (<usize>i << 3)) == 0;
}

// Row-range forms for the helper threads (src/kernels/threads.ts): every one takes six arguments, then the range
// lo ≤ · < hi of the rows (or values) it computes. Rows are whole output rows: any split gives the same bits.

/** Rows r0 ≤ r < r1 of out = x·w + b. */
export function affineRows(x: usize, w: usize, b: usize, out: usize, nIn: i32, nOut: i32, r0: i32, r1: i32): void {
  affine(x + ((<usize>r0 * nIn) << 3), w, b, out + ((<usize>r0 * nOut) << 3), r1 - r0, nIn, nOut);
}

/** Rows r0 ≤ r < r1 of dx = dz·wᵀ (through wT).  The sixth argument is unused. */
export function inputGradRows(dz: usize, wT: usize, dx: usize, nIn: i32, nOut: i32, _: i32, r0: i32, r1: i32): void {
  inputGrad(dz + ((<usize>r0 * nOut) << 3), wT, dx + ((<usize>r0 * nIn) << 3), r1 - r0, nIn, nOut);
}

/** dx = dz·wᵀ from +0, through wT = wᵀ so each sum still runs over the units in order.  dz: (rows, nOut)  wT: (nOut, nIn)  dx: (rows, nIn) */
export function inputGrad(dz: usize, wT: usize, dx: usize, rows: i32, nIn: i32, nOut: i32): void {
  product(dz, nOut, 1, wT, 0, dx, rows, nOut, nIn, false, false);
}

// Large products in blocks. Each 4 × 4 block of outputs reads its rows of A over all k, and the next four columns
// read them again: an A larger than the cache came from memory once for every four columns (2048-wide layers:
// 2.9–4.2 GFLOP/s on one thread against about 15 for 256-wide, docs/performance.md). So a product whose A takes
// more than BLOCK_FROM bytes goes in blocks of BLOCK_ROWS rows of A (and out), and within each, BLOCK_K k at a time:
// that block of A (BLOCK_ROWS × BLOCK_K) stays in the first-level cache across all columns and those rows of out in
// the second across the k blocks. The k blocks after the first continue every sum from out (gemm's `acc`,
// gemmListedOnto): each out(m, n) still starts from the same value and adds the same terms in ascending k, so the
// bits are one pass's. Each block takes the path its own zeros call for (dense, listed, masked: the same sums).
const BLOCK_FROM: usize = 1 << 20;
const BLOCK_ROWS: i32 = 64;
const BLOCK_K: i32 = 64;

/** Whether a product whose A has M rows of K values goes in blocks. */
// @ts-ignore: decorator
@inline function large(M: i32, K: i32): bool {
  return ((<usize>M * <usize>K) << 3) > BLOCK_FROM;
}

/**
 * out = init + A·B (or out + A·B with `acc`), A(m, k) = a[m·sm + k·sk]; `skip`: A's zero terms left out. In blocks
 * (above) when large, else in one pass on the path A's zeros call for. The products' one entry: affine, weightGrad, inputGrad.
 */
function product(a: usize, sm: i32, sk: i32, b: usize, init: usize, out: usize, M: i32, K: i32, N: i32, acc: bool, skip: bool): void {
  if (large(M, K)) blocked(a, sm, sk, b, init, out, M, K, N, acc, skip);
  else blockPart(a, sm, sk, b, init, out, M, K, N, acc, skip);
}

/** product() in blocks (above). */
function blocked(a: usize, sm: i32, sk: i32, b: usize, init: usize, out: usize, M: i32, K: i32, N: i32, acc: bool, skip: bool): void {
  const sm8 = <usize>sm << 3, sk8 = <usize>sk << 3, n8 = <usize>N << 3;
  // NOTE: A's rows contiguous (affine, inputGrad) and few columns (a 10-unit output): A is read again only a few times,
  // and k blocks would only list each row's nonzero terms anew per block (+14% for 2000 × 100 → 10 with half zeros):
  // blocks of rows alone. Measured on one thread, medians of 7, same sitting (unblocked / k blocks / rows alone):
  // affine 2000 × 100 → 10, half zeros, 441 / 486 / 433 µs; 1437 × 100 → 1: 243 / 297 / 243; paramGrads 2000 × 100 →
  // 10 (A = xᵀ, strided: k blocks pay) 562 / 471 / 470; inputGrad 20000 × 10 → 64: 4169 / 2048 / 2034.
  const kStep = N < 32 && sk == 1 ? K : BLOCK_K;
  for (let m = 0; m < M; m += BLOCK_ROWS) {
    const mn = min(BLOCK_ROWS, M - m);
    for (let k = 0; k < K; k += kStep) {
      const kn = min(kStep, K - k);
      const first = k == 0;
      blockPart(a + <usize>m * sm8 + <usize>k * sk8, sm, sk, b + <usize>k * n8, first ? init : 0, out + <usize>m * n8, mn, kn, N, acc || !first, skip);
    }
  }
}

/** One block of blocked(), or a whole product under the threshold: dense where A has no zero (or `skip` is off: the
 *  same sums, no checks), or where the dense sums are the skipped ones (denseInstead), else listed where the list fits,
 *  else masked. */
function blockPart(a: usize, sm: i32, sk: i32, b: usize, init: usize, out: usize, M: i32, K: i32, N: i32, acc: bool, skip: bool): void {
  if (skip && zeroIn(a, sm, sk, M, K) && !denseInstead(a, sm, sk, b, init, out, M, K, N, acc)) {
    if (listFits(K)) {
      if (acc) gemmListedOnto(a, sm, sk, b, out, M, K, N);
      else gemmListed(a, sm, sk, b, init, out, M, K, N);
    } else if (acc) gemm(a, sm, sk, b, init, out, M, K, N, true, true);
    else gemm(a, sm, sk, b, init, out, M, K, N, true, false);
  } else if (acc) gemm(a, sm, sk, b, init, out, M, K, N, false, true);
  else gemm(a, sm, sk, b, init, out, M, K, N, false, false);
}

// The dense loop even where A has zeros, when it gives the skipped sums' bits and is the faster. A skipped term is
// x·b with x = ±0; for a finite b it is ±0, and adding ±0 leaves every sum as it was except −0 (−0 + +0 is +0). A sum
// that does not start at −0 never becomes −0 (in round-to-nearest x + y is −0 only when both are): so where every
// B(k, n) of a k with a zero in A is finite and no start value is −0, each dense sum is the skipped one, bit for bit,
// term by term (held by test/kernels/dense-zeros-bits.test.ts). Faster: with under 16 output columns (each row's list
// is read for a few columns only), and where at most one A value in FEW_ZEROS is zero (the lists' loads and
// addresses cost more than the terms they leave out). Measured on one thread, 32 rows, medians: half the inputs zero
// at random (relu) into 1 to 12 columns, listed 1.3–2.6× dense's time (1 column 3.9 against 1.5 µs, 10 columns 4.3
// against 3.4), about the same at 16–24, less from 32 columns on (64: 27 against 32 µs); whole zero columns into 128
// units, 64 inputs: 1 in 21 or 1 in 8 zero, listed 1.14× and 1.08× dense's time, 1 in 5 1.07×, 1 in 4 0.94×, 1 in 3
// 0.81× (affine; paramGrads, whose A is xᵀ, about 0.1 more). Under 8 rows the checks would cost about the product.
const DENSE_BELOW: i32 = 16;
const FEW_ZEROS: i32 = 6;

/** Whether the dense loop is to take this product although A has zeros (above): where it is the faster (M, N, the
 *  zeros' share) and gives the same bits (no −0 start; B finite where A's columns have a zero). */
function denseInstead(a: usize, sm: i32, sk: i32, b: usize, init: usize, out: usize, M: i32, K: i32, N: i32, acc: bool): bool {
  if (M < 8) return false;
  if (acc ? hasNegZero(out, M * N) : init != 0 && hasNegZero(init, N)) return false;
  if (N < DENSE_BELOW) return <bool>allFinite(b, K * N); // all of B: the zeros' columns are not looked for
  if (!listFits(K)) return false; // the marks take the list's scratch
  const marks = scratchBlock();
  return fewZeros(a, sm, sk, M, K, marks) && markedFinite(b, marks, K, N);
}

/** Whether at most M·K / FEW_ZEROS values of A are ±0; if so, marks[k] (an i64) is nonzero where column k has one. */
function fewZeros(a: usize, sm: i32, sk: i32, M: i32, K: i32, marks: usize): bool {
  const most: i64 = (<i64>M * <i64>K) / FEW_ZEROS;
  const zero = f64x2.splat(0);
  const sm8 = <usize>sm << 3, sk8 = <usize>sk << 3;
  let zeros: i64 = 0;
  if (sk == 1) {
    // A's rows contiguous: two columns at a time down the rows.
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      let col = i64x2.splat(0), n = i64x2.splat(0);
      for (let m = 0; m < M; m++) {
        const e = f64x2.eq(v128.load(a + <usize>m * sm8 + (<usize>k << 3)), zero);
        col = v128.or(col, e);
        n = i64x2.sub(n, e); // e is −1 in a zero's lane
      }
      v128.store(marks + (<usize>k << 3), col);
      zeros += i64x2.extract_lane(n, 0) + i64x2.extract_lane(n, 1);
      if (zeros > most) return false;
    }
    if (k < K) {
      let col: i64 = 0;
      for (let m = 0; m < M; m++) col += <i64>(load<f64>(a + <usize>m * sm8 + (<usize>k << 3)) == 0);
      store<i64>(marks + (<usize>k << 3), col);
      zeros += col;
    }
  } else {
    // A's columns contiguous (xᵀ): each column in pairs of rows.
    for (let k = 0; k < K; k++) {
      const p = a + <usize>k * sk8;
      let n = i64x2.splat(0);
      let m = 0;
      for (; m + 2 <= M; m += 2) n = i64x2.sub(n, f64x2.eq(v128.load(p + (<usize>m << 3)), zero));
      let col = i64x2.extract_lane(n, 0) + i64x2.extract_lane(n, 1);
      if (m < M) col += <i64>(load<f64>(p + (<usize>m << 3)) == 0);
      store<i64>(marks + (<usize>k << 3), col);
      zeros += col;
      if (zeros > most) return false;
    }
  }
  return zeros <= most;
}

/** Whether every B(k, ·) of a marked k is finite.  B: (K, N) */
function markedFinite(b: usize, marks: usize, K: i32, N: i32): bool {
  const n8 = <usize>N << 3;
  for (let k = 0; k < K; k++) if (load<i64>(marks + (<usize>k << 3)) != 0 && !allFinite(b + <usize>k * n8, N)) return false;
  return true;
}

/** Whether any of the n values at p is −0 (its bits: only the sign bit set). */
function hasNegZero(p: usize, n: i32): bool {
  const negZero = i64x2.splat(<i64>0x8000000000000000);
  let i = 0;
  for (; i + 2 <= n; i += 2) if (v128.any_true(i64x2.eq(v128.load(p + (<usize>i << 3)), negZero))) return true;
  return i < n && load<u64>(p + (<usize>i << 3)) == 0x8000000000000000;
}

/** Whether any A(m, k), m < M, k < K, is ±0 (A's rows or its columns contiguous: sk or sm is 1). */
function zeroIn(a: usize, sm: i32, sk: i32, M: i32, K: i32): bool {
  if (sk == 1) {
    for (let m = 0; m < M; m++) if (hasZero(a + ((<usize>m * sm) << 3), K)) return true;
  } else {
    for (let k = 0; k < K; k++) if (hasZero(a + ((<usize>k * sk) << 3), M)) return true;
  }
  return false;
}

/** db = Σ_rows dz from +0, or with `acc` from db's values, rows in order.  dz: (rows, nOut)  db: (nOut) */
export function biasGrad(dz: usize, db: usize, rows: i32, nOut: i32, acc: bool): void {
  const n8 = <usize>nOut << 3;
  const z = f64x2.splat(0);
  let j = 0;
  // Eight columns at a time in four sums side by side: one pair's sum alone waits for each add before the next.
  for (; j + 8 <= nOut; j += 8) {
    const o = db + (<usize>j << 3);
    let c0 = acc ? v128.load(o) : z, c1 = acc ? v128.load(o, 16) : z, c2 = acc ? v128.load(o, 32) : z, c3 = acc ? v128.load(o, 48) : z;
    let p = dz + (<usize>j << 3);
    for (let r = 0; r < rows; r++) {
      c0 = f64x2.add(c0, v128.load(p)); c1 = f64x2.add(c1, v128.load(p, 16));
      c2 = f64x2.add(c2, v128.load(p, 32)); c3 = f64x2.add(c3, v128.load(p, 48));
      p += n8;
    }
    v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
  }
  for (; j + 2 <= nOut; j += 2) {
    let c = acc ? v128.load(db + (<usize>j << 3)) : z;
    for (let r = 0; r < rows; r++) c = f64x2.add(c, v128.load(dz + ((<usize>r * nOut + j) << 3)));
    v128.store(db + (<usize>j << 3), c);
  }
  if (j < nOut) {
    let c: f64 = acc ? load<f64>(db + (<usize>j << 3)) : 0;
    for (let r = 0; r < rows; r++) c += load<f64>(dz + ((<usize>r * nOut + j) << 3));
    store<f64>(db + (<usize>j << 3), c);
  }
}

/** wT = wᵀ.  w: (nIn, nOut)  wT: (nOut, nIn) */
export function transpose(w: usize, wT: usize, nIn: i32, nOut: i32): void {
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) store<f64>(wT + ((<usize>j * nIn + i) << 3), load<f64>(w + ((<usize>i * nOut + j) << 3)));
  }
}

export { setScratch } from './sparse';

// The optimizers' element-wise updates.
export { sgd, adam, adamRange, rmsprop, adagrad } from './updates';

// Element-wise activations.
export { tanh, tanhRange, tanhBackward, dataEnd } from './tanh';
export { rectify, rectifyBackward } from './rectify';
export { gather } from './gather';
export { softmax, expOne, expInto } from './softmax'; // expOne, expInto: for their bit test against Math.exp

/** 1 if all n values at a are finite, else 0: x − x is +0 for finite x and NaN otherwise, so the OR of the
 *  differences' bits is 0 exactly when all are finite (no dependency between elements, unlike a sum). */
export function allFinite(a: usize, n: i32): i32 {
  let acc = v128.splat<i64>(0), acc1 = acc;
  let i = 0;
  // Eight values a turn into two ORs (one load, subtract and OR a pair left the loop's count and branch the most work).
  for (; i + 8 <= n; i += 8) {
    const p = a + (<usize>i << 3);
    const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
    acc = v128.or(acc, v128.or(f64x2.sub(x0, x0), f64x2.sub(x1, x1)));
    acc1 = v128.or(acc1, v128.or(f64x2.sub(x2, x2), f64x2.sub(x3, x3)));
  }
  acc = v128.or(acc, acc1);
  for (; i + 2 <= n; i += 2) {
    const x = v128.load(a + (<usize>i << 3));
    acc = v128.or(acc, f64x2.sub(x, x));
  }
  let tail: i64 = 0;
  if (i < n) {
    const x = load<f64>(a + (<usize>i << 3));
    tail = reinterpret<i64>(x - x);
  }
  return <i32>((i64x2.extract_lane(acc, 0) | i64x2.extract_lane(acc, 1) | tail) == 0);
}
