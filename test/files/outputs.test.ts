// The atomic writers refuse any target that is not a named entry strictly inside its parent folder: replacing
// `.`, `..`, `''` or `/` would swap out a folder that holds other things.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe("writeFileAtomically and killed writers' partial copies", () => {
  it('removes those over an hour old of a process not running here (or of this PID before this process started); leaves a recent one, a live process\'s, another file\'s and a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-partials-'));
    const hourAgo = Date.now() - 61 * 60_000;
    const names = {
      abandoned: `.s.csv.partial-99999999-${hourAgo}`,
      recent: `.s.csv.partial-99999999-${Date.now() - 1000}`, // perhaps another host's writer, writing now
      live: `.s.csv.partial-${process.ppid}-${hourAgo}`,
      // this process's PID, made before it started: a killed process with the same PID (files/lock.ts writerGone)
      reused: `.s.csv.partial-${process.pid}-${hourAgo}`,
      other: `.t.csv.partial-99999999-${hourAgo}`,
    };
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'half');
    mkdirSync(join(dir, `.s.csv.partial-99999998-${hourAgo}`)); // a run's staging folder of that name: recover()'s
    writeFileAtomically(join(dir, 's.csv'), 'whole\n');
    expect(readdirSync(dir).sort()).toEqual([names.live, `.s.csv.partial-99999998-${hourAgo}`, names.recent, names.other, 's.csv'].sort());
    expect(readFileSync(join(dir, 's.csv'), 'utf8')).toBe('whole\n');
    rmSync(dir, { recursive: true, force: true });
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
