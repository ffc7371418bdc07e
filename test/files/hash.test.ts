// sha256File reads a file in pieces (a data file is never held whole): the digest is the whole content's, for an
// empty file, a small one, and one of several pieces with multi-byte characters across the piece boundaries.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256, sha256File } from '../../src/files/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'mlplab-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256File', () => {
  it('is the digest of the whole file, read in pieces', () => {
    const large = Buffer.from('x,é,∑\n'.repeat(700_000)); // 7.7 MB: eight 1 MiB pieces, characters split between them
    for (const [name, content] of [['empty', Buffer.alloc(0)], ['small', Buffer.from('a,b\n1,2\n')], ['large', large]] as const) {
      const file = join(dir, name);
      writeFileSync(file, content);
      expect(sha256File(file), name).toBe(createHash('sha256').update(content).digest('hex'));
    }
    expect(sha256('a,b\n1,2\n')).toBe(createHash('sha256').update('a,b\n1,2\n').digest('hex'));
  });
});
