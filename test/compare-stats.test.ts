// compare's numbers for groups of cross-validation runs against test/fixtures/compare-stats.json (written by
// scripts/oracles/compare-stats.py with numpy and scipy): Nadeau and Bengio's corrected resampled t-test
// (paired by seed and fold, and Welch's with each mean's variance corrected) and the corrected interval of a
// group's mean, in significance.ts's functions and through `mlplab compare` (main(argv, io)): compare.csv's
// means, standard deviations, intervals, differences, degrees of freedom and p-values within 1e-10 relative,
// the tests named, the verdict the correction changes, and the sentences under the table saying what was used.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { foldsOf } from '../src/runner/groups.js';
import { compareRuns } from '../src/runner/compare.js';
import { kFoldRatio, mean, meanInterval, pairedT, welchT } from '../src/runner/significance.js';
import { tableCsv } from '../src/report/table.js';
import { cli, tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-compare-stats');

interface TestResult {
  diff: number;
  t: number;
  df: number;
  p: number;
  low: number;
  high: number;
}
interface GroupOracle {
  values: number[];
  folds: number | null;
  mean: number;
  std: number;
  ci: Record<string, [number, number]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/compare-stats.json', import.meta.url), 'utf8')) as {
  cross_validation: {
    folds: number;
    seeds: Record<'top' | 'other' | 'late', number[]>;
    groups: Record<'top' | 'other' | 'late', GroupOracle>;
    paired: Record<string, TestResult>;
    welch: Record<string, TestResult>;
    uncorrected_paired_p: number;
  };
  functions: {
    paired: { folds: number; a: number[]; b: number[]; paired: TestResult; summary: GroupOracle }[];
    welch: ({ a: number[]; b: number[]; folds_a: number | null; folds_b: number | null } & TestResult)[];
  };
  constant_groups: { a: number[]; b: number[]; t: number | string; p: number | string; df: number | string; diff: number }[];
};

/** Within 1e-10 relative to the expected value. */
function near(actual: number | string, expected: number, what: string): void {
  const x = Number(actual);
  expect(Math.abs(x - expected), `${what}: ${x} vs ${expected}`).toBeLessThanOrEqual(1e-10 * Math.abs(expected));
}

const ratio = (folds: number | null) => kFoldRatio(folds ?? undefined);

describe("a run's folds, as compare reads them from its config.json", () => {
  it('a whole number from 2: folds; anything else (1, 2.5, a string, none): not cross-validation', () => {
    expect(foldsOf({ data: { split: { folds: 5 } } })).toBe(5);
    for (const folds of [1, 0, 2.5, '5', null]) expect(foldsOf({ data: { split: { folds } } })).toBeUndefined();
    expect(foldsOf({ data: { split: { test: 0.2 } } })).toBeUndefined();
  });
});

describe('the mean (corrected two-pass)', () => {
  it('equal values: exactly their value; an infinite value or an overflowing sum: infinite, not NaN', () => {
    expect(mean(new Array(15).fill(0.1))).toBe(0.1);
    expect(new Array(15).fill(0.1).reduce((s, v) => s + v, 0) / 15).not.toBe(0.1); // what the correction takes back
    expect(mean([1e308, 1e308])).toBe(Infinity);
    expect(mean([1, Infinity])).toBe(Infinity);
    expect(mean([-Infinity, 1])).toBe(-Infinity);
    expect(mean([Infinity, -Infinity])).toBeNaN();
  });
});

describe("Nadeau and Bengio's corrected resampled t-test (significance.ts) against the oracle", () => {
  it('the paired test over K folds × seeds, and the interval of a mean over them, for K = 3, 10, 2', () => {
    expect(fixture.functions.paired).toHaveLength(3);
    for (const { folds, a, b, paired, summary } of fixture.functions.paired) {
      const r = pairedT(a, b, 0.05, kFoldRatio(folds));
      expect(r.test).toBe('corrected paired t');
      expect(r.df).toBe(paired.df);
      for (const k of ['diff', 't', 'p'] as const) near(r[k]!, paired[k], `K=${folds} ${k}`);
      near(r.ci[0], paired.low, `K=${folds} low`);
      near(r.ci[1], paired.high, `K=${folds} high`);
      for (const [alpha, [low, high]] of Object.entries(summary.ci)) {
        const ci = meanInterval(a, Number(alpha), kFoldRatio(folds))!;
        near(ci[0], low, `K=${folds} mean's interval low at ${alpha}`);
        near(ci[1], high, `K=${folds} mean's interval high at ${alpha}`);
      }
    }
  });

  it("Welch's test with each mean's variance corrected for its folds (one group without folds: its variance as usual)", () => {
    for (const w of fixture.functions.welch) {
      const r = welchT(w.a, w.b, 0.05, ratio(w.folds_a), ratio(w.folds_b));
      expect(r.test).toBe('corrected Welch t');
      for (const k of ['diff', 't', 'df', 'p'] as const) near(r[k]!, w[k], `Welch ${w.folds_a}/${w.folds_b} ${k}`);
      near(r.ci[0], w.low, 'Welch low');
      near(r.ci[1], w.high, 'Welch high');
    }
    expect(kFoldRatio(undefined)).toBe(0);
    expect(pairedT([1, 2, 3], [0, 2, 1], 0.05).test).toBe('paired t'); // without folds: the plain tests
  });
});

/** A cross-validation run's result folder: the files compare reads, validation_accuracy its final metric. */
function writeRun(dir: string, units: number, seed: number, fold: number, folds: number, accuracy: number): void {
  mkdirSync(dir, { recursive: true });
  const config = { name: 'cv', seed, data: { csv: { path: 'iris.csv', target: 'species' }, split: { folds, fold } }, model: { layers: [{ units, activation: 'tanh' }] } };
  const final = { train_loss: 0.1, validation_accuracy: accuracy };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'cv', seed, status: 'completed', final }));
  writeFileSync(join(dir, 'loss.csv'), `epoch,step,train_loss,validation_accuracy\n0,0,1,0.3\n10,80,0.1,${accuracy}\n`);
}

describe('mlplab compare on groups of cross-validation runs (compare.csv against the oracle)', () => {
  const cv = fixture.cross_validation;
  const UNITS = { top: 6, other: 2, late: 4 } as const;
  /** The three groups' runs: K folds of each seed, the values by seed then fold as the oracle lists them. */
  function tree(): string {
    const root = tempDir();
    for (const name of ['top', 'other', 'late'] as const) {
      cv.seeds[name].forEach((seed, s) => {
        for (let fold = 1; fold <= cv.folds; fold++) {
          const value = cv.groups[name].values[s * cv.folds + fold - 1];
          writeRun(join(root, `units=${UNITS[name]}`, `seed=${seed},fold=${fold}`), UNITS[name], seed, fold, cv.folds, value);
        }
      });
    }
    return root;
  }

  it('means, stds and corrected intervals; the corrected paired and Welch tests; tied where the uncorrected test would call a best', async () => {
    const root = tree();
    for (const alpha of ['0.05', '0.1']) {
      const out = join(root, `cmp-${alpha}`);
      const r = await cli('compare', root, '--by', 'validation_accuracy', '--alpha', alpha, '--out', out, '-q');
      expect(r.code, r.stderr).toBe(0);
      const rows = parse(readFileSync(join(out, 'compare.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows.map((row) => row.group)).toEqual(['cv: layers[0].units=6', 'cv: layers[0].units=2', 'cv: layers[0].units=4']);
      (['top', 'other', 'late'] as const).forEach((name, i) => {
        const g = cv.groups[name];
        expect(rows[i].n).toBe('15');
        near(rows[i].validation_accuracy_mean, g.mean, `${name} mean`);
        near(rows[i].validation_accuracy_std, g.std, `${name} std`);
        near(rows[i].validation_accuracy_ci_low, g.ci[alpha][0], `${name} interval low at ${alpha}`);
        near(rows[i].validation_accuracy_ci_high, g.ci[alpha][1], `${name} interval high at ${alpha}`);
      });
      const check = (row: Record<string, string>, expected: TestResult, test: string) => {
        expect([row.vs_top_test, row.wilcoxon_p]).toEqual([test, '']); // no signed-rank test of dependent pairs
        for (const [column, value] of [['diff', expected.diff], ['ci_low', expected.low], ['ci_high', expected.high], ['p', expected.p], ['df', expected.df]] as const) {
          near(row[`vs_top_${column}`], value, `${test} ${column} at ${alpha}`);
        }
      };
      // Every run's train_loss is 0.1: the mean is exactly 0.1 and the std 0 (the plain sum would leave 1.4e-17).
      expect(rows.map((row) => [row.train_loss_mean, row.train_loss_std, row.train_loss_ci_low])).toEqual(new Array(3).fill(['0.1', '0', '0.1']));
      check(rows[1], cv.paired[alpha], 'corrected paired t');
      check(rows[2], cv.welch[alpha], 'corrected Welch t');
      // The plain paired t-test (scipy's ttest_rel: p = 0.023) would call the top group best; corrected it is not.
      expect(cv.uncorrected_paired_p).toBeLessThan(0.05);
      expect(rows.map((row) => [row.best, row.tied])).toEqual([['0', '1'], ['0', '1'], ['0', '1']]);
      expect(r.stdout).toContain('Groups of 5 cross-validation folds (K): their runs share training rows, so their intervals and tests ("corrected") are Nadeau and Bengio\'s');
      expect(r.stdout).toContain('the variance of a mean of n runs is s²·(1/n + 1/(K − 1)), not s²/n; no signed-rank test for them.');
      expect(r.stdout).toContain('paired t-test when both groups ran the same seeds and folds,');
    }
  });

  it('one group of folds alone: its corrected interval, and the sentence without tests', async () => {
    const root = tree();
    const top = join(root, `units=${UNITS.top}`);
    const r = await cli('compare', top, '--by', 'validation_accuracy', '--out', join(root, 'cmp'), '-q');
    expect(r.code, r.stderr).toBe(0);
    const [row] = parse(readFileSync(join(root, 'cmp', 'compare.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    near(row.validation_accuracy_ci_low, cv.groups.top.ci['0.05'][0], 'low');
    near(row.validation_accuracy_ci_high, cv.groups.top.ci['0.05'][1], 'high');
    expect(r.stdout).toContain("Groups of 5 cross-validation folds (K): their runs share training rows, so their intervals are Nadeau and Bengio's");
    expect(r.stdout).not.toContain('signed-rank');
  });
});

/** JSON's stand-ins ("inf", "-inf", "nan") as numbers. */
const num = (x: number | string) => (typeof x === 'number' ? x : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : NaN);

describe("Welch's test of two groups without spread (scipy's ttest_ind(equal_var=False), compare-stats.json)", () => {
  // Welch–Satterthwaite's degrees of freedom are 0/0 there: scipy's NaN (it puts any number in their place, as
  // neither t, infinite or NaN, nor the interval, a point, depends on them); here undefined, an empty cell.
  it("scipy's t and p (p undefined where scipy's is NaN), the interval a point, no degrees of freedom", () => {
    expect(fixture.constant_groups).toHaveLength(3);
    for (const c of fixture.constant_groups) {
      const r = welchT(c.a, c.b, 0.05);
      expect(num(c.df)).toBeNaN();
      expect(r.df, `${c.a} vs ${c.b}`).toBeUndefined();
      expect(r.t).toBe(num(c.t));
      expect(r.p).toBe(Number.isNaN(num(c.p)) ? undefined : num(c.p));
      expect([r.diff, ...r.ci]).toEqual([c.diff, c.diff, c.diff]);
    }
  });

  it('compare.csv: vs_top_df empty (does not apply) beside p = 0 and the point interval, never NaN', () => {
    const root = tempDir();
    const [a, b] = [fixture.constant_groups[0].a, fixture.constant_groups[0].b];
    for (const [group, values, first] of [['A', a, 0], ['B', b, 10]] as const) {
      values.forEach((value, i) => {
        const dir = join(root, group, `seed=${first + i}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'c', seed: first + i, setting: group }));
        writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'c', seed: first + i, status: 'completed', final: { train_loss: value } }));
        writeFileSync(join(dir, 'loss.csv'), `epoch,step,train_loss\n0,0,${value}\n`);
      });
    }
    const c = compareRuns([root], { out: false });
    const { columns, rows } = tableCsv(c);
    const row = Object.fromEntries(columns.map((k, i) => [k, rows[1][i]]));
    expect([row.group, row.vs_top_test, row.vs_top_p, row.vs_top_diff, row.vs_top_ci_low, row.vs_top_ci_high, row.vs_top_df]).toEqual(['c: setting=B', 'Welch t', 0, 1, 1, 1, '']);
    expect(c.groups[1].vsTop).not.toHaveProperty('df');
    expect(c.groups[0].best).toBe(true);
  });
});
