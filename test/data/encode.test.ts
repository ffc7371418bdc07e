import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkClassCount, encodeLabels, encodeTargets } from '../../src/data/encode.js';
import { toRows } from '../../src/matrix.js';
import { userError } from './helpers.js';

const dataPlace = { file: 'exp.yaml', line: 5, path: 'data.csv.target' };
const unitsPlace = { file: 'exp.yaml', line: 12, path: 'model.layers[2].units' };

describe('class labels', () => {
  it('sorts string labels and indexes each row', () => {
    expect(encodeLabels(['b', 'a', 'c', 'a'])).toEqual({ classes: ['a', 'b', 'c'], index: Int32Array.from([1, 0, 2, 0]) });
  });

  it('sorts numeric labels numerically and merges equal numbers', () => {
    const { classes, index } = encodeLabels(['10', '9', '2', '9.0']);
    expect(classes).toEqual([2, 9, 10]);
    expect(Array.from(index)).toEqual([2, 1, 0, 1]);
  });

  it('keeps labels as strings when a number is not held exactly by a float64: two 17-digit labels stay two classes', () => {
    // As numbers both were 12345678901234568: one class, named by a label the file does not have.
    const { classes, index } = encodeLabels(['12345678901234567', '12345678901234568', '12345678901234567']);
    expect(classes).toEqual(['12345678901234567', '12345678901234568']);
    expect(Array.from(index)).toEqual([0, 1, 0]);
    expect(encodeLabels(['0.1', '0.10000000000000001']).classes).toEqual(['0.1', '0.10000000000000001']);
    // Numbers a float64 holds as written stay numbers, however they are written.
    expect(encodeLabels(['007', '1e2', '-0.50', '100.0', '0.1']).classes).toEqual([-0.5, 0.1, 7, 100]);
    expect(encodeLabels(['1e400', '2']).classes).toEqual(['1e400', '2']);
  });

  it('orders text labels by code point, as scikit-learn\'s LabelEncoder (scripts/oracles/label-order-sklearn.py)', () => {
    // JavaScript's < compares UTF-16 units: '😀' (U+1F600, surrogates from U+D800) came before 'Ａ' (U+FF21).
    const cases = JSON.parse(readFileSync(new URL('../fixtures/label-order-sklearn.json', import.meta.url), 'utf8')) as { labels: string[]; classes: string[]; index: number[] }[];
    expect(cases.length).toBe(3);
    for (const { labels, classes, index } of cases) {
      const got = encodeLabels(labels);
      expect(got.classes).toEqual(classes);
      expect(Array.from(got.index)).toEqual(index);
    }
  });

  it('keeps labels as strings when any is not a number', () => {
    expect(encodeLabels(['x', '10', '9']).classes).toEqual(['10', '9', 'x']);
  });

  it('encodes one-hot and binary targets', () => {
    const index = Int32Array.from([1, 0, 2]);
    expect(toRows(encodeTargets(index, 3, 'one_hot'))).toEqual([[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
    expect(toRows(encodeTargets(Int32Array.from([1, 0]), 2, 'binary'))).toEqual([[1], [0]]);
  });

  it('rejects a single class', () => {
    const e = userError(() => checkClassCount(['a'], 'one_hot', { units: 1, place: unitsPlace, loss: 'cross_entropy' }, dataPlace));
    expect(e.place).toEqual(dataPlace);
    expect(e.message).toBe('expected at least two classes in the targets, but found a single class (a)');
  });

  it('rejects binary encoding of three classes', () => {
    const e = userError(() => checkClassCount([0, 1, 2], 'binary', { units: 1, place: unitsPlace, loss: 'binary_cross_entropy' }, dataPlace));
    expect(e.message).toMatch(/^expected exactly two classes .* but the data have 3 \(0, 1, 2\)/);
  });

  it('rejects a class count that does not match the units, at the units place', () => {
    const e = userError(() => checkClassCount(['a', 'b', 'c'], 'one_hot', { units: 2, place: unitsPlace, loss: 'cross_entropy' }, dataPlace));
    expect(e.place).toEqual(unitsPlace);
    expect(e.message).toBe(
      'expected 3 output units (one unit per class, with cross_entropy), since the data have 3 classes (a, b, c), but the last layer has 2',
    );
  });
});
