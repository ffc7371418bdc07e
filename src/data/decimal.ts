// Plain decimal numbers as written in data files ("1", "-2.5", ".5", "3e-2"), read straight from a span of
// bytes without decoding them to a string first: the CSV scanner reads millions of them. Each result is the
// float64 Number() gives for the same text. Not "", "NaN", "0x10", "Infinity".

import { exactQuotient, MANTISSA, POW10 } from './exact.js';

/** A decimal number, as written in data files ("1", "-2.5", ".5", "3e-2"); not "", "NaN", "0x10", "Infinity". */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Text without the spaces, tabs and line breaks around it (a quoted field's: the scanner trims an unquoted one's
 * spaces and tabs). NOTE: not trim(), which also takes U+00A0, U+FEFF and other Unicode spaces, so a quoted
 * "\u00a05" was 5 where the same field unquoted is no number (nor for pandas, whose parser skips ASCII blanks).
 */
const unblank = (text: string): string => text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

/** Whether text (blanks around it aside) is a plain decimal. */
export function isNumeric(text: string): boolean {
  return NUMBER.test(unblank(text));
}

/** Text (blanks around it aside) as a number: NaN unless it is a plain decimal. The same as parseDecimal. */
export function decimalOf(text: string): number {
  const t = unblank(text);
  return NUMBER.test(t) ? Number(t) : NaN;
}

/** exponent's answer when the rest is not [+-]digits. NOTE: an integer, not NaN: see decimalInto's note. */
const NOT_EXPONENT = 1 << 29;

/** The exponent after an e or E at i, or NOT_EXPONENT when the rest is not [+-]digits; large ones saturate. */
function exponent(bytes: Uint8Array, i: number, end: number): number {
  const c = bytes[i];
  if (c !== 0x65 && c !== 0x45) return NOT_EXPONENT;
  i++;
  const sign = bytes[i] === 0x2d ? -1 : 1;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) i++;
  if (i >= end) return NOT_EXPONENT;
  let e = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return NOT_EXPONENT;
    if (e < 1e6) e = e * 10 + d;
  }
  return sign * e;
}

/**
 * A plain decimal in bytes[start, end), or NaN. NOTE: for digits m < 2^53 and a power of ten up to 10^22 the
 * result is m / 10^k or m · 10^k with m and 10^k exact, so one correctly rounded operation gives the same
 * float64 as Number() (Clinger's fast path); larger m of up to 19 digits divided by up to 10^22 go through
 * exactQuotient, which checks its rounding; anything else falls back to Number() of the text.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  decimalInto(bytes, start, end, SCRATCH, 0);
  return SCRATCH[0];
}

const SCRATCH = new Float64Array(1);

/**
 * parseDecimal's result written to out[at]. NOTE: written, not returned: V8 boxes (allocates) a float64 returned
 * from a call it does not inline, or passed to one (an argument that may be a non-integer, such as an exponent
 * that may be NaN, is passed as a float64), and one stored in a module-level `let`; 16 bytes a number made the
 * young generation grow while a large file was read. So all state is in locals (integers where they can be)
 * and results go into typed arrays.
 */
export function decimalInto(bytes: Uint8Array, start: number, end: number, out: Float64Array, at: number): void {
  let i = start;
  const sign = bytes[i] === 0x2d ? -1 : 1;
  if (i < end && (sign < 0 || bytes[i] === 0x2b)) i++;
  // NOTE: digits gathered in small integers (int32 arithmetic once optimized): the first 9 significant
  // ones in a, the next 6 in b, up to 4 more in tail; beyond 19 significant digits, Number() decides.
  let a = 0;
  let b = 0;
  let tail = 0;
  let significant = 0; // digits from the first non-zero one
  let scale = 0; // digits after the point
  let seen = false; // any digit at all
  for (let fraction = false; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) {
      if (d !== 0x2e - 0x30 || fraction) break;
      fraction = true;
      continue;
    }
    seen = true;
    if (fraction) scale++;
    if (significant === 0 && d === 0) continue;
    if (significant < 9) a = a * 10 + d;
    else if (significant < 15) b = b * 10 + d;
    else if (significant < 19) tail = tail * 10 + d;
    significant++;
  }
  if (!seen) {
    out[at] = NaN;
    return;
  }
  const head = significant <= 9 ? a : a * POW10[Math.min(significant, 15) - 9] + b; // < 10^15: exact
  const tailDigits = significant > 15 ? significant - 15 : 0;
  const e = i < end ? exponent(bytes, i, end) : 0;
  const k = scale - e; // the value is sign · (head · 10^tailDigits + tail) / 10^k
  // Exact when below 2^53 (and never below it when the true value is not: rounding is monotonic).
  const m = tailDigits === 0 ? head : tailDigits <= 4 ? head * POW10[tailDigits] + tail : Infinity;
  if (e === NOT_EXPONENT) out[at] = NaN;
  else if (m < 9007199254740992 && k >= 0 && k <= 22) out[at] = (sign * m) / POW10[k];
  else if (m < 9007199254740992 && k < 0 && k >= -22) out[at] = sign * m * POW10[-k];
  else {
    MANTISSA[0] = head;
    MANTISSA[1] = tail;
    if (tailDigits <= 4 && k >= 0 && k <= 22 && exactQuotient(tailDigits, k, out, at)) out[at] *= sign;
    else out[at] = Number(Buffer.prototype.latin1Slice.call(bytes, start, end));
  }
}

// NOTE: every path run once at load, so that V8 has type feedback for each before it optimizes the reader:
// without it, the first number that takes a new path (an exponent, the fallback) deoptimized the hot loop and
// the code optimized again boxed a float64 per number (≈130 MB of garbage reading 10,000 rows of 784).
const PATHS = Buffer.from('1 -0.5 1.2345678901234567 -9007199254740993 1e-7 1.5e400 12345678901234567890123 x 1ex', 'latin1');
for (let start = 0, end = 0; start < PATHS.length; start = end + 1) {
  end = PATHS.indexOf(0x20, start) < 0 ? PATHS.length : PATHS.indexOf(0x20, start);
  parseDecimal(PATHS, start, end);
}
