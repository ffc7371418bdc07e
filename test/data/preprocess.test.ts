import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyScaler, fitScaler } from '../../src/data/preprocess.js';
import { loadData } from '../../src/data/load.js';
import { fromRows, toRows, type Matrix } from '../../src/matrix.js';
import { fakeAt, tempDir } from './helpers.js';

const column = (m: Matrix, c: number): number[] => toRows(m).map((row) => row[c]);
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const popStd = (v: number[]): number => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

describe('scalers', () => {
  const x = fromRows([
    [1, 10, 5],
    [2, 20, 5],
    [3, 60, 5],
    [6, 30, 5],
  ]);

  it('standardize: hand-computed offset and scale (population std), constant column scale 1', () => {
    const s = fitScaler('standardize', x);
    // Column 0: mean 3, deviations -2,-1,0,3 → variance (4+1+0+9)/4 = 3.5.
    // Column 1: mean 30, deviations -20,-10,30,0 → variance (400+100+900+0)/4 = 350.
    expect(s.offset).toEqual([3, 30, 5]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(350), 12);
    expect(s.scale[2]).toBe(1);
    const y = applyScaler(s, x);
    for (const c of [0, 1]) {
      expect(mean(column(y, c))).toBeCloseTo(0, 12);
      expect(popStd(column(y, c))).toBeCloseTo(1, 12);
    }
    expect(column(y, 2)).toEqual([0, 0, 0, 0]);
  });

  it('a constant column that the mean cannot represent exactly still gets scale 1', () => {
    const s = fitScaler('standardize', fromRows([[0.1], [0.1], [0.1]]));
    expect(s.scale).toEqual([1]);
    expect(column(applyScaler(s, fromRows([[0.1]])), 0)).toEqual([0]);
  });

  it('minmax maps the fitted range to [0, 1]', () => {
    const s = fitScaler('minmax', x);
    expect(s.offset).toEqual([1, 10, 5]);
    expect(s.scale).toEqual([5, 50, 1]);
    expect(toRows(applyScaler(s, x))).toEqual([
      [0, 0, 0],
      [0.2, 0.2, 0],
      [0.4, 1, 0],
      [1, 0.4, 0],
    ]);
  });

  it('none is the identity', () => {
    const s = fitScaler('none', x);
    expect(s).toEqual({ kind: 'none', offset: [0, 0, 0], scale: [1, 1, 1] });
    expect(toRows(applyScaler(s, x))).toEqual(toRows(x));
  });
});

/** scikit-learn's StandardScaler and MinMaxScaler on the same rows: scripts/oracles/scalers-sklearn.py. */
const oracle = JSON.parse(readFileSync(new URL('../fixtures/scalers-sklearn.json', import.meta.url), 'utf8')) as {
  train: number[][];
  other: number[][];
  standardize: { mean: number[]; scale: number[]; other: number[][] };
  minmax: { data_min: number[]; data_range: number[] };
};

/** |a − b| within `rel` of |b| (or within `rel` when b is 0). */
const near = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.abs(b);

describe("scalers against scikit-learn's (test/fixtures/scalers-sklearn.json)", () => {
  it("standardize: StandardScaler's mean and scale, a column constant but for rounding scaled by 1, values near 1e9 by their std", () => {
    const s = fitScaler('standardize', fromRows(oracle.train));
    s.offset.forEach((m, c) => expect(near(m, oracle.standardize.mean[c], 1e-15), `mean of column ${c}: ${m}`).toBe(true));
    // The 1e9 column's std is exact (the oracle's is the exact value's float): a plain two-pass std was 8e-9 off.
    s.scale.forEach((v, c) => expect(near(v, oracle.standardize.scale[c], 1e-14), `scale of column ${c}: ${v} against ${oracle.standardize.scale[c]}`).toBe(true));
    const out = toRows(applyScaler(s, fromRows(oracle.other)));
    out.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - oracle.standardize.other[r][c]), `row ${r}, column ${c}`).toBeLessThanOrEqual(1e-12)));
  });

  it("minmax: MinMaxScaler's data_min and data_range (an exactly constant column: range 1)", () => {
    const s = fitScaler('minmax', fromRows(oracle.train));
    expect(s.offset).toEqual(oracle.minmax.data_min);
    expect(s.scale).toEqual(oracle.minmax.data_range.map((r) => (r === 0 ? 1 : r)));
  });
});

describe('scaling in loadData is fitted on the training rows only', () => {
  const tmp = tempDir();
  // 20 rows: x1 = i, x2 = i², target alternating a/b.
  const rows = Array.from({ length: 20 }, (_, i) => `${i},${i * i},${i % 2 ? 'a' : 'b'}`);
  tmp.write('base.csv', ['x1,x2,label', ...rows].join('\n'));
  const ctx = { yamlFile: 'exp.yaml', baseDir: tmp.dir, seed: 5, loss: 'cross_entropy' as const, outputUnits: 2, at: fakeAt() };
  const spec = (file: string) => ({ csv: { path: file, target: 'label' }, split: { test: 0.25 }, preprocess: 'standardize' as const });
  const base = loadData(spec('base.csv'), ctx);

  it('gives training columns mean 0 and population std 1', () => {
    for (const c of [0, 1]) {
      expect(mean(column(base.train.x, c))).toBeCloseTo(0, 12);
      expect(popStd(column(base.train.x, c))).toBeCloseTo(1, 12);
    }
  });

  it('leaves offset and scale unchanged when only the test rows change', () => {
    // The split depends only on the seed and the labels, so the same rows are test rows: find them
    // by their unscaled x1 (x1 = offset + scale·x1').
    const testRows = column(base.test!.x, 0).map((v) => Math.round(base.scaler.offset[0] + base.scaler.scale[0] * v));
    expect(testRows.length).toBe(6); // stratified: round(0.25 · 10) = 3 rows of each of the 2 classes
    const changed = Array.from({ length: 20 }, (_, i) =>
      testRows.includes(i) ? `${1000 + i},${-5000 - i},${i % 2 ? 'a' : 'b'}` : rows[i],
    );
    tmp.write('changed.csv', ['x1,x2,label', ...changed].join('\n'));
    const other = loadData(spec('changed.csv'), ctx);
    expect(other.scaler).toEqual(base.scaler);
    expect(toRows(other.train.x)).toEqual(toRows(base.train.x));
    expect(toRows(other.test!.x)).not.toEqual(toRows(base.test!.x));
  });

  it('hand-checks the offset: the mean of x1 over the training rows', () => {
    const testRows = column(base.test!.x, 0).map((v) => Math.round(base.scaler.offset[0] + base.scaler.scale[0] * v));
    const trainRows = Array.from({ length: 20 }, (_, i) => i).filter((i) => !testRows.includes(i));
    expect(base.scaler.offset[0]).toBeCloseTo(mean(trainRows), 12);
    expect(base.scaler.offset[1]).toBeCloseTo(mean(trainRows.map((i) => i * i)), 10);
  });
});
