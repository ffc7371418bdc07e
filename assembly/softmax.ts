// softmax over the rows of a batch for src/kernels/wasm.ts (AssemblyScript, exported by kernels.ts), bit-identical to
// the scalar reference (src/kernels/scalar.ts softmaxRows): the row's max, exp(z − max) by V8's Math.exp (fdlibm's
// e_exp.c as V8's ieee754.cc computes it, ported below op for op), their sum in order, then each divided by it.
// One value at a time (a row is a few values: digits' 10); nothing here allocates.

const LN2_HI = reinterpret<f64>(0x3FE62E42FEE00000);
const LN2_LO = reinterpret<f64>(0x3DEA39EF35793C76);
const INV_LN2 = reinterpret<f64>(0x3FF71547652B82FE);
const P1 = reinterpret<f64>(0x3FC555555555553E);
const P2 = reinterpret<f64>(0xBF66C16C16BEBD93);
const P3 = reinterpret<f64>(0x3F11566AAF25DE2C);
const P4 = reinterpret<f64>(0xBEBBBD41C5D26BF1);
const P5 = reinterpret<f64>(0x3E66376972BEA4D0);
const O_THRESHOLD = reinterpret<f64>(0x40862E42FEFA39EF);
const U_THRESHOLD = reinterpret<f64>(0xC0874910D52D3051);
const E = reinterpret<f64>(0x4005BF0A8B145769);
const HUGE: f64 = 1.0e300;
const TWOM1000 = reinterpret<f64>(0x0170000000000000);
const TWO1023 = reinterpret<f64>(0x7FE0000000000000);

/** e^x, bit-identical to V8's Math.exp (fdlibm's __ieee754_exp, with V8's exact exp(1)). */
export function expOne(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff; // high word of |x|
  // Non-finite, overflow and underflow.
  if (hx >= 0x40862E42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x; // NaN
      return xsb == 0 ? x : 0.0; // exp(+Infinity), exp(−Infinity)
    }
    if (x > O_THRESHOLD) return HUGE * HUGE;
    if (x < U_THRESHOLD) return TWOM1000 * TWOM1000;
  }
  // Argument reduction: x = k·ln2 + (hi − lo).
  let hi: f64 = 0, lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) { // |x| > 0.5·ln2
    if (hx < 0x3FF0A2B2) { // and |x| < 1.5·ln2
      if (x == 1.0) return E; // V8 returns e exactly here (the steps below round its last bit the other way)
      hi = xsb ? x + LN2_HI : x - LN2_HI;
      lo = xsb ? -LN2_LO : LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INV_LN2 * x + (xsb ? -0.5 : 0.5)); // truncated toward zero, as C's conversion
      const t = <f64>k;
      hi = x - t * LN2_HI; // exact here
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) { // |x| < 2^-28
    return 1.0 + x;
  }
  // x in the primary range.
  const t = x * x;
  const twopk = k >= -1021 ? reinterpret<f64>(<u64>(0x3ff00000 + (k << 20)) << 32) : reinterpret<f64>(<u64>(0x3ff00000 + ((k + 1000) << 20)) << 32);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

// fdlibm compares high words; for |x| ≥ 0, "high word > H" is "|x| ≥ the double whose bits are (H + 1) << 32".
const REDUCE = reinterpret<f64>(0x3FD62E4300000000); // |x| > 0.5·ln2: reduced by k·ln2, k ≠ 0
const TINY = reinterpret<f64>(0x3E30000000000000); // 2^-28
/** 1.5·2^52: for an integer-valued k, the bits of k + MAGIC minus those of MAGIC are k as an i64. */
const MAGIC = reinterpret<f64>(0x4338000000000000);

/**
 * out = exp(x), n values, two per f64x2 vector where both have |x| ≤ 708 and neither is 1: every step of expOne is
 * then the same in each lane (k from its one formula, which for 0.5·ln2 < |x| < 1.5·ln2 gives expOne's k = ±1, hi
 * and lo too; k = 0 below 0.5·ln2, and 1 + x below 2^-28, each lane picking its own final form). Other pairs
 * (NaN, ±Infinity, overflow, underflow, exactly 1) run expOne per value.
 */
export function expInto(x: usize, out: usize, n: i32): void {
  const lnHi = f64x2.splat(LN2_HI), lnLo = f64x2.splat(LN2_LO), inv = f64x2.splat(INV_LN2);
  const half = f64x2.splat(0.5), one = f64x2.splat(1), two = f64x2.splat(2), magic = f64x2.splat(MAGIC);
  const tiny = f64x2.splat(TINY), top = f64x2.splat(708), reduce = f64x2.splat(REDUCE), zero = f64x2.splat(0);
  const p1 = f64x2.splat(P1), p2 = f64x2.splat(P2), p3 = f64x2.splat(P3), p4 = f64x2.splat(P4), p5 = f64x2.splat(P5);
  const sign = f64x2.splat(-0.0), bias = i64x2.splat(1023);
  // NOTE: every constant is made once, above: V8 builds a v128 constant written in a loop body anew each iteration.
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const xv = v128.load(x + o);
    const a = f64x2.abs(xv);
    if (!i64x2.all_true(v128.and(f64x2.le(a, top), f64x2.ne(xv, one)))) {
      store<f64>(out + o, expOne(load<f64>(x + o)));
      store<f64>(out + o, expOne(load<f64>(x + o, 8)), 8);
      continue;
    }
    // k = trunc(x/ln2 ± 0.5) where |x| > 0.5·ln2, else 0.
    const sh = v128.or(half, v128.and(xv, sign)); // ±0.5 with x's sign
    const kf = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(inv, xv), sh)), f64x2.ge(a, reduce));
    const hi = f64x2.sub(xv, f64x2.mul(kf, lnHi)); // x itself where k = 0
    const lo = f64x2.mul(kf, lnLo);
    const r = f64x2.sub(hi, lo);
    const t = f64x2.mul(r, r);
    let q = f64x2.add(p4, f64x2.mul(t, p5));
    q = f64x2.add(p3, f64x2.mul(t, q));
    q = f64x2.add(p2, f64x2.mul(t, q));
    q = f64x2.add(p1, f64x2.mul(t, q));
    const c = f64x2.sub(r, f64x2.mul(t, q));
    const xc = f64x2.mul(r, c);
    const k0 = f64x2.eq(kf, zero);
    let e: v128;
    if (!v128.any_true(k0)) {
      e = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(xc, f64x2.sub(two, c))), hi));
      e = f64x2.mul(e, i64x2.shl(i64x2.add(i64x2.sub(f64x2.add(kf, magic), magic), bias), 52)); // ·2^k (kf + MAGIC is exact)
    } else {
      // Lanes with k = 0 take fdlibm's own final form; below 2^-28, 1 + x.
      const y0 = f64x2.sub(one, f64x2.sub(f64x2.div(xc, f64x2.sub(c, two)), r));
      const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(xc, f64x2.sub(two, c))), hi));
      const twopk = i64x2.shl(i64x2.add(i64x2.sub(f64x2.add(kf, magic), magic), bias), 52);
      e = v128.bitselect(v128.bitselect(f64x2.add(one, xv), y0, f64x2.lt(a, tiny)), f64x2.mul(y, twopk), k0);
    }
    v128.store(out + o, e);
  }
  if (i < n) store<f64>(out + (<usize>i << 3), expOne(load<f64>(x + (<usize>i << 3))));
}

/** p = softmax(z) row by row: p = exp(z − max) / Σ exp(z − max), the sum over the row in order.  z, p: (rows, cols) */
export function softmax(z: usize, p: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * cols) << 3), pr = p + ((<usize>r * cols) << 3);
    let max = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = load<f64>(zr + (<usize>c << 3));
      if (v > max) max = v;
    }
    for (let c = 0; c < cols; c++) store<f64>(pr + (<usize>c << 3), load<f64>(zr + (<usize>c << 3)) - max);
    expInto(pr, pr, cols);
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) sum += load<f64>(pr + (<usize>c << 3));
    let c = 0;
    const s = f64x2.splat(sum);
    for (; c + 2 <= cols; c += 2) v128.store(pr + (<usize>c << 3), f64x2.div(v128.load(pr + (<usize>c << 3)), s));
    if (c < cols) store<f64>(pr + (<usize>c << 3), load<f64>(pr + (<usize>c << 3)) / sum);
  }
}
