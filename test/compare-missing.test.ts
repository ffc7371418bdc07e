// compare on a metric that runs hold as null (JSON's stand-in for NaN: R² of a single test row): the default
// sort takes the first metric of its list that some run has a number for, --by a metric no run has a number
// for is a usage error, and a top group with no other group holding the metric says so.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../src/errors.js';
import { compareRuns } from '../src/runner/compare.js';
import { tableText } from '../src/report/table.js';
import { tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-compare-missing');

/** Groups A (train_loss 0.2…) and B (0.5…) over seeds 0–2; test_r2 as `r2(group, seed)` gives it. */
function runs(r2: (group: string, seed: number) => number | null): string {
  const root = tempDir();
  for (const [group, base] of [['A', 0.2], ['B', 0.5]] as const) {
    for (const seed of [0, 1, 2]) {
      const dir = join(root, group, `seed=${seed}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'e', seed, setting: group }));
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'e', seed, status: 'completed', final: { train_loss: base + seed / 100, test_r2: r2(group, seed) } }));
      writeFileSync(join(dir, 'loss.csv'), 'epoch,step,train_loss\n0,0,1\n');
    }
  }
  return root;
}

describe('compare: a metric held as null', () => {
  it('the default sort passes over a metric no run has a number for', () => {
    const c = compareRuns([runs(() => null)], { out: false });
    expect(c.by).toBe('train_loss');
    expect(c.groups.map((g) => g.label)).toEqual(['e: setting=A', 'e: setting=B']);
    expect(c.groups[1].vsTop?.test).toBe('paired t');
  });

  it('--by such a metric is a usage error naming the metrics that have numbers', () => {
    let error: unknown;
    try {
      compareRuns([runs(() => null)], { by: 'test_r2', out: false });
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/--by test_r2: no run has a number for this metric.*expected one of: train_loss$/);
  });

  it('a top group that no other group can be tested against says that, not that it is alone', () => {
    const c = compareRuns([runs((group, seed) => (group === 'A' ? 0.5 + seed / 10 : null))], { by: 'test_r2', out: false });
    expect(c.groups[0].label).toBe('e: setting=A');
    expect(tableText(c)).toContain('no other group has a value of test_r2 to test the top one against');
  });
});
