// Splits CSV text into records (RFC 4180: fields in double quotes may hold the delimiter, line breaks and
// doubled quotes ""), one record at a time, with the line where each starts. Fields are trimmed of blanks
// outside quotes, a leading BOM is dropped and empty lines are skipped. It knows nothing of headers or numbers.
// NOTE: hand-written instead of csv-parse because csv-parse builds every record with its info object and
// took ~11 s and 880 MB on a 50 MB file; this scanner hands out one short-lived array per record.

import { UserError } from '../errors.js';
import { parseDecimal } from './decimal.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** One record's fields as the scanner found them: read each as text or as a number. */
export interface CsvRecord {
  count: number; // fields in the record
  line: number; // 1-based line where the record starts
  text(k: number): string;
  /** Field k as a number: NaN unless it is a plain decimal ("1", "-2.5", ".5", "3e-2"); ±Infinity beyond float64. */
  number(k: number): number;
}

/** Receives each non-empty record; the record object is reused, so read its fields before returning. */
export type RecordSink = (record: CsvRecord, charsRead: number) => void;

/** Where each field of the current record lies: trimmed bounds in the text, or its unquoted value. */
class Fields implements CsvRecord {
  count = 0;
  line = 1;
  starts: number[] = [];
  ends: number[] = [];
  quoted: (string | undefined)[] = [];
  source = '';

  text(k: number): string {
    return this.quoted[k] ?? this.source.slice(this.starts[k], this.ends[k]);
  }

  number(k: number): number {
    const q = this.quoted[k];
    return q !== undefined ? parseDecimal(q.trim(), 0, q.trim().length) : parseDecimal(this.source, this.starts[k], this.ends[k]);
  }
}

/** Thrown inside the scanner when a record runs past the end of a chunk that is not the last. */
const INCOMPLETE = Symbol('incomplete record');

/** A scanner fed the text in chunks: position, line, and the place of a problem for messages. */
class Scanner {
  text = '';
  i = 0;
  line = 1;
  final = false;
  consumed = 0; // characters of the whole text before this.text
  readonly fields = new Fields();

  constructor(
    readonly delimiter: number,
    readonly file: string,
  ) {}

  fail(message: string, field: number): never {
    throw new UserError('data', `the CSV file could not be read: ${message}`, { file: this.file, line: this.line, column: field });
  }

  /** At the end of the text: the record is incomplete unless this is the last chunk. */
  atEnd(j: number): boolean {
    if (j < this.text.length) return false;
    if (!this.final) throw INCOMPLETE;
    return true;
  }

  /** Field k from i; leaves i at the delimiter, the line break or the end. Returns whether it was quoted. */
  field(k: number): boolean {
    const { text, fields } = this;
    let j = this.i;
    while (!this.atEnd(j) && isBlank(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === QUOTE) {
      fields.quoted[k] = this.quoted(j + 1, k + 1);
      return true;
    }
    let end = j;
    for (; !this.atEnd(end); end++) {
      const c = text.charCodeAt(end);
      if (c === this.delimiter || c === LF || c === CR) break;
      if (c === QUOTE) this.fail('a quote (") inside a field that does not start with one; enclose the field in quotes and double the quotes inside it', k + 1);
    }
    this.i = end;
    while (end > j && isBlank(text.charCodeAt(end - 1))) end--;
    fields.starts[k] = j;
    fields.ends[k] = end;
    fields.quoted[k] = undefined;
    return false;
  }

  /** A quoted field whose content starts at `start`; counts the line breaks inside it. */
  private quoted(start: number, fieldNumber: number): string {
    const { text } = this;
    let value = '';
    let from = start;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q < 0 && this.atEnd(text.length)) this.fail('a quoted field is never closed (a " without its closing ")', fieldNumber);
      value += text.slice(from, q);
      if (this.atEnd(q + 1) || text.charCodeAt(q + 1) !== QUOTE) {
        this.i = q + 1;
        break;
      }
      value += '"';
      from = q + 2;
    }
    for (let n = value.indexOf('\n'); n >= 0; n = value.indexOf('\n', n + 1)) this.line++;
    while (!this.atEnd(this.i) && isBlank(text.charCodeAt(this.i))) this.i++;
    const c = text.charCodeAt(this.i);
    if (this.i < text.length && c !== this.delimiter && c !== LF && c !== CR) {
      this.fail('unexpected text after a closing quote; expected the delimiter or the end of the line', fieldNumber);
    }
    return value;
  }

  /** One record from i (at a line start) into this.fields; leaves i after its line break. False if the line is empty. */
  record(): boolean {
    const { fields, text } = this;
    fields.line = this.line;
    let k = 0;
    let anyQuoted = false;
    for (;;) {
      anyQuoted = this.field(k++) || anyQuoted;
      const c = text.charCodeAt(this.i);
      if (!this.atEnd(this.i) && c === this.delimiter) {
        this.i++;
        continue;
      }
      if (c === CR) {
        this.atEnd(this.i + 1); // is a line feed next?
        this.i++;
      }
      if (text.charCodeAt(this.i) === LF) this.i++;
      this.line++;
      fields.count = k;
      return anyQuoted || k > 1 || fields.ends[0] > fields.starts[0];
    }
  }

  /** Scans the complete records of `text` (the unscanned rest of the last chunk, then a new one). */
  feed(text: string, final: boolean, sink: RecordSink): void {
    this.consumed += this.i;
    this.text = this.fields.source = text;
    this.i = this.consumed === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.final = final;
    while (this.i < text.length) {
      const [i, line] = [this.i, this.line];
      try {
        if (this.record()) sink(this.fields, this.consumed + this.i);
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
        [this.i, this.line] = [i, line];
        return;
      }
    }
  }
}

/**
 * Calls `sink` for every non-empty record of the text, given in chunks (split anywhere); a malformed quote
 * is a UserError at its line and field.
 */
export function scanCsv(chunks: Iterable<string>, delimiter: string, file: string, sink: RecordSink): void {
  const s = new Scanner(delimiter.charCodeAt(0), file);
  for (const chunk of chunks) s.feed(s.text.slice(s.i) + chunk, false, sink);
  s.feed(s.text.slice(s.i), true, sink);
}
