// compare on a metric that runs hold as null (JSON's stand-in for NaN: R² of a single test row): the default
// sort takes the first metric of its list that some run has a number for, --by a metric no run has a number
// for is a usage error, a top group with no other group holding the metric says so, and a group whose runs hold
// a metric only in part shows how many values its mean is over.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../src/errors.js';
import { compare, compareRuns } from '../src/runner/compare.js';
import { tableCells, tableCsv, tableText } from '../src/report/table.js';
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

describe('compare: a metric that only some of a group\'s runs hold', () => {
  // Group A's seed 0 has no test_r2 (null): its mean and interval are over seeds 1 and 2, and the table says 2 of 3.
  const partial = () => runs((group, seed) => (group === 'A' && seed === 0 ? null : (group === 'A' ? 0.5 : 0.4) + seed / 10));

  it('the n column counts the values of the sorting metric (k of n where runs lack it); the mean is over those', () => {
    const c = compareRuns([partial()], { by: 'test_r2', out: false });
    expect(c.groups.map((g) => [g.label, g.n, g.stats.test_r2.n])).toEqual([
      ['e: setting=A', 3, 2],
      ['e: setting=B', 3, 3],
    ]);
    expect(c.groups[0].stats.test_r2.mean).toBeCloseTo(0.65, 15); // (0.6 + 0.7) / 2, not over 3 runs
    const { header, rows } = tableCells(c);
    expect(rows.map((r) => r[header.indexOf('n')])).toEqual(['2 of 3', '3']);
    expect(tableText(c)).toContain('"2 of 3": 2 of the group\'s 3 runs have a number for test_r2, and its statistics are over those.');
  });

  it('another metric held in part: its cell says over how many; compare.csv has each metric\'s count', () => {
    const c = compareRuns([partial()], { by: 'train_loss', out: false });
    const { header, rows } = tableCells(c);
    expect(rows.map((r) => r[header.indexOf('n')])).toEqual(['3', '3']);
    expect(rows.map((r) => r[header.indexOf('test_r2')])).toEqual(['0.65 ± 0.07071 (n = 2)', '0.5 ± 0.1']);
    const csv = tableCsv(c);
    const column = (name: string) => csv.rows.map((r) => r[csv.columns.indexOf(name)]);
    expect([column('n'), column('test_r2_n'), column('train_loss_n')]).toEqual([[3, 3], [2, 3], [3, 3]]);
  });
});

describe('compare: run.json final metrics that are null (StoredRun.final: number | null)', () => {
  it('the whole comparison and its files go through; a group without numbers shows the metric as missing', async () => {
    const root = runs((group, seed) => (group === 'B' ? null : seed === 0 ? null : 0.5 + seed / 10));
    for (const by of ['test_r2', 'train_loss']) {
      const c = await compare([root], { by, out: false });
      const { header, rows } = tableCells(c);
      const cells = rows.map((r) => [r[header.indexOf('group')], r[header.findIndex((h) => h.startsWith('test_r2'))]]);
      expect(cells).toEqual(by === 'test_r2' ? [['e: setting=A', '0.65 [0.01469, 1.285]'], ['e: setting=B', '—']] : [['e: setting=A', '0.65 ± 0.07071 (n = 2)'], ['e: setting=B', '—']]);
      const csv = c.files['compare.csv'].split('\n');
      const column = csv[0].split(',').indexOf('test_r2_mean');
      expect(csv.slice(1, 3).map((line) => line.split(',')[column] === '')).toEqual([false, true]); // A first either way, B's empty
      expect(rows.map((r) => r[header.indexOf('n')])).toEqual(by === 'test_r2' ? ['2 of 3', '0 of 3'] : ['3', '3']);
      expect(c.page).toContain('—');
      expect(c.files['compare.csv']).not.toMatch(/null|NaN/);
    }
  });
});
