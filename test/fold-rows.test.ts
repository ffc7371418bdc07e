// The rows of each cross-validation fold against an independent reproduction of the guide's split rule
// (scripts/oracles/fold-rows.py, its own xoshiro128** and StratifiedKFold's dealing, checked there against
// scikit-learn's per-fold class counts; fixture test/fixtures/fold-rows.json): loadData's validation and test rows,
// then a run's run.json and what `evaluate --rows validation|test --run` evaluates on that fold's run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadData } from '../src/data/load.js';
import { readModelFile } from '../src/files/modelfile.js';
import { evaluateCsv, runRows, type Evaluation } from '../src/runner/evaluate.js';
import { fakeAt } from './data/helpers.js';
import { cli, tempDirs } from './helpers/cli.js';

interface Case {
  name: string;
  path: string;
  target: string;
  seed: number;
  test: number;
  folds: number;
  stratified: boolean;
  test_rows: number[];
  validation_rows: number[][];
}

const DATA = fileURLToPath(new URL('../data', import.meta.url));
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/fold-rows.json', import.meta.url), 'utf8')) as { cases: Case[] };
const tempDir = tempDirs('mlplab-fold-rows');

/** Each class's count among these rows of a CSV file's label column (classes as evaluate's confusion numbers them). */
function classCounts(file: string, target: string, rows: readonly number[], classes: readonly (string | number)[]): number[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const col = lines[0].split(',').indexOf(target);
  const counts = classes.map(() => 0);
  for (const r of rows) counts[classes.findIndex((c) => String(c) === lines[r + 1].split(',')[col])]++;
  return counts;
}

describe("cross-validation folds against the oracle's reproduction of the split rule", () => {
  it('loadData: every fold of every case holds the oracle\'s validation rows, and the oracle\'s test rows', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const c of cases) {
      const regression = !c.stratified;
      for (let fold = 1; fold <= c.folds; fold++) {
        const spec = { csv: { path: c.path, target: c.target }, split: { test: c.test, folds: c.folds, fold } };
        const d = loadData(spec, { yamlFile: 'exp.yaml', baseDir: DATA, seed: c.seed, loss: regression ? 'mse' : 'cross_entropy', outputUnits: regression ? 1 : 3, at: fakeAt() });
        expect([c.name, c.seed, fold, Array.from(d.split.validation)]).toEqual([c.name, c.seed, fold, c.validation_rows[fold - 1]]);
        expect(Array.from(d.split.test)).toEqual(c.test_rows);
        expect(d.strata).toBe(c.stratified ? 'class' : 'none');
      }
    }
  });

  it("a run of each fold records the oracle's rows, and evaluate --run evaluates exactly them (the command and evaluateCsv)", async () => {
    const wine = cases.filter((c) => c.name === 'wine');
    const [c] = wine;
    const out = tempDir();
    const file = join(tempDir(), 'wine-cv.yaml');
    const csv = join(DATA, c.path);
    writeFileSync(
      file,
      `seed: 5\ndata: { csv: { path: ${JSON.stringify(csv)}, target: ${c.target} }, split: { test: ${c.test}, folds: ${c.folds} }, preprocess: standardize }\n` +
        'model: { layers: [{ units: 4, activation: tanh }, { units: 3, activation: softmax }] }\nloss: cross_entropy\n' +
        'training: { epochs: 2, batch_size: 32, optimizer: { type: adam, learning_rate: 0.01 } }\n' +
        `sweep: { seed: [${wine.map((w) => w.seed).join(', ')}] }\n`,
    );
    expect((await cli('run', file, '--out', out, '-q')).code).toBe(0);
    for (const w of wine) {
      for (let fold = 1; fold <= w.folds; fold++) {
        const dir = join(out, 'wine-cv', `seed=${w.seed},fold=${fold}`);
        const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
        expect(run.validation_rows).toEqual(w.validation_rows[fold - 1]);
        expect(run.test_rows).toEqual(w.test_rows);
        const model = readModelFile(join(dir, 'model.json'));
        for (const part of ['validation', 'test'] as const) {
          const rows = part === 'test' ? w.test_rows : w.validation_rows[fold - 1];
          const e = evaluateCsv(model, csv, runRows(dir, part), part);
          expect(e.count).toBe(rows.length);
          const confusion = (e.confusion as { matrix: number[][] }).matrix;
          expect(confusion.map((row) => row.reduce((s, n) => s + n, 0))).toEqual(classCounts(csv, w.target, rows, model.classes!));
          expect([part, e.loss, e.accuracy]).toEqual([part, run.final[`${part}_loss`], run.final[`${part}_accuracy`]]);
        }
      }
    }
    // The command, on one fold: the same evaluation, to the last digit.
    const dir = join(out, 'wine-cv', `seed=${c.seed},fold=3`);
    const report = join(out, 'evaluation.json');
    expect((await cli('evaluate', join(dir, 'model.json'), csv, '--rows', 'validation', '--run', dir, '--out', report, '-q')).code).toBe(0);
    const byCommand = JSON.parse(readFileSync(report, 'utf8')) as Evaluation;
    expect(byCommand).toEqual(JSON.parse(JSON.stringify(evaluateCsv(readModelFile(join(dir, 'model.json')), csv, c.validation_rows[2], 'validation'))));
  });
});
