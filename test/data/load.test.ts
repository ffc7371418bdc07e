import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadData, type LoadContext } from '../../src/data/load.js';
import type { DataSpec } from '../../src/data/schema.js';
import { toRows } from '../../src/matrix.js';
import { fakeAt, tempDir, userError } from './helpers.js';

const DATA = fileURLToPath(new URL('../../data', import.meta.url));
const ctx = (over: Partial<LoadContext> = {}): LoadContext => ({
  yamlFile: 'exp.yaml',
  baseDir: DATA,
  seed: 11,
  loss: 'mse',
  outputUnits: 1,
  at: fakeAt(),
  ...over,
});
const XOR = { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] };

describe('inline data', () => {
  it('XOR with mse is binary with threshold 0.5, rows as given', () => {
    const d = loadData({ inline: XOR }, ctx());
    expect(d.kind).toBe('binary');
    expect(d.threshold).toBe(0.5);
    expect(d.classes).toEqual([0, 1]);
    expect(toRows(d.train.x)).toEqual(XOR.inputs);
    expect(toRows(d.train.y)).toEqual(XOR.targets);
    expect(d.test).toBeUndefined();
    expect(d.featureNames).toEqual(['x1', 'x2']);
    expect(d.targetNames).toEqual(['y1']);
  });

  it('−1/1 targets with mse: threshold 0', () => {
    const d = loadData({ inline: { inputs: XOR.inputs, targets: [[-1], [1], [1], [-1]] } }, ctx());
    expect(d.threshold).toBe(0);
    expect(d.classes).toEqual([-1, 1]);
  });

  it('one-hot target rows with mse: multiclass by argmax (no threshold)', () => {
    const d = loadData({ inline: { inputs: XOR.inputs, targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }, ctx({ outputUnits: 2 }));
    expect(d.kind).toBe('multiclass');
    expect(d.threshold).toBeUndefined();
    expect(d.classes).toEqual([0, 1]);
  });

  it('a target column with three values is regression', () => {
    const d = loadData({ inline: { inputs: [[0], [1], [2]], targets: [[0], [1], [4]] } }, ctx());
    expect(d.kind).toBe('regression');
    expect(d.classes).toBeUndefined();
  });

  it('reports a row of the wrong width at that row', () => {
    const e = userError(() => loadData({ inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1, 1]], targets: XOR.targets } }, ctx()));
    expect(e.place.path).toBe('data.inline.inputs[3]');
    expect(e.place.file).toBe('exp.yaml');
    expect(e.message).toBe('expected 2 values per row, as in the first row, but found 3');
    expect(userError(() => loadData({ inline: { inputs: XOR.inputs, targets: [[0], [1], [1, 1], [0]] } }, ctx())).place.path).toBe(
      'data.inline.targets[2]',
    );
  });

  it('reports unequal row counts and a target width that is not the output units', () => {
    const rows = userError(() => loadData({ inline: { inputs: XOR.inputs, targets: [[0], [1], [1]] } }, ctx()));
    expect(rows.place.path).toBe('data.inline.targets');
    expect(rows.message).toBe('expected one target row per input row (4), but found 3');
    const width = userError(() => loadData({ inline: XOR }, ctx({ outputUnits: 2 })));
    expect(width.place.path).toBe('data.inline.targets');
    expect(width.message).toBe('expected target rows of 2 values, one per unit of the last layer, but found 1');
  });

  it('checks target ranges for cross_entropy and binary_cross_entropy', () => {
    const ce = userError(() => loadData({ inline: { inputs: XOR.inputs, targets: [[1, 0], [1, 1], [0, 1], [1, 0]] } }, ctx({ loss: 'cross_entropy', outputUnits: 2 })));
    expect(ce.place.path).toBe('data.inline.targets[1]');
    const bce = userError(() => loadData({ inline: { inputs: XOR.inputs, targets: [[0], [2], [1], [0]] } }, ctx({ loss: 'binary_cross_entropy' })));
    expect(bce.place.path).toBe('data.inline.targets[1]');
  });

  it('fills in the file and key path when `at` gives only a line', () => {
    const e = userError(() => loadData({ inline: XOR }, ctx({ outputUnits: 3, at: () => ({ line: 8, column: 5 }) })));
    expect(e.place).toEqual({ file: 'exp.yaml', line: 8, column: 5, path: 'data.inline.targets' });
  });
});

describe('CSV data', () => {
  const tmp = tempDir();
  tmp.write('two.csv', 'a,b,c,label\n' + Array.from({ length: 12 }, (_, i) => `${i},${2 * i},${-i},${i % 3 ? 'yes' : 'no'}`).join('\n'));

  it('binary_cross_entropy: one 0/1 column, the second sorted class is 1', () => {
    const d = loadData({ csv: { path: 'two.csv', target: 'label' } }, ctx({ baseDir: tmp.dir, loss: 'binary_cross_entropy' }));
    expect(d.classes).toEqual(['no', 'yes']);
    expect(d.threshold).toBe(0.5);
    expect(Array.from(d.train.y.data)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 3 ? 1 : 0)));
    expect(d.targetNames).toEqual(['label']);
  });

  it('uses the listed features in their order', () => {
    const d = loadData({ csv: { path: 'two.csv', target: 'label', features: ['c', 'a'] } }, ctx({ baseDir: tmp.dir, loss: 'cross_entropy', outputUnits: 2 }));
    expect(d.featureNames).toEqual(['c', 'a']);
    expect(toRows(d.train.x)[3]).toEqual([-3, 3]);
  });

  it('rejects a feature that is the target, and several target columns that are not one-hot', () => {
    const f = userError(() => loadData({ csv: { path: 'two.csv', target: 'a', features: ['b', 'a'] } }, ctx({ baseDir: tmp.dir })));
    expect(f.place.path).toBe('data.csv.features[1]');
    const t = userError(() => loadData({ csv: { path: 'two.csv', target: ['a', 'label'] } }, ctx({ baseDir: tmp.dir, loss: 'cross_entropy', outputUnits: 2 })));
    expect(t.message).toMatch(/one-hot class column/);
    expect(t.place.line).toBeGreaterThan(1);
  });

  it('regression on diabetes: numeric target, units checked at outputUnitsPlace', () => {
    const d = loadData({ csv: { path: 'diabetes.csv', target: 'progression' }, split: { test: 0.2 } }, ctx());
    expect(d.kind).toBe('regression');
    expect(d.train.x.rows + d.test!.x.rows).toBe(442);
    expect(d.test!.x.rows).toBe(88); // round(0.2 · 442) = 88
    const unitsPlace = { file: 'exp.yaml', line: 20, column: 12, path: 'model.layers[1].units' };
    const e = userError(() => loadData({ csv: { path: 'diabetes.csv', target: 'progression' } }, ctx({ outputUnits: 2, outputUnitsPlace: unitsPlace })));
    expect(e.place).toEqual(unitsPlace);
  });

  it('a validation fraction too small or too large is reported as written, of all rows, not as the share of the training rows', () => {
    const rows = (n: number) => ({ inputs: Array.from({ length: n }, (_, i) => [i]), targets: Array.from({ length: n }, (_, i) => [i * i]) });
    const small = userError(() => loadData({ inline: rows(10), split: { test: 0.2, validation: 0.01 } }, ctx()));
    expect(small.place.path).toBe('data.split.validation');
    expect(small.message).toBe(
      'expected a validation fraction that puts at least one row in the validation set, but 0.01 of 10 rows (taken from the 8 left after the test split) rounds to none; use a larger fraction, more data, or validation: 0',
    );
    const large = userError(() => loadData({ inline: rows(10), split: { test: 0.1, validation: 0.89 } }, ctx()));
    expect(large.message).toBe('expected a validation fraction that leaves training rows, but 0.89 of 10 rows (taken from the 9 left after the test split) leaves none');
    expect(userError(() => loadData({ inline: rows(10), split: { validation: 0.01 } }, ctx())).message).toMatch(/but 0\.01 of 10 rows rounds to none/);
  });

  it('one-hot columns of which one has no row: the classes are the columns, and the units asked for are those the columns need', () => {
    tmp.write('gap.csv', 'x,a,b,c\n1,1,0,0\n2,0,1,0\n3,1,0,0\n4,0,1,0\n');
    const d = loadData({ csv: { path: 'gap.csv', target: ['a', 'b', 'c'] } }, ctx({ baseDir: tmp.dir, loss: 'cross_entropy', outputUnits: 3 }));
    expect([d.kind, d.classes]).toEqual(['multiclass', ['a', 'b', 'c']]);
    tmp.write('one.csv', 'x,a,b,c\n1,1,0,0\n2,1,0,0\n');
    const e = userError(() => loadData({ csv: { path: 'one.csv', target: ['a', 'b', 'c'] } }, ctx({ baseDir: tmp.dir, loss: 'cross_entropy', outputUnits: 3 })));
    expect(e.message).toBe('expected at least two classes in the targets, but found a single class (a)');
  });

  it('wine with a stratified split keeps 59/71/48 proportions within one row', () => {
    const d = loadData({ csv: { path: 'wine.csv', target: 'cultivar' }, split: { test: 0.3 }, preprocess: 'standardize' }, ctx({ loss: 'cross_entropy', outputUnits: 3 }));
    const count = (y: number[][], c: number) => y.filter((row) => row[c] === 1).length;
    [59, 71, 48].forEach((n, c) => expect(Math.abs(count(toRows(d.test!.y), c) - 0.3 * n)).toBeLessThanOrEqual(1));
  });
});

describe('generated data', () => {
  it('is the same for the same seed, different for another', () => {
    const spec: DataSpec = { generate: { kind: 'moons', samples: 50 }, split: { test: 0.2 } };
    const a = loadData(spec, ctx({ loss: 'cross_entropy', outputUnits: 2 }));
    const b = loadData(spec, ctx({ loss: 'cross_entropy', outputUnits: 2 }));
    const c = loadData(spec, ctx({ loss: 'cross_entropy', outputUnits: 2, seed: 12 }));
    expect(toRows(a.test!.x)).toEqual(toRows(b.test!.x));
    expect(toRows(a.test!.x)).not.toEqual(toRows(c.test!.x));
  });

  it('mse with one unit: 0/1 targets; with several: one-hot', () => {
    const one = loadData({ generate: { kind: 'circles', samples: 20 } }, ctx());
    expect(one.kind).toBe('binary');
    expect(new Set(one.train.y.data)).toEqual(new Set([0, 1]));
    expect(one.threshold).toBe(0.5);
    const many = loadData({ generate: { kind: 'blobs', samples: 30, classes: 3 } }, ctx({ outputUnits: 3 }));
    expect(toRows(many.train.y).every((row) => row.reduce((s, v) => s + v) === 1)).toBe(true);
    expect(many.classes).toEqual([0, 1, 2]);
  });

  it('sine is regression and refuses a classification loss', () => {
    expect(loadData({ generate: { kind: 'sine', samples: 10 } }, ctx()).kind).toBe('regression');
    const e = userError(() => loadData({ generate: { kind: 'sine' } }, ctx({ loss: 'cross_entropy' })));
    expect(e.place.path).toBe('data.generate.kind');
  });

  it('refuses `classes` for a two-class generator and a class/unit mismatch', () => {
    expect(userError(() => loadData({ generate: { kind: 'xor', classes: 3 } }, ctx())).place.path).toBe('data.generate.classes');
    const e = userError(() => loadData({ generate: { kind: 'spirals', classes: 4 } }, ctx({ loss: 'cross_entropy', outputUnits: 3 })));
    expect(e.message).toMatch(/expected 4 output units/);
  });

  it('uses the default sample count 200', () => {
    expect(loadData({ generate: { kind: 'xor' } }, ctx()).train.x.rows).toBe(200);
  });
});
