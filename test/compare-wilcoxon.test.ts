// The signed-rank test beside compare's paired t-test, on accuracies (correct rows k over the test set's n):
// pairs whose accuracies differ by as many rows are tied, whatever the last bits of k_a/n − k_b/n, so the
// p-value is scipy's on the exact differences k_b − k_a (scripts/oracles/wilcoxon-ties.py →
// test/fixtures/wilcoxon-ties.json): with the tie correction where they tie, exact where they do not. On a
// loss-like metric the differences are taken as they are: two that agree to 10 digits only are not tied (scipy
// on the float differences: the exact test).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../src/runner/compare.js';
import { tempDirs } from './helpers/cli.js';

interface Case { rows: number; top: number[]; other: number[]; p: number; method: 'exact' | 'normal' }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/wilcoxon-ties.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  loss: { top: number[]; other: number[]; p: number; method: 'exact' | 'normal' };
};
const tempDir = tempDirs('mlplab-compare-wilcoxon');

/** Two groups (activation a, b) over the same seeds, their test_accuracy k/n by seed. */
function runs(c: Case): string {
  return groups(c.top.map((k) => ({ test_accuracy: k / c.rows })), c.other.map((k) => ({ test_accuracy: k / c.rows })));
}

/** Two groups (activation a, b) over the same seeds, with these final metrics by seed. */
function groups(a: Record<string, number>[], b: Record<string, number>[]): string {
  const root = tempDir();
  for (const [activation, finals] of [['a', a], ['b', b]] as const) {
    finals.forEach((final, seed) => {
      const dir = join(root, `activation=${activation},seed=${seed}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'w', seed, activation }));
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'w', seed, status: 'completed', final }));
      writeFileSync(join(dir, 'loss.csv'), 'epoch,step,train_loss\n0,0,1\n');
    });
  }
  return root;
}

describe('compare: the signed-rank test on accuracies', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i: scipy on the rows\' differences', (_, c) => {
    const [top, other] = compareRuns([runs(c)], { by: 'test_accuracy', out: false }).groups;
    expect(top.label).toBe('w: activation=a');
    const w = other.vsTop!.wilcoxon!;
    expect(w.method).toBe(c.method);
    expect(Math.abs(w.p - c.p)).toBeLessThanOrEqual(1e-12 * c.p);
  });
});

describe('compare: the signed-rank test on a loss', () => {
  it('differences alike to 10 digits only are not ties: exact, scipy\'s p on the float differences', () => {
    const { top, other, p, method } = fixture.loss;
    const [first, second] = compareRuns([groups(top.map((v) => ({ train_loss: v })), other.map((v) => ({ train_loss: v })))], { by: 'train_loss', out: false }).groups;
    expect([first.label, second.label]).toEqual(['w: activation=a', 'w: activation=b']);
    const d = other.map((v, i) => v - top[i]);
    expect([d[0] === d[1], d[0].toPrecision(10) === d[1].toPrecision(10)]).toEqual([false, true]); // the near-tie
    expect(second.vsTop!.wilcoxon).toEqual({ p, method });
  });
});
