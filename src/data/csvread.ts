// Sources of bytes for the CSV scanner: a file, read into the scanner's buffer (never the whole of a large file
// in memory at once), with the problems of reading it as located UserErrors (no such file, a folder, a binary
// file: a NUL byte, placed at its line and column in characters), and the SHA-256 of exactly the bytes read (run.json's record of the data
// trained on, from this one read); and chunks already in memory (tests, small inputs).

import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { systemReason, UserError, type Place } from '../errors.js';
import type { ByteSource } from './csvscan.js';

const quote = (s: string): string => JSON.stringify(s);
const LF = 0x0a;
const CR = 0x0d;

export interface OpenFile {
  size: number; // bytes
  read: ByteSource;
  /** SHA-256 (hex) of the bytes read so far: after the last read, of the file as it was read. */
  sha256(): string;
  close(): void;
}

/** The file as a ByteSource, and its size in bytes; `pathPlace` and `written` locate and name it in messages. */
export function openBytes(file: string, pathPlace: Place, written: string): OpenFile {
  const read = written === file ? '' : ` (read as ${file}: the path is relative to the experiment file's folder)`;
  const refuse = (reason: string): UserError => new UserError('data', `expected a CSV file at ${quote(written)}${read}, but ${reason}`, pathPlace);
  const cannot = (e: unknown): UserError => {
    const code = (e as NodeJS.ErrnoException).code;
    return refuse(code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'ENXIO' ? 'it is a socket' : systemReason(e));
  };
  let fd: number;
  try {
    // NOTE: O_NONBLOCK, so a FIFO is refused below instead of waiting for a writer forever (a socket: ENXIO).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw cannot(e);
  }
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw cannot(e);
  }
  const other = notRegular(stats);
  if (other !== undefined) {
    closeSync(fd);
    throw refuse(`it is ${other}`);
  }
  let line = 1; // lines before the bytes read next
  let column = 0; // characters of that line before them
  let first = true; // the next read is the first
  let afterCR = false; // the bytes read so far end in a CR (an LF next ends no other line)
  const hash = createHash('sha256');
  const readBytes: ByteSource = (buffer, at) => {
    let n: number;
    try {
      n = readSync(fd, buffer, at, buffer.length - at, null);
    } catch (e) {
      throw cannot(e);
    }
    const bytes = buffer.subarray(at, at + n);
    hash.update(bytes);
    // A leading BOM is no column (the scanner drops it, editors do not show it): its line starts a character later.
    if (first && n > 0) column = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? -1 : 0;
    first = false;
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      const lf = lastBreak(bytes, nul);
      const at = { file, line: line + lineBreaks(bytes, nul, afterCR), column: (lf >= 0 ? 0 : column) + characters(bytes, lf + 1, nul) + 1 };
      throw new UserError('data', 'expected a text CSV file, but found a NUL byte (is this a binary file?)', at);
    }
    line += lineBreaks(bytes, n, afterCR);
    const lf = lastBreak(bytes, n);
    column = (lf >= 0 ? 0 : column) + characters(bytes, lf + 1, n);
    if (n > 0) afterCR = bytes[n - 1] === CR;
    return n;
  };
  return { size: stats.size, read: readBytes, sha256: () => hash.copy().digest('hex'), close: () => closeSync(fd) };
}

/** What a file that is not a regular one is (undefined: a regular file). A link was followed by the open. The
 *  data layer's own few words, as it sits below files/safefs.ts's describeKind. */
function notRegular(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Line ends in bytes before `end`, as the scanner counts them: LF, CRLF and a lone CR (old Mac files) each one;
 * `afterCR`: the bytes before these ended in a CR, so an LF first is that CRLF's end, not another.
 */
function lineBreaks(bytes: Uint8Array, end: number, afterCR: boolean): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) if (i > 0 ? bytes[i - 1] !== CR : !afterCR) n++;
  for (let i = bytes.indexOf(CR); i >= 0 && i < end; i = bytes.indexOf(CR, i + 1)) n++;
  return n;
}

/** The last LF or CR in bytes before `end`, or −1. NOTE: not lastIndexOf(x, −1), which searches from the end. */
const lastBreak = (bytes: Uint8Array, end: number): number => (end === 0 ? -1 : Math.max(bytes.lastIndexOf(LF, end - 1), bytes.lastIndexOf(CR, end - 1)));

/** Characters (UTF-8) in bytes[from, to): every byte but the continuation bytes 10xxxxxx. */
function characters(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((bytes[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** A ByteSource giving `chunks` in turn, each split further where the buffer is full (for tests and small inputs). */
export function chunkSource(chunks: readonly Uint8Array[]): ByteSource {
  let k = 0;
  let at = 0;
  return (buffer, to) => {
    while (k < chunks.length && at === chunks[k].length) [k, at] = [k + 1, 0];
    if (k === chunks.length) return 0;
    const n = Math.min(buffer.length - to, chunks[k].length - at);
    buffer.set(chunks[k].subarray(at, at + n), to);
    at += n;
    return n;
  };
}
