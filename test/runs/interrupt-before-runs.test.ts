// An interrupt that comes before any run of a sweep has started (Ctrl-C while --jobs makes the data, before the
// first job): no run starts, and the invocation ends as an interrupt between runs, writing nothing. It ended with
// `OUT/NAME/.summary.csv.lock: cannot create the lock file: no such folder` (exit 1 from the command, a rejection
// from runPlans): the sweep's summary.csv was rebuilt in a folder no run had made.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan, runPlans } from '../../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'mlplab-interrupt-before-runs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('an interrupt before the first run of a sweep', () => {
  for (const jobs of [1, 2]) {
    it(`runs nothing and writes nothing (jobs ${jobs})`, async () => {
      const plan = loadPlan('experiments/xor-softmax.yaml', { sweep: ['seed=1,2,3'], set: ['training.epochs=5'] });
      const dir = join(out, `jobs${jobs}`);
      await expect(runPlans([plan], { out: dir, jobs, interrupt: () => 'SIGINT' })).resolves.toEqual([]);
      expect(existsSync(dir) ? readdirSync(dir, { recursive: true }) : []).toEqual([]);
    });
  }
});
