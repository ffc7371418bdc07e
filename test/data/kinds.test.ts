// The target kind, decided once in the data layer from the loss and the targets: multiclass, binary,
// multilabel, regression; multilabel from inline rows and from CSV columns, its strata, and the refusals.
import { describe, expect, it } from 'vitest';
import { loadData, type LoadContext } from '../../src/data/load.js';
import { labelCombinations } from '../../src/data/strata.js';
import { fromRows, toRows } from '../../src/matrix.js';
import { fakeAt, tempDir, userError } from './helpers.js';

const ctx = (over: Partial<LoadContext> = {}): LoadContext => ({ yamlFile: 'exp.yaml', baseDir: '.', seed: 3, loss: 'binary_cross_entropy', outputUnits: 3, at: fakeAt(), ...over });
const X4 = [[0, 0], [0, 1], [1, 0], [1, 1]];

describe('target kinds', () => {
  it('several sigmoid outputs with binary_cross_entropy are multilabel: k independent labels, no classes', () => {
    const d = loadData({ inline: { inputs: X4, targets: [[1, 1, 0], [0, 0, 0], [1, 0, 1], [0, 1, 1]] } }, ctx());
    expect(d.kind).toBe('multilabel');
    expect(d.classes).toBeUndefined();
    expect(d.threshold).toBe(0.5);
    expect(d.targetNames).toEqual(['y1', 'y2', 'y3']);
  });

  it('multilabel rows that argmax would call one class are accepted (the issue\'s "every row has the same class")', () => {
    const targets = [[0, 0], [1, 1], [0, 0], [1, 1], [1, 1], [1, 0]];
    const d = loadData({ inline: { inputs: targets.map((_, i) => [i]), targets } }, ctx({ outputUnits: 2 }));
    expect(d.kind).toBe('multilabel');
  });

  it('mse on inline targets of one column and one value is a regression (guide 4: binary takes two values), not one class', () => {
    const d = loadData({ inline: { inputs: X4, targets: [[2], [2], [2], [2]] } }, ctx({ loss: 'mse', outputUnits: 1 }));
    expect(d.kind).toBe('regression');
    expect(d.classes).toBeUndefined();
    expect(loadData({ inline: { inputs: X4, targets: [[2], [5], [2], [5]] } }, ctx({ loss: 'mse', outputUnits: 1 })).kind).toBe('binary');
  });

  it('one sigmoid output is binary; softmax outputs multiclass; numbers with mse regression', () => {
    expect(loadData({ inline: { inputs: X4, targets: [[0], [1], [1], [0]] } }, ctx({ outputUnits: 1 })).kind).toBe('binary');
    expect(loadData({ inline: { inputs: X4, targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }, ctx({ loss: 'cross_entropy', outputUnits: 2 })).kind).toBe('multiclass');
    expect(loadData({ inline: { inputs: X4, targets: [[1, 1], [0, 1], [0, 0.5], [1, 0]] } }, ctx({ loss: 'mse', outputUnits: 2 })).kind).toBe('regression');
  });

  it('multilabel from CSV: csv.target lists the 0/1 label columns', () => {
    const tmp = tempDir();
    tmp.write('ml.csv', 'f1,f2,a,b\n0,0,1,0\n0,1,0,1\n1,0,1,1\n1,1,0,0\n');
    const d = loadData({ csv: { path: 'ml.csv', target: ['a', 'b'] } }, ctx({ baseDir: tmp.dir, outputUnits: 2 }));
    expect(d.kind).toBe('multilabel');
    expect(d.targetNames).toEqual(['a', 'b']);
    expect(toRows(d.train.y)).toEqual([[1, 0], [0, 1], [1, 1], [0, 0]]);
    expect(d.featureNames).toEqual(['f1', 'f2']);
  });

  it('refuses a label that is not 0 or 1 at its line and column, and a layer of the wrong width', () => {
    const tmp = tempDir();
    tmp.write('bad.csv', 'f1,a,b\n0,1,0\n1,0,2\n');
    const e = userError(() => loadData({ csv: { path: 'bad.csv', target: ['a', 'b'] } }, ctx({ baseDir: tmp.dir, outputUnits: 2 })));
    expect([e.place.line, e.place.column]).toEqual([3, 3]);
    expect(e.message).toBe('expected 0 or 1 in column "b" (a 0/1 label), but found 2');
    tmp.write('ok.csv', 'f1,a,b\n0,1,0\n1,0,1\n');
    const w = userError(() => loadData({ csv: { path: 'ok.csv', target: ['a', 'b'] } }, ctx({ baseDir: tmp.dir, outputUnits: 3 })));
    expect(w.message).toMatch(/expected 2 output units \(one sigmoid unit per label/);
  });

  it('one-hot CSV columns with cross_entropy are multiclass, the columns naming the classes', () => {
    const tmp = tempDir();
    tmp.write('oh.csv', 'x1,x2,y1,y2\n0,0,1,0\n0,1,0,1\n1,0,0,1\n1,1,1,0\n');
    const d = loadData({ csv: { path: 'oh.csv', target: ['y1', 'y2'] } }, ctx({ baseDir: tmp.dir, loss: 'cross_entropy', outputUnits: 2 }));
    expect(d.kind).toBe('multiclass');
    expect(d.classes).toEqual(['y1', 'y2']);
    expect(d.labelColumn).toBeUndefined();
  });

  it('a label column records its name for evaluate', () => {
    const tmp = tempDir();
    tmp.write('l.csv', 'x,label\n0,a\n1,b\n2,a\n');
    const d = loadData({ csv: { path: 'l.csv', target: 'label' } }, ctx({ baseDir: tmp.dir, loss: 'cross_entropy', outputUnits: 2 }));
    expect([d.kind, d.labelColumn]).toEqual(['multiclass', 'label']);
  });
});

describe('multilabel strata', () => {
  it('label combinations, sorted by pattern, when each has two or more rows; else none', () => {
    expect(Array.from(labelCombinations(fromRows([[1, 0], [0, 0], [1, 0], [0, 0]]), 0.5)!)).toEqual([1, 0, 1, 0]);
    expect(labelCombinations(fromRows([[1, 0], [0, 0], [1, 0], [0, 1]]), 0.5)).toBeUndefined();
  });

  it('a split is stratified by combination when it can be, and says so; otherwise unstratified', () => {
    const targets = [[1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 1], [1, 1], [1, 1]];
    const inputs = targets.map((_, i) => [i]);
    const d = loadData({ inline: { inputs, targets }, split: { test: 0.5 } }, ctx({ outputUnits: 2 }));
    expect(d.strata).toBe('label_combination');
    const combos = toRows(d.test!.y).map((r) => r.join(''));
    expect(combos.sort()).toEqual(['01', '01', '10', '10', '11']);
    const lone = loadData({ inline: { inputs, targets: [...targets.slice(0, 9), [0, 0]] }, split: { test: 0.5 } }, ctx({ outputUnits: 2 }));
    expect(lone.strata).toBe('none');
    expect(lone.test!.x.rows).toBe(5);
  });

  it('classification splits say class; no split, no strata', () => {
    const d = loadData({ inline: { inputs: X4.concat(X4), targets: [[0], [1], [1], [0], [0], [1], [1], [0]] }, split: { test: 0.5 } }, ctx({ outputUnits: 1 }));
    expect(d.strata).toBe('class');
    expect(loadData({ inline: { inputs: X4, targets: [[0], [1], [1], [0]] } }, ctx({ outputUnits: 1 })).strata).toBeUndefined();
  });
});
