// Cross-validation (data.split.folds: K): the folds (sizes, stratification, every row validated once, the same
// file the same folds), the runs a file stands for (fold=k, after the sweep's axes; --set data.split.fold picks
// one), the refusals, the same files with --jobs 2 as serially, evaluate reproducing a fold's scores, and compare
// and check treating a configuration's folds as one group (paired by seed and fold; check's mean over folds).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../src/config/plan.js';
import { assignFolds } from '../src/data/folds.js';
import { loadData, type LoadContext } from '../src/data/load.js';
import type { DataSpec } from '../src/data/schema.js';
import { isUserError, UserErrors } from '../src/errors.js';
import { Rng } from '../src/random.js';
import { checkExperiment } from '../src/runner/check.js';
import { compareRuns } from '../src/runner/compare.js';
import { groupKey } from '../src/runner/groups.js';
import { fakeAt } from './data/helpers.js';
import { cli, tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-cv');
const DATA = fileURLToPath(new URL('../data', import.meta.url));
const IRIS = { csv: { path: 'iris.csv', target: 'species' } };
const ctx = (over: Partial<LoadContext> = {}): LoadContext => ({ yamlFile: 'exp.yaml', baseDir: DATA, seed: 3, loss: 'cross_entropy', outputUnits: 3, at: fakeAt(), ...over });
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const counts = (rows: Iterable<number>, label: (r: number) => number, k: number) => {
  const c = new Array(k).fill(0);
  for (const r of rows) c[label(r)]++;
  return c;
};

describe('assignFolds', () => {
  it('stratified: each class dealt so its count per fold differs by at most one, and so do the fold sizes', () => {
    const sizes = [41, 23, 9, 5, 2];
    const strata = sizes.flatMap((n, c) => new Array(n).fill(c));
    new Rng(5).shuffle(strata);
    for (const folds of [2, 3, 7]) {
      const of = assignFolds(strata.length, folds, Rng.stream(1, 'folds'), strata);
      expect(spread(counts(of, (f) => f, folds))).toBeLessThanOrEqual(1);
      sizes.forEach((_, c) => {
        const perFold = counts(strata.flatMap((s, r) => (s === c ? [of[r]] : [])), (f) => f, folds);
        expect(spread(perFold)).toBeLessThanOrEqual(1);
      });
    }
  });

  it('the same stream gives the same folds; another seed other folds; unstratified folds differ in size by at most one', () => {
    const a = assignFolds(103, 5, Rng.stream(1, 'folds'));
    expect(Array.from(assignFolds(103, 5, Rng.stream(1, 'folds')))).toEqual(Array.from(a));
    expect(Array.from(assignFolds(103, 5, Rng.stream(2, 'folds')))).not.toEqual(Array.from(a));
    expect(counts(a, (f) => f, 5).sort()).toEqual([20, 20, 21, 21, 21]);
  });
});

describe('loadData with folds', () => {
  const load = (split: DataSpec['split'], over: Partial<LoadContext> = {}, spec: DataSpec = IRIS) => loadData({ ...spec, split }, ctx(over));

  it('the test rows are held out first (the same as without folds); every other row validates in exactly one fold', () => {
    const plain = load({ test: 0.2 });
    const folds = [1, 2, 3, 4, 5, 6, 7].map((fold) => load({ test: 0.2, folds: 7, fold }));
    const seen = new Array(150).fill(0);
    for (const d of folds) {
      expect(Array.from(d.split.test)).toEqual(Array.from(plain.split.test));
      expect([...d.split.train, ...d.split.validation, ...d.split.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
      expect(d.validation!.x.rows).toBe(d.split.validation.length);
      expect(d.strata).toBe('class');
      for (const r of d.split.validation) seen[r]++;
    }
    expect(seen.filter((n, r) => n !== (plain.split.test.includes(r) ? 0 : 1))).toEqual([]);
    expect(spread(folds.map((d) => d.split.validation.length))).toBeLessThanOrEqual(1); // 120 rows: 17 or 18
    // Iris is 50 rows of each species in file order: each fold has 5 or 6 of the 40 left of each.
    for (const d of folds) for (const c of [0, 1, 2]) expect([5, 6]).toContain(Array.from(d.split.validation).filter((r) => Math.floor(r / 50) === c).length);
  });

  it('the same file gives the same folds; fold 1 is the default; regression is plain K-fold (strata none)', () => {
    expect(Array.from(load({ folds: 4, fold: 1 }).split.validation)).toEqual(Array.from(load({ folds: 4 }).split.validation));
    const sine = { generate: { kind: 'sine' as const, samples: 50 } };
    const d = load({ folds: 4, fold: 2 }, { loss: 'mse', outputUnits: 1 }, sine);
    expect(d.kind).toBe('regression');
    expect(d.strata).toBe('none');
    expect([12, 13]).toContain(d.split.validation.length);
  });

  it('more folds than rows: a located sentence at data.split.folds', () => {
    const e = (() => {
      try {
        load({ test: 0.5, folds: 100 });
      } catch (error) {
        return error;
      }
    })();
    expect(isUserError(e)).toBe(true);
    expect((e as Error).message).toBe('expected at least one row per fold, but there are 75 rows left after the test split for 100 folds; use fewer folds');
  });
});

const IRIS_CSV = join(DATA, 'iris.csv');
const CV = `name: cv
seed: 0
data: { csv: { path: ${JSON.stringify(IRIS_CSV)}, target: species }, split: { folds: 3 }, preprocess: standardize }
model: { layers: [{ units: 6, activation: tanh }, { units: 3, activation: softmax }] }
loss: cross_entropy
training: { epochs: 10, batch_size: 16, optimizer: { type: adam, learning_rate: 0.02 } }
log: { every: 5 }
`;

function file(text: string): string {
  const path = join(tempDir(), 'cv.yaml');
  writeFileSync(path, text);
  return path;
}

const messages = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof UserErrors) return e.errors.map((x) => x.message);
    return [(e as Error).message];
  }
  return [];
};

describe('the runs of a cross-validation', () => {
  it('one run per fold, named fold=k after the sweep axes, each config with its fold; --set data.split.fold picks one', () => {
    const plan = loadPlan(file(`${CV}sweep: { seed: [0, 1] }\n`));
    expect(plan.runs.map((r) => r.runPath)).toEqual(['seed=0,fold=1', 'seed=0,fold=2', 'seed=0,fold=3', 'seed=1,fold=1', 'seed=1,fold=2', 'seed=1,fold=3']);
    expect(plan.runs[4].values).toEqual({ seed: 1, fold: 2 });
    expect(plan.runs[4].exp.config.data.split).toMatchObject({ folds: 3, fold: 2 });
    const keys = plan.runs.map((r) => groupKey(r.exp.config as unknown as Record<string, unknown>));
    expect(new Set(keys).size).toBe(1);
    expect(loadPlan(file(CV), { set: ['data.split.fold=2'] }).runs.map((r) => r.runPath)).toEqual(['fold=2']);
  });

  it('folds set inside a --set mapping of data.split are a cross-validation too, and a fold written there picks it', () => {
    const noCv = CV.replace('split: { folds: 3 }', 'split: { test: 0.2 }');
    // It was one run, fold 1 of 3 (only --set data.split.folds made the fold axis).
    expect(loadPlan(file(noCv), { set: ['data.split={ folds: 3 }'] }).runs.map((r) => r.runPath)).toEqual(['split=folds-3/fold=1', 'split=folds-3/fold=2', 'split=folds-3/fold=3']);
    // It ran all three folds; its folder named the last.
    expect(loadPlan(file(CV), { set: ['data.split={ folds: 3, fold: 2 }'] }).runs.map((r) => [r.runPath, r.exp.config.data.split?.fold])).toEqual([['split=folds-3+fold-2', 2]]);
    // A split without folds ends the cross-validation: it was an error at every fold ("fold chooses one fold … found no folds").
    expect(loadPlan(file(CV), { set: ['data.split={ test: 0.25 }'] }).runs.map((r) => [r.runPath, r.exp.config.data.split?.folds])).toEqual([['split=test-0.25', undefined]]);
  });

  it('a swept split (or data) with folds runs each of its folds; a grid whose values give another fold count is refused at the entry', async () => {
    const noCv = CV.replace('split: { folds: 3 }', 'split: { test: 0.2 }');
    const paths = (text: string, options = {}) => loadPlan(file(text), options).runs.map((r) => [r.runPath, r.exp.config.data.split?.test, r.exp.config.data.split?.fold]);
    // It was fold 1 only of each split (the fold axis came from the file's split and --set alone).
    const both = [['split=folds-3,fold=1', 0, 1], ['split=folds-3,fold=2', 0, 2], ['split=folds-3,fold=3', 0, 3], ['split=test-0.2+folds-3,fold=1', 0.2, 1], ['split=test-0.2+folds-3,fold=2', 0.2, 2], ['split=test-0.2+folds-3,fold=3', 0.2, 3]];
    expect(paths(`${noCv}sweep: { data.split: [{ folds: 3 }, { test: 0.2, folds: 3 }] }\n`)).toEqual(both);
    expect(paths(noCv, { sweep: ['data.split={ folds: 3 },{ test: 0.2, folds: 3 }'] })).toEqual(both);
    expect(paths(`${noCv}sweep: { data: [{ csv: { path: ${JSON.stringify(IRIS_CSV)}, target: species }, split: { folds: 2 } }] }\n`).map((r) => r[2])).toEqual([1, 2]);
    // Swept splits without folds end the file's cross-validation (each run was an error: "fold chooses one fold … needs data.split.folds").
    expect(paths(`${CV}sweep: { data.split: [{ test: 0.2 }, { test: 0.3 }] }\n`)).toEqual([['split=test-0.2', 0.2, undefined], ['split=test-0.3', 0.3, undefined]]);
    const f = file(`${CV}sweep:\n  data.split: [{ folds: 3 }, { folds: 5 }, { test: 0.2 }]\n`);
    const r = await cli('validate', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${f}:9:3: sweep.data.split: expected values that all give one fold axis (fold=1..K follows every run of the grid), found folds: 3 in {"folds":3}, folds: 5 in {"folds":5}, ` +
        'no folds in {"test":0.2}; sweep splits of one folds count, or run each count apart (--set data.split=...)\n',
    );
    const o = await cli('validate', file(noCv), '--sweep', 'data.split={ folds: 3 },{ folds: 2 }');
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^--sweep data\.split=\{ folds: 3 \},\{ folds: 2 \}: expected values that all give one fold axis .*found folds: 3 in \{"folds":3\}, folds: 2 in \{"folds":2\}; /);
  });

  it('refused: validation beside folds, a fold past folds, a fold without folds, sweeping the fold', () => {
    expect(messages(() => loadPlan(file(CV), { set: ['data.split.validation=0.2'] }))).toEqual([
      'validation and folds both choose the validation rows: with folds: 3, each run validates on its own fold; remove validation (or folds) (from --set data.split.validation=0.2)',
    ]);
    expect(messages(() => loadPlan(file(CV.replace('folds: 3', 'folds: 3, fold: 4'))))).toEqual(['expected a fold from 1 to 3 (folds: 3), found 4']);
    expect(messages(() => loadPlan(file(CV.replace('folds: 3', 'fold: 2'))))[0]).toMatch(/^fold chooses one fold of a cross-validation, which needs data.split.folds/);
    expect(messages(() => loadPlan(file(`${CV}sweep: { data.split.fold: [1, 2] }\n`)))[0]).toMatch(/^data.split.fold cannot be swept/);
  });
});

describe('running, comparing and checking a cross-validation', () => {
  it("--jobs 2 and two shards write the same files as serially; evaluate --rows validation reproduces each fold's validation scores", async () => {
    const path = file(CV);
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    expect((await cli('run', path, '--out', a)).code).toBe(0);
    expect((await cli('run', path, '--out', b, '--jobs', '2')).code).toBe(0);
    for (const shard of ['1/2', '2/2']) expect((await cli('run', path, '--out', c, '--shard', shard)).code).toBe(0);
    const rows = new Set<number>();
    for (const k of [1, 2, 3]) {
      const dir = join(a, 'cv', `fold=${k}`);
      for (const other of [b, c]) for (const f of ['loss.csv', 'model.json', 'config.json']) expect(readFileSync(join(other, 'cv', `fold=${k}`, f), 'utf8')).toBe(readFileSync(join(dir, f), 'utf8'));
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(run.sweep.values).toEqual({ fold: k });
      expect(run.validation_rows).toHaveLength(50);
      for (const r of run.validation_rows) rows.add(r);
      const out = join(a, `eval-${k}.json`);
      expect((await cli('evaluate', join(dir, 'model.json'), IRIS_CSV, '--rows', 'validation', '--run', dir, '--out', out)).code).toBe(0);
      const evaluation = JSON.parse(readFileSync(out, 'utf8'));
      expect(evaluation.count).toBe(50);
      expect(evaluation.loss).toBeCloseTo(run.final.validation_loss, 12);
      expect(evaluation.accuracy).toBe(run.final.validation_accuracy);
    }
    expect(rows.size).toBe(150);
    const summary = (dir: string) => readFileSync(join(dir, 'cv', 'summary.csv'), 'utf8').replace(/,\d+\n/g, '\n'); // duration_ms aside
    expect(summary(b)).toBe(summary(a));
    expect(summary(c)).toBe(summary(a));
  });

  it('compare: a configuration\'s folds are one group, and two configurations are paired by fold', async () => {
    const out = tempDir();
    expect((await cli('run', file(`${CV}sweep: { model.layers.0.units: [2, 6] }\n`), '--out', out)).code).toBe(0);
    const c = compareRuns([join(out, 'cv')], { by: 'validation_loss' });
    expect(c.groups.map((g) => [g.label, g.n]).sort()).toEqual([['units=2', 3], ['units=6', 3]]);
    expect(c.groups[1].vsTop?.test).toBe('corrected paired t'); // folds share training rows: Nadeau and Bengio's test
    // Without --by and without a test split, the folds' validation accuracy sorts (not train_loss).
    expect(compareRuns([join(out, 'cv')]).by).toBe('validation_accuracy');
  });

  it('check: expect: bounds the mean over the folds (and seeds) of each group', async () => {
    const out = tempDir();
    const text = `${CV}sweep: { seed: [0, 1] }\nexpect: { validation_accuracy: { min: 1.5 } }\n`;
    expect((await cli('run', file(text), '--out', out)).code).toBe(0);
    const summary: Record<string, string>[] = parse(readFileSync(join(out, 'cv', 'summary.csv'), 'utf8'), { columns: true });
    const values = summary.map((r) => Number(r.validation_accuracy));
    expect(values).toHaveLength(6);
    const report = checkExperiment(file(text));
    expect(report.runs).toBe(6);
    expect(report.drifts).toHaveLength(1);
    expect(report.drifts[0]).toMatchObject({ kind: 'expect', column: 'validation_accuracy', over: 'mean of 6 runs (3 folds × 2 seeds)' });
    expect(Number(report.drifts[0].got)).toBeCloseTo(values.reduce((s, v) => s + v, 0) / 6, 12);
  });

  it('expect: a selector of a fold or a seed picks no group (its folds and seeds are pooled): refused by validate and check, located', async () => {
    // It was taken for the group whose first run (seed 0, fold 1) it matched: "fold=2" and "seed=1" bounds were
    // never checked (ok, exit 0, however they failed), and "seed=0" bounded the mean over every seed.
    for (const selector of ['fold=2', 'seed=1', 'seed=0', 'model.layers.0.units=6,fold=1']) {
      const text = `${CV}sweep: { seed: [0, 1], model.layers.0.units: [6] }\nexpect:\n  "${selector}": { validation_accuracy: { min: 1.5 } }\n`;
      for (const command of ['validate', 'check']) {
        const r = await cli(command, file(text));
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        const key = selector.split(',').find((p) => /^(seed|fold)=/.test(p))!.split('=')[0];
        expect(r.stderr).toMatch(new RegExp(`cv\\.yaml:\\d+:3: expect\\.${selector.replace(/\./g, '\\.')}: a selector of ${key} picks no group: a group pools its runs' seeds and folds, and its bounds hold for their mean; select by the other swept values: model\\.layers\\.0\\.units\\n$`));
      }
    }
  });
});

describe('the fold axis of a file whose data or split is not a mapping', () => {
  it('data: softmax, a list, split: a word or a list, with and without --set data.split.folds: located user errors, never an internal error', async () => {
    const dir = tempDir();
    for (const data of ['softmax', '[1, 2]', '{ split: fold }', '{ split: [3] }']) {
      const file = join(dir, 'e.yaml');
      writeFileSync(file, `data: ${data}\n`);
      for (const extra of [[], ['--set', 'data.split.folds=3'], ['--set', 'data.split={ folds: 3 }']]) {
        const r = await cli('validate', file, ...extra);
        expect(r.stderr, `${data} ${extra.join(' ')}`).not.toMatch(/internal error|\n\s+at /);
        expect([1, 2], `${data} ${extra.join(' ')}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr).toContain(`${file}:1:`);
      }
    }
  });
});
