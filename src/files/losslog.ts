// The loss log: one row per logged epoch (epoch 0 before any update, every `log.every` epochs, and the last),
// written as CSV: csvText (csv-stringify) for whole tables, csvRow for rows streamed one by one. Numbers are in shortest round-trip decimal form (JavaScript's String(n)),
// so reading a value back gives the identical float64. A log is read back (a resume) in pieces, row by row, never whole.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { stringify } from 'csv-stringify/sync';

/** One logged moment: epoch, weight updates so far, and metrics named by their column. */
export interface LogRow {
  epoch: number;
  step: number;
  [metric: string]: number;
}

/** Is epoch e one that the log records? */
export function isLoggedEpoch(epoch: number, every: number, lastEpoch: number): boolean {
  return epoch === 0 || epoch === lastEpoch || epoch % every === 0;
}

export function lossLogCsv(columns: readonly string[], rows: readonly LogRow[]): string {
  return csvText(columns, rows.map((r) => columns.map((c) => r[c])));
}

/** A header and rows as CSV, numbers in shortest round-trip form: every CSV mlplab writes goes through here. */
export function csvText(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], { header: true, columns: [...columns], cast: { number: (v) => String(v) } });
}

/**
 * The loss log written as it grows: the header before the first row, then each row as it comes, in exactly
 * lossLogCsv's bytes; text goes to `sink` in chunks of about 64 kB (and on flush), so memory stays flat.
 */
export class LossLogWriter {
  private buffer = '';
  private started = false;

  /** continued: the sink holds a log's header and rows already (a run resumed from a checkpoint): rows follow them. */
  constructor(private readonly columns: readonly string[], private readonly sink: (text: string) => void, continued = false) {
    this.started = continued;
  }

  add(row: LogRow): void {
    if (!this.started) (this.buffer += csvRow(this.columns)), (this.started = true); // the header, as csvText writes it
    this.buffer += csvRow(this.columns.map((c) => row[c]));
    if (this.buffer.length >= 65536) this.flush();
  }

  /** Writes what is buffered; a log that got no row (a loss not finite at epoch 0) still gets its header. */
  flush(): void {
    if (!this.started) (this.buffer += csvRow(this.columns)), (this.started = true);
    if (this.buffer !== '') this.sink(this.buffer);
    this.buffer = '';
  }
}

/** Bytes of a loss log read at a time (as files/hash.ts sha256File reads a file). */
const PIECE = 1 << 16;

/**
 * The first `bytes` bytes of loss log `file` (fewer when it is shorter: the caller counts them), in pieces of at
 * most `piece` bytes, so that a log of a million rows (a resume's) is never held whole. Each piece a Buffer of its own.
 */
export function* logPieces(file: string, bytes: number, piece = PIECE): Generator<Buffer> {
  if (bytes <= 0) return;
  const fd = openSync(file, 'r');
  try {
    for (let at = 0; at < bytes; ) {
      const buffer = Buffer.alloc(Math.min(piece, bytes - at));
      const n = readSync(fd, buffer, 0, buffer.length, at);
      if (n === 0) return;
      at += n;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The pieces of a loss log (logPieces) as text, a character cut between two pieces decoded whole (UTF-8). */
export function* logText(pieces: Iterable<Uint8Array>): Generator<string> {
  const decoder = new StringDecoder('utf8');
  for (const piece of pieces) yield decoder.write(piece as Buffer);
  const end = decoder.end();
  if (end !== '') yield end;
}

/**
 * The rows of a loss log as LossLogWriter wrote it (numbers in shortest round-trip form: read back exactly), from its
 * text in pieces (logText), one row at a time: what is held is a piece's lines, never the log's rows. Blank lines are
 * skipped; the first line is the header.
 */
export function* logRows(text: Iterable<string>): Generator<LogRow> {
  let columns: string[] | undefined;
  let rest = '';
  const row = (line: string) => Object.fromEntries(line.split(',').map((v, i) => [columns![i], Number(v)])) as LogRow;
  for (const piece of text) {
    const lines = (rest + piece).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (line === '') continue;
      if (columns === undefined) columns = line.split(',');
      else yield row(line);
    }
  }
  if (rest !== '' && columns !== undefined) yield row(rest);
}

/**
 * One data row as csvText writes it, without csv-stringify's per-row cost (predict writes millions): numbers
 * in shortest round-trip form, strings quoted when they hold a comma, a quote or a line break, quotes doubled.
 */
export function csvRow(cells: readonly (string | number)[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    const text = typeof v === 'number' ? String(v) : /[,"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    line += i === 0 ? text : `,${text}`;
  }
  return line + '\n';
}
