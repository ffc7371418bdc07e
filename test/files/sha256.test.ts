// sha256.ts (small inputs) against node:crypto, computed independently: every length from 0 to 300 bytes (the
// padding's boundaries at 55/56 and 119/120 bytes among them), random bytes and multi-byte text; and hash.ts
// giving node:crypto's digest on both sides of SMALL, for texts and for files.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256, sha256File, SMALL } from '../../src/files/hash.js';
import { sha256Small } from '../../src/files/sha256.js';
import { Rng } from '../../src/random.js';

const reference = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'mlplab-sha256-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256Small', () => {
  it("is node:crypto's digest for every length from 0 to 300 bytes of random bytes", () => {
    const rng = new Rng(11);
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
      expect(sha256Small(bytes), `${n} bytes`).toBe(reference(bytes));
    }
  });

  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Small(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Small(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
});

describe('sha256 and sha256File', () => {
  it("give node:crypto's digest below, at and above SMALL bytes, for text and for files", () => {
    const unit = 'x,é,∑\n'; // 9 bytes of UTF-8, 6 characters
    const u = Buffer.byteLength(unit);
    for (const bytes of [0, 7, SMALL - 10, SMALL, SMALL + 10, 3 * SMALL]) {
      const text = unit.repeat(Math.floor(bytes / u)) + 'a'.repeat(bytes % u);
      expect(Buffer.byteLength(text)).toBe(bytes);
      expect(sha256(text), `text of ${bytes} bytes`).toBe(reference(text));
      expect(sha256(Buffer.from(text)), `bytes of ${bytes}`).toBe(reference(text));
      const file = join(dir, `f${bytes}`);
      writeFileSync(file, text);
      expect(sha256File(file), `file of ${bytes} bytes`).toBe(reference(text));
    }
  });
});
