// One CSV record as the scanner (csvscan.ts) found it: where each field lies in the scanner's byte buffer, or its
// unquoted value; read as text (decoded only then) or as a number (parsed from the bytes, decimal.ts).

import { decimalInto, decimalOf } from './decimal.js';

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
  constructor(public bytes: Buffer) {}

  text(k: number): string {
    return this.quoted[k] ?? this.bytes.toString('utf8', this.starts[k], this.ends[k]);
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
