// One CSV record as the scanner (csvscan.ts) found it: where each field lies in the scanner's byte buffer, or its
// unquoted value; read as text (decoded only then) or as a number (parsed from the bytes, decimal.ts).

import { isUtf8 } from 'node:buffer';
import { UserError } from '../errors.js';
import { decimalInto, decimalOf } from './decimal.js';

/**
 * bytes[from, to) decoded as text (a name, a label); a UserError at file:line:column when they are not UTF-8:
 * decoded, their bytes would become U+FFFD and two labels could become one.
 */
export function utf8Text(bytes: Buffer, from: number, to: number, file: string, line: number, column: number): string {
  const text = bytes.toString('utf8', from, to);
  if (!text.includes('\uFFFD') || isUtf8(bytes.subarray(from, to))) return text;
  throw new UserError('data', 'expected UTF-8 text, but this field holds bytes that are not UTF-8 (is the file saved in another encoding, such as Latin-1? save it as UTF-8)', { file, line, column });
}

/** number()'s result, written before it is read. */
const ONE = new Float64Array(1);

/** One record's fields as the scanner found them: read each as text or as a number. */
export interface CsvRecord {
  count: number; // fields in the record
  line: number; // 1-based line where the record starts
  text(k: number): string;
  /** Field k as a number: NaN unless it is a plain decimal ("1", "-2.5", ".5", "3e-2"); ±Infinity beyond float64. */
  number(k: number): number;
  /** Every field as number(k) gives it, into out[at + k]. */
  numbers(out: Float64Array, at: number): void;
}

/** Where each field of the current record lies: trimmed bounds in the buffer, or its unquoted value. */
export class Fields implements CsvRecord {
  count = 0;
  line = 1;
  starts: number[] = [];
  ends: number[] = [];
  quoted: (string | undefined)[] = [];
  constructor(
    public bytes: Buffer,
    readonly file = '',
  ) {}

  text(k: number): string {
    return this.quoted[k] ?? utf8Text(this.bytes, this.starts[k], this.ends[k], this.file, this.line, k + 1);
  }

  number(k: number): number {
    this.numberInto(k, ONE, 0);
    return ONE[0];
  }

  numbers(out: Float64Array, at: number): void {
    for (let k = 0; k < this.count; k++) this.numberInto(k, out, at + k);
  }

  /** Field k as a number, into out[at]. NOTE: written, not returned (see decimalInto). */
  private numberInto(k: number, out: Float64Array, at: number): void {
    const q = this.quoted[k];
    if (q === undefined) decimalInto(this.bytes, this.starts[k], this.ends[k], out, at);
    else out[at] = decimalOf(q);
  }
}
