// A full device or quota (ENOSPC, EDQUOT) while a sweep writes its runs: the run that met it fails, located, and no
// other run starts (the next one's files would not fit either: hours of training lost run after run), on every path:
// serially, with --jobs 2 (its workers), through runPlans, and from the command, which says how many runs were not
// run and how to finish them. Any other write failure (EIO) fails its run alone and the sweep goes on. The failures
// are injected (MLPLAB_TEST_FAIL=STEP:CODE, files/fsfail.ts testFail); test/runs/crash.test.ts fills a real tmpfs.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlan, runPlans } from '../../src/index.js';
import { workersOnlyForTests } from '../../src/runner/pool.js';
import { removeTemps, spawnBin, tempDir, XOR } from './spawn.js';

const SEEDS = 'seed=0,1,2,3,4,5,6,7';

afterEach(() => {
  delete process.env.MLPLAB_TEST_FAIL;
  Object.assign(workersOnlyForTests, { on: false, answered: 0 });
  removeTemps();
});

/** The run folders written below out's xor-softmax/ (a failed run leaves none). */
const runFolders = (out: string): string[] => {
  const dir = join(out, 'xor-softmax');
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('seed=')) : [];
};

describe('a full device stops the sweep from starting more runs', () => {
  for (const jobs of [1, 2]) {
    it(`runPlans, ${jobs === 1 ? 'serially' : '--jobs 2 (every run on the worker)'}: ENOSPC ends the sweep after the runs under way; EIO does not`, async () => {
      const plan = () => loadPlan(XOR, { sweep: [SEEDS] });
      Object.assign(workersOnlyForTests, { on: jobs === 2, answered: 0 });
      process.env.MLPLAB_TEST_FAIL = 'sync:ENOSPC';
      const out = tempDir();
      const full = await runPlans([plan()], { out, jobs });
      // The run that met it, and (serially, beside its flush; with --jobs, on the worker) at most one more under way.
      expect(full.length).toBeGreaterThanOrEqual(1);
      expect(full.length).toBeLessThanOrEqual(2);
      for (const f of full) {
        expect('error' in f && f.error).toMatch(/xor-softmax\/seed=\d: cannot write the results to disk: no space left on the device \(ENOSPC\)$/);
        expect('error' in f && f.deviceFull).toBe(true);
      }
      expect(runFolders(out)).toEqual([]);

      process.env.MLPLAB_TEST_FAIL = 'sync:EIO';
      const other = await runPlans([plan()], { out: tempDir(), jobs });
      expect(other.length, 'every run tried').toBe(8);
      for (const f of other) {
        expect('error' in f && f.error).toMatch(/an input\/output error from the device \(EIO\)$/);
        expect('deviceFull' in f).toBe(false);
      }
    });
  }

  it('--jobs 2 with a busy parent: the worker whose run found the device full takes no other run itself (it took every run left while the parent, busy, had not read its answer)', async () => {
    Object.assign(workersOnlyForTests, { on: true, answered: 0 });
    process.env.MLPLAB_TEST_FAIL = 'sync:ENOSPC';
    let busy = true;
    const full = await runPlans([loadPlan(XOR, { sweep: [SEEDS] })], {
      out: tempDir(),
      jobs: 2,
      // the parent, busy for a second once the worker starts its first run, reads no message meanwhile
      onStart: () => {
        if (!busy) return;
        busy = false;
        const until = Date.now() + 1000;
        while (Date.now() < until);
      },
    });
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(full.length).toBeLessThanOrEqual(2);
    for (const f of full) expect('error' in f && f.deviceFull).toBe(true);
  });

  it('mlplab run, serially and with --jobs 2: exit 1, the located error, how many runs were not run and how to finish', async () => {
    for (const jobs of ['1', '2']) {
      const out = tempDir();
      const r = await spawnBin(['run', XOR, '--sweep', SEEDS, '--out', out, '--jobs', jobs], { MLPLAB_TEST_FAIL: 'sync:ENOSPC' }).done;
      expect(r.code, r.stderr).toBe(1);
      const lines = r.stderr.trim().split('\n');
      // The run that met it, and at most one more under way beside its flush (XOR's tiny runs stay in this thread
      // under --jobs 2: pool.ts workersWorth); then one line for the runs not run.
      const failed = lines.slice(0, -1);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.length).toBeLessThanOrEqual(2);
      for (const line of failed) expect(line).toMatch(/xor-softmax\/seed=\d: cannot write the results to disk: no space left on the device \(ENOSPC\)$/);
      expect(lines.at(-1)).toBe(`mlplab: the device is full: ${8 - failed.length} run(s) not run; free some space, then run the same command again with --resume (the runs completed are skipped)`);
      expect(runFolders(out)).toEqual([]);
    }
  });
});
