// The crash-consistency harness (issue 21, item 6): the writer's every step is made to fail with every error a
// write can get (MLPLAB_TEST_FAIL=STEP:CODE, files/fsfail.ts testFail), in a results folder holding earlier
// results and another run below them (results/NAME/seed=3/). After each failure: exit 1 with the located
// reason, and the earlier results byte-identical (a failure before the publishing rename) or the new ones
// complete (after it), the other run untouched; then the next run repairs the rest and leaves nothing stray.
// The kill points (SIGKILL between steps) are in crash.test.ts; a real full disk and a file-size limit in
// crash.test.ts and files/safety.test.ts.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDirs } from '../helpers/cli.js';
import { snapshot, XOR } from './spawn.js';

const tempDir = tempDirs('mlplab-harness');
const NAME = 'xor-softmax';
const CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EFBIG: "the file would exceed the file-size limit (ulimit -f) or the file system's",
  EACCES: 'permission denied',
  EIO: 'an input/output error from the device',
};
/** Steps of a run folder's write, in order; `published`: the new results are in place when it fails. */
const STEPS: { step: string; where: (out: string) => string; doing: string; published?: boolean }[] = [
  { step: 'open', where: (o) => `${o}/.${NAME}.partial-\\d+-\\d+`, doing: 'create the staging folder' },
  { step: 'append', where: (o) => `${o}/${NAME}/loss.csv`, doing: 'write' },
  { step: 'write', where: (o) => `${o}/${NAME}/[a-z.]+`, doing: 'write' },
  { step: 'sync', where: (o) => `${o}/${NAME}`, doing: 'write the results to disk' },
  { step: 'keep', where: (o) => `${o}/${NAME}`, doing: 'replace the results folder' },
  { step: 'rename-old', where: (o) => `${o}/${NAME}`, doing: 'replace the results folder' },
  { step: 'rename-new', where: (o) => `${o}/${NAME}`, doing: 'replace the results folder' },
  { step: 'parent-sync', where: (o) => o, doing: "write the results folder's new name to disk", published: true },
];

let file = '';
let seed2 = '';
let base = '';
beforeAll(async () => {
  const dir = tempDir();
  file = join(dir, `${NAME}.yaml`);
  writeFileSync(file, readFileSync(XOR, 'utf8').replace('epochs: 2000', 'epochs: 20'));
  seed2 = join(tempDir(), `${NAME}.yaml`);
  writeFileSync(seed2, readFileSync(file, 'utf8').replace('seed: 1', 'seed: 2'));
  base = tempDir();
  expect((await cli('run', file, '--out', base, '--quiet')).code).toBe(0);
  expect((await cli('run', file, '--seed', '3', '--out', base, '--quiet')).code).toBe(0);
  const fresh = tempDir();
  expect((await cli('run', seed2, '--out', fresh, '--quiet')).code).toBe(0);
  newLoss = readFileSync(join(fresh, NAME, 'loss.csv'), 'utf8');
});
let newLoss = '';
afterEach(() => void delete process.env.MLPLAB_TEST_FAIL);

/** A copy of the earlier results (NAME/ and NAME/seed=3/) and its snapshot. */
function earlier() {
  const out = tempDir();
  cpSync(base, out, { recursive: true });
  return { out, before: snapshot(out) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('every step of a run folder\'s write failing with every error', () => {
  for (const { step, where, doing, published } of STEPS) {
    for (const [code, reason] of Object.entries(CODES)) {
      it(`${step} fails with ${code}: exit 1 naming it; ${published ? 'the new results in place' : 'the earlier results byte-identical'}; the next run repairs`, async () => {
        const { out, before } = earlier();
        process.env.MLPLAB_TEST_FAIL = `${step}:${code}`;
        const r = await cli('run', seed2, '--out', out, '--quiet');
        delete process.env.MLPLAB_TEST_FAIL;
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^${where(escape(out))}: cannot ${escape(doing)}: ${escape(reason)} \\(${code}\\)\n$`));
        const seed3 = Object.fromEntries(Object.entries(before).filter(([k]) => k.includes('seed=3')));
        if (published) {
          expect(readFileSync(join(out, NAME, 'loss.csv'), 'utf8')).toBe(newLoss);
          expect(Object.fromEntries(Object.entries(snapshot(out)).filter(([k]) => k.includes('seed=3') && !k.includes('.old-')))).toEqual(seed3);
        } else {
          expect(snapshot(out)).toEqual(before);
          expect(readdirSync(out)).toEqual([NAME]);
        }
        expect((await cli('run', seed2, '--out', out, '--quiet')).code).toBe(0);
        expect(readdirSync(out)).toEqual([NAME]);
        expect(readdirSync(join(out, NAME)).filter((f) => f.startsWith('.'))).toEqual([]);
        expect(Object.fromEntries(Object.entries(snapshot(out)).filter(([k]) => k.includes('seed=3')))).toEqual(seed3);
        expect(readFileSync(join(out, NAME, 'loss.csv'), 'utf8')).toBe(newLoss);
      });
    }
  }

  it('removing the old folder fails: exit 0, the new results in place, the old folder left to the next run', async () => {
    const { out } = earlier();
    process.env.MLPLAB_TEST_FAIL = 'remove-old:EIO';
    const r = await cli('run', seed2, '--out', out, '--quiet');
    delete process.env.MLPLAB_TEST_FAIL;
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(out, NAME, 'loss.csv'), 'utf8')).toBe(newLoss);
    expect(readdirSync(out).filter((f) => f.includes('.old-'))).toHaveLength(1);
    expect((await cli('run', seed2, '--out', out, '--quiet')).code).toBe(0);
    expect(readdirSync(out)).toEqual([NAME]);
  });
});

describe("a sweep's summary.csv failing with every error", () => {
  for (const step of ['file-write', 'file-rename']) {
    for (const [code, reason] of Object.entries(CODES)) {
      it(`${step} fails with ${code}: exit 1 naming summary.csv, the earlier summary byte-identical; the next run repairs`, async () => {
        const out = tempDir();
        expect((await cli('run', file, '--sweep', 'seed=1,2', '--out', out, '--quiet')).code).toBe(0);
        const summary = readFileSync(join(out, NAME, 'summary.csv'), 'utf8');
        process.env.MLPLAB_TEST_FAIL = `${step}:${code}`;
        const r = await cli('run', file, '--sweep', 'seed=2,3', '--out', out, '--quiet');
        delete process.env.MLPLAB_TEST_FAIL;
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(`${join(out, NAME, 'summary.csv')}: cannot write the file: ${reason} (${code})\n`);
        expect(readFileSync(join(out, NAME, 'summary.csv'), 'utf8')).toBe(summary);
        expect(readdirSync(join(out, NAME)).filter((f) => f.startsWith('.'))).toEqual([]);
        expect((await cli('run', file, '--sweep', 'seed=3', '--out', out, '--quiet')).code).toBe(0);
        // This invocation's grid (seed=3) first, then the other folders in natural order (summary.ts).
        expect(readFileSync(join(out, NAME, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(',')[0])).toEqual(['dir', 'seed=3', 'seed=1', 'seed=2']);
      });
    }
  }
});
