// Plain decimal numbers as written in data files ("1", "-2.5", ".5", "3e-2"), read from a span of a string
// without cutting it out first: the CSV scanner reads millions of them. Not "", "NaN", "0x10", "Infinity".

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact in float64 up to 1e22

/**
 * A plain decimal in text[start, end), or NaN. NOTE: up to 15 significant digits and |exponent| ≤ 22 the
 * result is m / 10^k or m · 10^k with m and 10^k exact, so one correctly rounded operation gives the same
 * float64 as Number(); anything longer falls back to Number() (Clinger's fast path).
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let i = start;
  const sign = text.charCodeAt(i) === 0x2d ? -1 : 1;
  if (sign < 0 || text.charCodeAt(i) === 0x2b) i++;
  let m = 0;
  let digits = 0;
  let scale = 0;
  let seenDigit = false;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) break;
    if (m !== 0 || d !== 0) digits++;
    m = m * 10 + d;
    seenDigit = true;
  }
  if (text.charCodeAt(i) === 0x2e && i < end) {
    for (i++; i < end; i++) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      if (m !== 0 || d !== 0) digits++;
      m = m * 10 + d;
      scale++;
      seenDigit = true;
    }
  }
  if (!seenDigit) return NaN;
  if (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 0x65 && c !== 0x45) return NaN;
    const rest = text.slice(i + 1, end);
    if (!/^[+-]?\d+$/.test(rest)) return NaN;
    return Number(text.slice(start, end));
  }
  if (digits > 15 || scale > 22) return Number(text.slice(start, end));
  return (sign * m) / POW10[scale];
}
