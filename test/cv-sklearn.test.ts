// data.split.folds against scikit-learn's StratifiedKFold (test/fixtures/iris-cv-sklearn.json, written by
// scripts/oracles/iris-cv-sklearn.py): the counts of each class in each fold. Where the classes' numbers are
// their order of first appearance (iris; rows sorted by class) the counts are sklearn's fold by fold (both deal
// each class's rows into the folds in turn, going on from class to class); where they are not, sklearn deals the
// classes in another order, and only each class's counts and the folds' sizes agree (as the docs say). And the
// accuracy the docs and experiments/iris-cv.yaml quote for scikit-learn is the fixture's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assignFolds } from '../src/data/folds.js';
import { loadData } from '../src/data/load.js';
import { Rng } from '../src/random.js';
import { fakeAt } from './data/helpers.js';

interface Counted {
  name: string;
  folds: number;
  labels: number[];
  /** counts[i][c]: rows of class c in the i-th test fold. */
  counts: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/iris-cv-sklearn.json', import.meta.url), 'utf8')) as {
  mean: number;
  std: number;
  ci95: [number, number];
  scores: number[];
  stratified_kfold: Counted[];
};
const DATA = fileURLToPath(new URL('../data', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sklearn = (name: string, folds: number) => fixture.stratified_kfold.find((s) => s.name === name && s.folds === folds)!;

/** Rows of each class among `rows`. */
const byClass = (rows: Iterable<number>, label: (r: number) => number, classes: number) => {
  const c = new Array<number>(classes).fill(0);
  for (const r of rows) c[label(r)]++;
  return c;
};
/** The folds' counts of each class from assignFolds' fold of each row. */
const countsOf = (fold: Int32Array, labels: readonly number[], folds: number, classes: number) =>
  Array.from({ length: folds }, (_, k) => byClass([...labels.keys()].filter((r) => fold[r] === k), (r) => labels[r], classes));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe("data.split.folds against scikit-learn's StratifiedKFold", () => {
  it('iris (5 folds), and iris after a test split of 0.2 (7 folds): each fold holds as many rows of each species as sklearn\'s', () => {
    const species = (r: number) => Math.floor(r / 50); // data/iris.csv: 50 rows of each species, in order
    for (const [split, name] of [[{ folds: 5 }, 'iris'], [{ test: 0.2, folds: 7 }, 'iris after test 0.2']] as const) {
      const expected = sklearn(name, split.folds);
      expect(expected.counts).toHaveLength(split.folds);
      for (const seed of [0, 3]) {
        const counts = expected.counts.map((_, k) => {
          const d = loadData({ csv: { path: 'iris.csv', target: 'species' }, split: { ...split, fold: k + 1 } }, { yamlFile: 'exp.yaml', baseDir: DATA, seed, loss: 'cross_entropy', outputUnits: 3, at: fakeAt() });
          return byClass(d.split.validation, species, 3);
        });
        expect(counts, `${name}, seed ${seed}`).toEqual(expected.counts);
      }
    }
  });

  it('uneven classes (41, 23, 9, 5, 2 rows) numbered in order of first appearance: the same counts fold by fold, for 3 and 7 folds', () => {
    for (const folds of [3, 7]) {
      const { labels, counts } = sklearn('uneven, sorted', folds);
      for (const seed of [1, 2]) expect(countsOf(assignFolds(labels.length, folds, Rng.stream(seed, 'folds'), labels), labels, folds, 5)).toEqual(counts);
    }
  });

  it('classes first appearing in another order than their numbers: each class\'s counts and the folds\' sizes agree, not which folds get the extra rows', () => {
    const { labels, counts } = sklearn('uneven, first appearance 3 1 4 0 2', 7);
    expect(labels.slice(0, 5)).toEqual([3, 1, 4, 0, 2]);
    const mine = countsOf(assignFolds(labels.length, 7, Rng.stream(1, 'folds'), labels), labels, 7, 5);
    for (let c = 0; c < 5; c++) expect(sorted(mine.map((f) => f[c])), `class ${c}`).toEqual(sorted(counts.map((f) => f[c])));
    const size = (m: number[][]) => sorted(m.map((f) => f.reduce((s, x) => s + x, 0)));
    expect(size(mine)).toEqual(size(counts));
    expect(mine).not.toEqual(counts);
  });

  it("scikit-learn's cross-validated accuracy quoted by the docs and experiments/iris-cv.yaml is the fixture's", () => {
    expect(fixture.scores).toHaveLength(25);
    const half = fixture.ci95[1] - fixture.mean;
    const quoted = `${fixture.mean.toFixed(3)} ± ${half.toFixed(3)}`; // 0.945 ± 0.019
    expect(readFileSync(`${ROOT}/experiments/iris-cv.yaml`, 'utf8')).toContain(`${quoted} (std ${fixture.std.toFixed(3)})`);
    expect(readFileSync(`${ROOT}/docs/guide/10-comparing.md`, 'utf8').replace(/\s+/g, ' ')).toContain(`gives ${quoted}`);
  });
});
