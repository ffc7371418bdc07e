// Splits CSV bytes (UTF-8) into records (RFC 4180: fields in double quotes may hold the delimiter, line breaks
// and doubled quotes ""), one record at a time, with the line where each starts. Fields are trimmed of blanks
// (spaces and tabs, but not the delimiter) outside quotes, a leading BOM is dropped and empty lines are skipped. It knows nothing of headers or numbers.
// NOTE: hand-written instead of csv-parse because csv-parse builds every record with its info object and
// took ~11 s and 880 MB on a 50 MB file. This scanner works on bytes in one reused buffer, reads numbers
// straight from them and decodes only the fields read as text: nearly nothing is allocated per record, so
// V8's young generation does not grow while a large file is read (it did with a string per 16 KiB chunk).

import { UserError } from '../errors.js';
import { Fields, utf8Text, type CsvRecord } from './csvrecord.js';

export type { CsvRecord } from './csvrecord.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Receives each non-empty record; the record object is reused, so read its fields before returning. `nextLine`:
 *  the line after the record (after its last line, which a quoted line break makes later than record.line). */
export type RecordSink = (record: CsvRecord, bytesRead: number, nextLine: number) => void;

/** Fills buffer from `at` to its end (or less); 0 at the end of the input. */
export type ByteSource = (buffer: Buffer, at: number) => number;

// NOTE: a record running past the bytes read is scanned again from its start after the next read, so the
// buffer holds several long rows (8 of 784 numbers); 16 to 256 KiB read the 151 MB mnist-shape file equally
// fast within the noise here. The buffer grows (doubles) for a record longer than it.
const BUFFER_BYTES = 1 << 17;

/** Thrown inside the scanner when a record runs past the end of the bytes read so far, and more may come. */
const INCOMPLETE = Symbol('incomplete record');

/** A scanner of the bytes in fields.bytes[0, end): position, line, and the place of a problem for messages. */
class Scanner {
  end = 0;
  i = 0;
  line = 1;
  final = false;
  consumed = 0; // bytes of the input before fields.bytes[0]
  readonly fields: Fields;
  readonly first: number; // the delimiter's first byte (its only one when ASCII)

  constructor(
    readonly delimiter: Buffer, // UTF-8
    readonly file: string,
    bufferBytes: number,
  ) {
    this.first = delimiter[0];
    this.fields = new Fields(Buffer.alloc(bufferBytes), file);
  }

  /** A space or tab around a field, unless it is the delimiter: a tab-separated file's empty field is two tabs. */
  isBlank(c: number): boolean {
    return (c === SPACE || c === TAB) && c !== this.first;
  }

  fail(message: string, field: number): never {
    throw new UserError('data', `the CSV file could not be read: ${message}`, { file: this.file, line: this.line, column: field });
  }

  /** At the end of the bytes read: the record is incomplete unless the input is. */
  atEnd(j: number): boolean {
    if (j < this.end) return false;
    if (!this.final) throw INCOMPLETE;
    return true;
  }

  /** Whether the delimiter starts at j (< end). NOTE: a delimiter outside ASCII is several bytes, all ≥ 0x80. */
  isDelimiter(j: number): boolean {
    const bytes = this.fields.bytes;
    if (bytes[j] !== this.first) return false;
    for (let n = 1; n < this.delimiter.length; n++) if (this.atEnd(j + n) || bytes[j + n] !== this.delimiter[n]) return false;
    return true;
  }

  /** Field k from i; leaves i at the delimiter, the line break or the end. Returns whether it was quoted. */
  field(k: number): boolean {
    const { fields } = this;
    const bytes = fields.bytes;
    let j = this.i;
    while (!this.atEnd(j) && this.isBlank(bytes[j])) j++;
    if (bytes[j] === QUOTE && j < this.end) {
      fields.quoted[k] = this.quoted(j + 1, k + 1);
      return true;
    }
    let end = j;
    const { first, end: limit } = this; // NOTE: locals: this loop sees every byte of the file
    for (; end < limit; end++) {
      const c = bytes[end];
      if (c === first) {
        if (this.isDelimiter(end)) break;
      } else if (c <= QUOTE) {
        if (c === LF || c === CR) break;
        if (c === QUOTE) this.fail('a quote (") inside a field that does not start with one; enclose the field in quotes and double the quotes inside it', k + 1);
      }
    }
    if (end === limit) this.atEnd(end); // the end of the input, or of the bytes read so far
    this.i = end;
    while (end > j && this.isBlank(bytes[end - 1])) end--;
    fields.starts[k] = j;
    fields.ends[k] = end;
    fields.quoted[k] = undefined;
    return false;
  }

  /** A quoted field whose content starts at `start`; counts the line breaks inside it. */
  private quoted(start: number, fieldNumber: number): string {
    const bytes = this.fields.bytes;
    let value = '';
    let from = start;
    for (;;) {
      const q = bytes.indexOf(QUOTE, from);
      if (q < 0 || q >= this.end) {
        this.atEnd(this.end);
        this.fail('a quoted field is never closed (a " without its closing ")', fieldNumber);
      }
      value += utf8Text(bytes, from, q, this.file, this.line, fieldNumber);
      if (this.atEnd(q + 1) || bytes[q + 1] !== QUOTE) {
        this.i = q + 1;
        break;
      }
      value += '"';
      from = q + 2;
    }
    // Line ends inside the field as record() counts them: LF, CRLF and a lone CR each one line.
    for (let n = value.indexOf('\n'); n >= 0; n = value.indexOf('\n', n + 1)) this.line++;
    for (let n = value.indexOf('\r'); n >= 0; n = value.indexOf('\r', n + 1)) if (value[n + 1] !== '\n') this.line++;
    while (!this.atEnd(this.i) && this.isBlank(bytes[this.i])) this.i++;
    const c = bytes[this.i];
    if (this.i < this.end && c !== LF && c !== CR && !this.isDelimiter(this.i)) {
      this.fail('unexpected text after a closing quote; expected the delimiter or the end of the line', fieldNumber);
    }
    return value;
  }

  /** One record from i (at a line start) into this.fields; leaves i after its line break. False if the line is empty. */
  record(): boolean {
    const { fields } = this;
    const bytes = fields.bytes;
    fields.line = this.line;
    let k = 0;
    let anyQuoted = false;
    for (;;) {
      anyQuoted = this.field(k++) || anyQuoted;
      const c = bytes[this.i];
      if (!this.atEnd(this.i) && this.isDelimiter(this.i)) {
        this.i += this.delimiter.length;
        continue;
      }
      if (c === CR && this.i < this.end) {
        this.atEnd(this.i + 1); // is a line feed next?
        this.i++;
      }
      if (bytes[this.i] === LF && this.i < this.end) this.i++;
      this.line++;
      fields.count = k;
      return anyQuoted || k > 1 || fields.ends[0] > fields.starts[0];
    }
  }

  /** Scans the complete records read so far (all of them when the input is at its end). */
  scan(sink: RecordSink): void {
    while (this.i < this.end) {
      const i = this.i;
      const line = this.line;
      try {
        if (this.record()) sink(this.fields, this.consumed + this.i, this.line);
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
        this.i = i;
        this.line = line;
        return;
      }
    }
  }

  /** Moves the unscanned bytes to the front (into a larger buffer when they fill it) and reads more after them. */
  refill(read: ByteSource): void {
    const { fields } = this;
    const rest = this.end - this.i;
    const bytes = rest === fields.bytes.length ? Buffer.alloc(2 * rest) : fields.bytes;
    fields.bytes.copy(bytes, 0, this.i, this.end);
    fields.bytes = bytes;
    this.consumed += this.i;
    [this.i, this.end] = [0, rest];
    const n = read(bytes, rest);
    this.end += n;
    this.final = n === 0;
  }
}

/**
 * Calls `sink` for every non-empty record of the bytes that `read` gives (in pieces split anywhere, even inside
 * a character); a malformed quote is a UserError at its line and field. `bufferBytes`: its first size (tests).
 */
export function scanCsv(read: ByteSource, delimiter: string, file: string, sink: RecordSink, bufferBytes = BUFFER_BYTES): void {
  const s = new Scanner(Buffer.from(delimiter, 'utf8'), file, Math.max(bufferBytes, 1));
  const b = s.fields;
  do s.refill(read);
  while (!s.final && s.end < 3); // enough to see a BOM
  if (b.bytes[0] === 0xef && b.bytes[1] === 0xbb && b.bytes[2] === 0xbf && s.end >= 3) s.i = 3;
  for (;;) {
    s.scan(sink);
    if (s.final) return;
    s.refill(read);
  }
}
