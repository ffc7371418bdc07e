// The correctly rounded float64 of a 16- to 19-digit integer divided by an exact power of ten, without
// strings or big integers: the most common shape of a number written by String() (17 significant digits).
// It answers false when it cannot be sure, and the caller then asks Number() of the text.

export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact in float64 up to 1e22

/** exactQuotient's head and tail. NOTE: passed here, not as arguments, which V8 boxes (allocates) when a call is not inlined. */
export const MANTISSA = new Float64Array(2);

const SPLIT = 134217729; // 2^27 + 1: Veltkamp's constant, cuts a float64 into two 26-bit halves
const high = (a: number): number => SPLIT * a - (SPLIT * a - a); // a's upper half; a − high(a) is the lower
const POW10_HIGH = POW10.map(high);

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0; // the word holding the exponent

/**
 * (head · 10^n + tail) / 10^k correctly rounded, written to out[at]; false when undecided (out[at] unchanged).
 * [head, tail] = MANTISSA: head has 15 significant digits (10^14 ≤ head < 10^15), tail < 10^n; n ≤ 4, k ≤ 22.
 * NOTE: m = head·10^n + tail (< 2^64) is held exactly as mh + ml; q = m/p rounded once is at most one float
 * away from the answer. The residual r = m − q·p is computed almost exactly (Dekker's products, no fused
 * multiply-add needed), and q is right when |r| < p·ulp(q)/2, its neighbour when |r| is between one and
 * three halves of that; within 2^-30 of a boundary (ties included), or at a power of two (uneven spacing), it
 * answers false and the caller asks Number(). Written out without helpers that take or return a float64,
 * and the result stored, not returned: V8 boxes (allocates) a float64 passed to or returned from a call it
 * does not inline.
 */
export function exactQuotient(n: number, k: number, out: Float64Array, at: number): boolean {
  const head = MANTISSA[0];
  const tail = MANTISSA[1];
  const s = POW10[n];
  const p = POW10[k];
  // head · s = ph + pl exactly; pl is an integer: ph ≥ 2^53 is one, and below that the product is exact.
  const ph = head * s;
  const hh = high(head);
  const sh = POW10_HIGH[n];
  const pl = hh * sh - ph + hh * (s - sh) + (head - hh) * sh + (head - hh) * (s - sh);
  const mh = ph + tail; // |ph| ≥ tail, so mh + (tail − (mh − ph)) is exact (Fast2Sum)
  const ml = tail - (mh - ph) + pl; // two small integers: their sum is exact
  let q = mh / p;
  f64[0] = q;
  const e = u32[HI] >>> 20; // q > 0
  if (e <= 53 || ((u32[HI] & 0xfffff) === 0 && u32[1 - HI] === 0)) return false;
  u32[HI] = (e - 52) << 20; // 2^(e − 1075): the spacing of float64s whose biased exponent is e
  u32[1 - HI] = 0;
  const u = f64[0];
  // q · p = t + tl exactly; r = m − q·p, where mh − t is exact (Sterbenz: t is within a float or two of mh).
  const t = q * p;
  const qh = high(q);
  const ph2 = POW10_HIGH[k];
  const tl = qh * ph2 - t + qh * (p - ph2) + (q - qh) * ph2 + (q - qh) * (p - ph2);
  const r = mh - t + (ml - tl);
  const half = (p * u) / 2; // exact: 5^k · 2^j
  const a = Math.abs(r);
  const margin = half * 2 ** -30;
  if (a >= half - margin) {
    if (a <= half + margin || a >= 3 * half - margin) return false;
    q = r > 0 ? q + u : q - u;
    f64[0] = q;
    if ((u32[HI] & 0xfffff) === 0 && u32[1 - HI] === 0) return false; // a power of two: uneven spacing
  }
  out[at] = q;
  return true;
}
