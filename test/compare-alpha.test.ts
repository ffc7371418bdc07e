// compare at a tiny --alpha: the intervals stay finite and are scipy's (t.isf(alpha / 2) · sem about the mean,
// test/fixtures/scipy-stats.json's tiny_alpha_intervals, by scripts/oracles/scipy-stats.py), the level is
// written so that it is not "100%", and an alpha below MIN_ALPHA is a usage error naming --alpha.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../src/errors.js';
import { compareRuns } from '../src/runner/compare.js';
import { levelText, tableText } from '../src/report/table.js';
import { tempDirs } from './helpers/cli.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/scipy-stats.json', import.meta.url), 'utf8')) as {
  samples: Record<string, number[]>;
  tiny_alpha_intervals: { sample: string; alpha: number; low: number; high: number }[];
};
const tempDir = tempDirs('mlplab-compare-alpha');

/** Group A: the fixture's sample n5 as train_loss over seeds 0–4; group B: n3 + 1 over seeds 0–2. */
function runs(): string {
  const root = tempDir();
  for (const [group, values] of [['A', fixture.samples.n5], ['B', fixture.samples.n3.map((v) => v + 1)]] as const) {
    values.forEach((value, seed) => {
      const dir = join(root, group, `seed=${seed}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'e', seed, setting: group }));
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'e', seed, status: 'completed', final: { train_loss: value } }));
      writeFileSync(join(dir, 'loss.csv'), `epoch,step,train_loss\n0,0,${value}\n`);
    });
  }
  return root;
}

const near = (x: number, expected: number, what: string) => expect(Math.abs(x - expected), `${what}: ${x} vs ${expected}`).toBeLessThanOrEqual(5e-9 * Math.abs(expected));

describe('compare --alpha below 1e-16', () => {
  it('gives finite intervals, scipy\'s, and a finite difference interval; the level is not "100%"', () => {
    const root = runs();
    for (const alpha of [1e-10, 1e-17, 1e-100]) {
      const c = compareRuns([root], { alpha, out: false });
      const [a] = c.groups;
      expect(a.label).toBe('e: setting=A');
      const oracle = fixture.tiny_alpha_intervals.find((r) => r.sample === 'n5' && r.alpha === alpha)!;
      near(a.stats.train_loss.ci![0], oracle.low, `low at ${alpha}`);
      near(a.stats.train_loss.ci![1], oracle.high, `high at ${alpha}`);
      const vs = c.groups[1].vsTop!;
      expect(vs.ci!.every(Number.isFinite), `${vs.ci}`).toBe(true);
      expect(tableText(c)).not.toContain('100%');
    }
    expect(tableText(compareRuns([root], { alpha: 1e-17, out: false }))).toContain('train_loss ((100 − 1e-15)% CI)');
  });

  it('levels as percentages: as many digits as tell them from 100', () => {
    expect([0.05, 0.01, 0.001, 1e-7, 1e-12, 1e-13, 1e-17].map(levelText)).toEqual(['95%', '99%', '99.9%', '99.99999%', '99.9999999999%', '(100 − 1e-11)%', '(100 − 1e-15)%']);
  });

  it('an alpha below 1e-100 is a usage error naming --alpha', () => {
    let error: unknown;
    try {
      compareRuns([runs()], { alpha: 1e-101, out: false });
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe('--alpha expects a significance level of at least 1e-100 (smaller ones are not supported: their intervals\' t quantiles are not checked), found 1e-101');
  });
});
