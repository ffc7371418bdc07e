// tanh for src/kernels/wasm.ts (AssemblyScript, exported by kernels.ts), two values per f64x2 vector, bit-identical
// to V8's Math.tanh (fdlibm's s_tanh.c over s_expm1.c, as V8's ieee754.cc computes them). fdlibm branches on the
// argument's range; here every branch a lane can take is computed for both lanes and each lane picks its own, so
// each result is the same sequence of IEEE operations as fdlibm's. Tiny, huge, infinite and NaN inputs (and the
// pairs they sit in) go through the per-lane path. Nothing here allocates.

// fdlibm's expm1 constants (ln 2 split in two, 1/ln 2, the scaled Q1..Q5 of its rational approximation).
const LN2_HI = reinterpret<f64>(0x3FE62E42FEE00000);
const LN2_LO = reinterpret<f64>(0x3DEA39EF35793C76);
const INV_LN2 = reinterpret<f64>(0x3FF71547652B82FE);
const Q1 = reinterpret<f64>(0xBFA11111111110F4);
const Q2 = reinterpret<f64>(0x3F5A01A019FE5585);
const Q3 = reinterpret<f64>(0xBF14CE199EAADBB7);
const Q4 = reinterpret<f64>(0x3ED0CFCA86E65239);
const Q5 = reinterpret<f64>(0xBE8AFDB76E09C32D);
// fdlibm compares high words; for |v| ≥ 0 "high word > H" is "|v| ≥ the double whose bits are (H + 1) << 32".
const REDUCE = reinterpret<f64>(0x3FD62E4300000000); // expm1 reduces |u| > 0.5·ln2 (high word > 0x3FD62E42)
const NEAR = reinterpret<f64>(0x3FF0A2B200000000); // below: |u| < 1.5·ln2 and k = ±1
const TINY = reinterpret<f64>(0x3E30000000000000); // 2^-28: tanh(x) = x below
/** 1.5·2^52: for an integer-valued k, the bits of k + MAGIC minus those of MAGIC are k as an i64. */
const MAGIC = reinterpret<f64>(0x4338000000000000);

// NOTE: every constant below is loaded from this table (V8 builds each v128.const of a loop body anew, with several
// instructions, every iteration; a load is one). Static data: wasm.ts checks it ends below the heap's first block.
const K = memory.data<f64>([LN2_HI, LN2_LO, INV_LN2, Q1, Q2, Q3, Q4, Q5, REDUCE, NEAR, MAGIC, reinterpret<f64>(<i64>1023),
  1, 2, -2, 0.5, -0.5, 3, 6, 20, 56, -1, 0, -0.0]);
const enum C { Ln2Hi, Ln2Lo, InvLn2, Q1, Q2, Q3, Q4, Q5, Reduce, Near, Magic, Bias, One, Two, MinusTwo, Half, MinusHalf, Three, Six, Twenty, FiftySix, MinusOne, Zero, Sign }
// @ts-ignore: decorator
@inline function c(i: C): v128 {
  return v128.load64_splat(K + (<usize>i << 3));
}

/**
 * tanh of two values with 2^-28 ≤ |x| < 22 (fdlibm's main range). With `small` (a constant: the compiler keeps one
 * branch of each `if` below), for two values with |x| < 1 only, the common case of trained hidden units: expm1's
 * argument u = −2|x| then lies in (−2, 0), so k is 0, −1, −2 or −3 and only those three final forms are computed
 * (measured: 5.8 against 7.5 ns a value, values N(0, 0.49²)). Each lane's operations are the same either way.
 */
// @ts-ignore: decorator
@inline function tanhMain(x: v128, small: bool): v128 {
  const ax = f64x2.abs(x);
  const one = c(C.One);
  const big = f64x2.ge(ax, one); // |x| ≥ 1: t = expm1(2|x|), else t = expm1(−2|x|)
  const u = small ? f64x2.mul(c(C.MinusTwo), ax) : v128.bitselect(f64x2.mul(c(C.Two), ax), f64x2.mul(c(C.MinusTwo), ax), big);
  // expm1(u), step 1: u = k·ln2 + r, r = hi − lo, c its rounding error; k = 0 (no reduction), ±1, or rounded.
  const au = f64x2.abs(u);
  const neg = f64x2.lt(u, c(C.Zero));
  const half = small ? c(C.MinusHalf) : v128.bitselect(c(C.MinusHalf), c(C.Half), neg);
  const kRound = f64x2.trunc(f64x2.add(f64x2.mul(c(C.InvLn2), u), half));
  const kNear = small ? c(C.MinusOne) : v128.bitselect(c(C.MinusOne), one, neg);
  let k = v128.bitselect(kNear, kRound, f64x2.lt(au, c(C.Near)));
  k = v128.and(k, f64x2.ge(au, c(C.Reduce))); // +0 where nothing is reduced
  // NOTE: k = 0 gives hi = u − 0 = u and lo = 0, so r = u exactly, as fdlibm's unreduced path.
  const hi = f64x2.sub(u, f64x2.mul(k, c(C.Ln2Hi)));
  const lo = f64x2.mul(k, c(C.Ln2Lo));
  const r = f64x2.sub(hi, lo);
  const cr = f64x2.sub(f64x2.sub(hi, r), lo);
  // Step 2: expm1(r) by the rational approximation; e is its correction.
  const hfx = f64x2.mul(c(C.Half), r);
  const hxs = f64x2.mul(r, hfx);
  let p = f64x2.add(c(C.Q4), f64x2.mul(hxs, c(C.Q5)));
  p = f64x2.add(c(C.Q3), f64x2.mul(hxs, p));
  p = f64x2.add(c(C.Q2), f64x2.mul(hxs, p));
  p = f64x2.add(c(C.Q1), f64x2.mul(hxs, p));
  const r1 = f64x2.add(one, f64x2.mul(hxs, p));
  const t = f64x2.sub(c(C.Three), f64x2.mul(r1, hfx));
  const e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, t), f64x2.sub(c(C.Six), f64x2.mul(r, t))));
  // Step 3: scale back by 2^k, in the form fdlibm uses for each k.
  const r0 = f64x2.sub(r, f64x2.sub(f64x2.mul(r, e), hxs)); // k = 0
  const ek = f64x2.sub(f64x2.sub(f64x2.mul(r, f64x2.sub(e, cr)), cr), hxs);
  const rm1 = f64x2.sub(f64x2.mul(c(C.Half), f64x2.sub(r, ek)), c(C.Half)); // k = −1
  const magic = c(C.Magic);
  const ki = i64x2.sub(f64x2.add(k, magic), magic); // k as i64 (bits of the sum)
  const bias = c(C.Bias);
  const twopk = i64x2.shl(i64x2.add(ki, bias), 52); // 2^k
  const ekr = f64x2.sub(ek, r);
  const rFar = f64x2.sub(f64x2.mul(f64x2.sub(one, ekr), twopk), one); // k ≤ −2 or k > 56
  let em1 = rFar;
  if (!small) {
    const twomk = i64x2.shl(i64x2.sub(bias, ki), 52); // 2^−k
    const rLow = f64x2.mul(f64x2.sub(f64x2.sub(one, twomk), ekr), twopk); // 2 ≤ k < 20: (1 − 2^−k) − (e − r)
    const rHigh = f64x2.mul(f64x2.add(f64x2.sub(r, f64x2.add(ek, twomk)), one), twopk); // 20 ≤ k ≤ 56
    // (k = 1 needs u in (0.35, 1.04), which tanh never passes: its u is ≥ 2 or negative.)
    em1 = v128.bitselect(rLow, rHigh, f64x2.lt(k, c(C.Twenty)));
    em1 = v128.bitselect(rFar, em1, v128.or(f64x2.le(k, c(C.MinusTwo)), f64x2.gt(k, c(C.FiftySix))));
  }
  em1 = v128.bitselect(rm1, em1, f64x2.eq(k, c(C.MinusOne)));
  em1 = v128.bitselect(r0, em1, f64x2.eq(k, c(C.Zero)));
  // tanh: 1 − 2/(t + 2) for |x| ≥ 1, −t/(t + 2) below (one division: the numerator is chosen per lane); then
  // x's sign (z ≥ 0, so a sign-bit flip is −z).
  const two = c(C.Two);
  if (small) return v128.xor(f64x2.div(f64x2.neg(em1), f64x2.add(em1, two)), v128.and(x, c(C.Sign)));
  const q = f64x2.div(v128.bitselect(two, f64x2.neg(em1), big), f64x2.add(em1, two));
  const z = v128.bitselect(f64x2.sub(one, q), q, big);
  return v128.xor(z, v128.and(x, c(C.Sign)));
}

/** The end of this module's static data (wasm.ts checks the heap starts above it). */
export function dataEnd(): usize {
  return __heap_base;
}

/** tanh of one value: the main range through tanhMain (lane 0), the rest as fdlibm's first branches. */
function tanhOne(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax < TINY) return x; // also ±0
  if (ax < 22) return f64x2.extract_lane(tanhMain(f64x2.splat(x), false), 0);
  if (x != x) return x; // NaN (its payload is not compared)
  return x > 0 ? 1 : -1; // |x| ≥ 22 and ±Infinity: 1 − tiny rounds to 1
}

/** Whether both values of x are in lowest ≤ |x| < highest (a mask of all ones per lane). */
// @ts-ignore: decorator
@inline function inMain(x: v128, lowest: v128, highest: v128): v128 {
  const ax = f64x2.abs(x);
  return v128.and(f64x2.ge(ax, lowest), f64x2.lt(ax, highest));
}

/** Whether all eight values of x0 … x3 are in lowest ≤ |x| < highest. */
// @ts-ignore: decorator
@inline function allIn(x0: v128, x1: v128, x2: v128, x3: v128, lowest: v128, highest: v128): bool {
  return i64x2.all_true(v128.and(v128.and(inMain(x0, lowest, highest), inMain(x1, lowest, highest)), v128.and(inMain(x2, lowest, highest), inMain(x3, lowest, highest))));
}

/** out[0, 8) = tanh of x0 … x3, all in tanhMain's range (`small`, a constant: all below 1 in magnitude). */
// @ts-ignore: decorator
@inline function eight(x0: v128, x1: v128, x2: v128, x3: v128, out: usize, small: bool): void {
  const t0 = tanhMain(x0, small), t1 = tanhMain(x1, small), t2 = tanhMain(x2, small), t3 = tanhMain(x3, small);
  v128.store(out, t0);
  v128.store(out, t1, 16);
  v128.store(out, t2, 32);
  v128.store(out, t3, 48);
}

/** out = tanh(z) for the pair at byte offset o: through tanhMain when both are in its range, else one by one. */
// @ts-ignore: decorator
@inline function pair(z: usize, out: usize, o: usize, lowest: v128, highest: v128): void {
  const x = v128.load(z + o);
  if (i64x2.all_true(inMain(x, lowest, highest))) {
    v128.store(out + o, tanhMain(x, false));
  } else {
    store<f64>(out + o, tanhOne(load<f64>(z + o)));
    store<f64>(out + o, tanhOne(load<f64>(z + o, 8)), 8);
  }
}

/** out = tanh(z), n values (out may be z). */
export function tanh(z: usize, out: usize, n: i32): void {
  const lowest = f64x2.splat(TINY), highest = f64x2.splat(22), one = f64x2.splat(1);
  let i = 0;
  // Eight values at a time: the operations of one pair form a long chain of dependent steps (two divisions, a
  // polynomial), and four independent chains let the CPU overlap them (measured: 7.4 against 9.6 ns a value
  // for pairs of pairs, on 4M values in (-3, 3)). A block with any value outside the range goes pair by pair.
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    const x0 = v128.load(z + o), x1 = v128.load(z + o, 16), x2 = v128.load(z + o, 32), x3 = v128.load(z + o, 48);
    // The whole range is tested only where the small one fails (the small one lies inside it).
    if (allIn(x0, x1, x2, x3, lowest, one)) eight(x0, x1, x2, x3, out + o, true);
    else if (allIn(x0, x1, x2, x3, lowest, highest)) eight(x0, x1, x2, x3, out + o, false);
    else for (let p: usize = 0; p < 64; p += 16) pair(z, out, o + p, lowest, highest);
  }
  for (; i + 2 <= n; i += 2) pair(z, out, <usize>i << 3, lowest, highest);
  if (i < n) store<f64>(out + (<usize>i << 3), tanhOne(load<f64>(z + (<usize>i << 3))));
}

/** Values i0 ≤ i < i1 of out = tanh(z), for the helper threads.  Arguments 3 to 6 are unused. */
export function tanhRange(z: usize, out: usize, _a: i32, _b: i32, _c: i32, _d: i32, i0: i32, i1: i32): void {
  const o = <usize>i0 << 3;
  tanh(z + o, out + o, i1 - i0);
}

/** dz = da·(1 − a²), n values: tanh's derivative from its output, as the scalar loop computes it. */
export function tanhBackward(a: usize, da: usize, dz: usize, n: i32): void {
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const ai = v128.load(a + o);
    v128.store(dz + o, f64x2.mul(v128.load(da + o), f64x2.sub(one, f64x2.mul(ai, ai))));
  }
  if (i < n) {
    const o = <usize>i << 3;
    const ai = load<f64>(a + o);
    store<f64>(dz + o, load<f64>(da + o) * (1 - ai * ai));
  }
}
