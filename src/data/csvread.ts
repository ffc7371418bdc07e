// Opening a CSV file as text in chunks of 16 KiB (never the whole of a large file in memory at once), with
// the problems of reading it as located UserErrors: no such file, a folder, a binary file (a NUL byte).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UserError, type Place } from '../errors.js';

const quote = (s: string): string => JSON.stringify(s);

// NOTE: measured, not derived: with 64 KiB chunks V8's young generation grew to 32 MiB while reading 10,000 rows
// of 784 values (16 MiB with these), for an 8% faster read of that file; narrow or 96 kB rows read as fast.
const CHUNK_BYTES = 1 << 14;

/** The file's text in chunks, and its size in bytes; `pathPlace` and `written` locate and name it in messages. */
export function openText(file: string, pathPlace: Place, written: string): { size: number; chunks: Iterable<string> } {
  const cannot = (e: unknown): UserError => {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    const read = written === file ? '' : ` (read as ${file}: the path is relative to the experiment file's folder)`;
    return new UserError('data', `expected a CSV file at ${quote(written)}${read}, but ${reason}`, pathPlace);
  };
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw cannot(e);
  }
  function* chunks(): Generator<string> {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let line = 1;
    const read = () => {
      try {
        return readSync(fd, buffer);
      } catch (e) {
        throw cannot(e);
      }
    };
    try {
      for (let n = read(); n > 0; n = read()) {
        const text = decoder.write(buffer.subarray(0, n));
        const nul = text.indexOf('\0');
        if (nul >= 0) throw new UserError('data', 'expected a text CSV file, but found a NUL byte (is this a binary file?)', { file, line: line + lineBreaks(text, nul) });
        line += lineBreaks(text, text.length);
        yield text;
      }
      yield decoder.end();
    } finally {
      closeSync(fd);
    }
  }
  return { size: fstatSync(fd).size, chunks: chunks() };
}

/** Line feeds in text before `end`. */
function lineBreaks(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
