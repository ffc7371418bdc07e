// The atomic writers refuse any target that is not a named entry strictly inside its parent folder: replacing
// `.`, `..`, `''` or `/` would swap out a folder that holds other things.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomically, writeFolderAtomically } from '../../src/files/outputs.js';

const root = mkdtempSync(join(tmpdir(), 'mlplab-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFolderAtomically / writeFileAtomically', () => {
  // NOTE: written as strings, never with join(): join(root, '..') normalizes to root's parent, a real named
  // folder that the writer would rightly replace (with everything in it).
  const bad = [`${root}/.`, `${root}/..`, `${root}/sub/../..`, '', '.', '..', './', '../', '/'];
  for (const target of bad) {
    it(`refuses ${JSON.stringify(target)} and leaves the parent as it was`, async () => {
      writeFileSync(join(root, 'keep.txt'), 'kept');
      const before = readdirSync(root).sort();
      await expect(writeFolderAtomically(target, { 'a.txt': 'x' })).rejects.toThrow(/strictly inside its parent folder/);
      expect(() => writeFileAtomically(target, 'x')).toThrow(/strictly inside its parent folder/);
      expect(readdirSync(root).sort()).toEqual(before);
      expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('kept');
    });
  }

  it('replaces a named folder whole and leaves its siblings alone', async () => {
    writeFileSync(join(root, 'sibling.txt'), 'sibling');
    await writeFolderAtomically(join(root, 'run'), { 'a.txt': 'old', 'b.txt': 'old' });
    await writeFolderAtomically(join(root, 'run'), { 'a.txt': 'new' });
    expect(readdirSync(join(root, 'run'))).toEqual(['a.txt']);
    expect(readFileSync(join(root, 'run', 'a.txt'), 'utf8')).toBe('new');
    expect(readFileSync(join(root, 'sibling.txt'), 'utf8')).toBe('sibling');
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('writeFileAtomically when the write fails', () => {
  it('refuses a target that is a folder before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-outfile-'));
    writeFileSync(join(dir, 'x.csv'), 'old');
    const target = join(dir, 'taken');
    await writeFolderAtomically(target, { 'inside.txt': 'kept' });
    expect(() => writeFileAtomically(target, 'new')).toThrow(/^cannot write the output here: it is a folder, not a regular file; expected a file name$/);
    expect(readdirSync(dir).sort()).toEqual(['taken', 'x.csv']);
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('kept');
    rmSync(dir, { recursive: true, force: true });
  });
});
