// SHA-256 digests (hex) of texts and files, for run.json's record of exactly what a run read. Inputs up to SMALL
// bytes are digested by sha256.ts, larger ones by node:crypto, loaded only then: a small run never loads it.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sha256Small } from './sha256.js';

/** Up to this many bytes sha256.ts digests (≈0.7 ms cold for 2 kB); node:crypto's load alone costs 3–4.5 ms. */
export const SMALL = 1 << 16;

const crypto = (): typeof import('node:crypto') => createRequire(import.meta.url)('node:crypto');

export function sha256(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return bytes.length <= SMALL ? sha256Small(bytes) : crypto().createHash('sha256').update(bytes).digest('hex');
}

/** A file's digest, read in 1 MiB pieces: a data file is never held whole in memory (a run holds its rows already). */
export function sha256File(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(size <= SMALL ? SMALL + 1 : 1 << 20);
    let n = readSync(fd, buffer);
    if (n <= SMALL) {
      const more = readSync(fd, buffer, n, 1, null); // 0: the file ends here (whatever fstat said)
      if (more === 0) return sha256Small(buffer.subarray(0, n));
      n += more;
    }
    const hash = crypto().createHash('sha256');
    for (; n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}
