import { describe, it, expect } from 'vitest';
import { fromRows } from '../../src/matrix.js';
import { accuracy, binaryThreshold, confusionMatrix, countsOverRows, maximised, predictedClasses, r2 } from '../../src/metrics.js';

const col = (v: number[]) => fromRows(v.map((x) => [x]));

describe('metrics', () => {
  it('binaryThreshold is the midpoint of the smallest and largest target', () => {
    expect(binaryThreshold(col([0, 1, 1, 0]))).toBe(0.5);
    expect(binaryThreshold(col([-1, 1, -1]))).toBe(0);
    expect(binaryThreshold(col([2, 4]))).toBe(3);
  });

  it('predictedClasses: argmax for several columns, above-threshold for one', () => {
    expect(predictedClasses(fromRows([[0.1, 0.9, 0], [0.5, 0.2, 0.3], [0, 0, 1]]))).toEqual([1, 0, 2]);
    expect(predictedClasses(col([0.2, 0.7, 0.5]))).toEqual([0, 1, 0]);
    expect(predictedClasses(col([-0.3, 0.1]), 0)).toEqual([0, 1]);
  });

  it('accuracy by argmax: 2 of 3 rows', () => {
    const pred = fromRows([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
    const target = fromRows([[0, 1], [0, 1], [0, 1]]);
    expect(accuracy(pred, target)).toBeCloseTo(2 / 3, 15);
  });

  it('accuracy by threshold: −1/1 targets at threshold 0, 3 of 4 rows', () => {
    expect(accuracy(col([0.2, -0.5, 0.1, -0.1]), col([1, -1, -1, -1]), 0)).toBe(0.75);
    expect(accuracy(col([0.6, 0.4]), col([1, 0]))).toBe(1);
  });

  it('r2 matches sklearn r2_score on its documented example', () => {
    // sklearn docs: r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) == 0.948...
    // By hand: mean 2.875, SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875, SS_res = 1.5.
    expect(r2(col([2.5, 0, 2, 8]), col([3, -0.5, 2, 7]))).toBeCloseTo(1 - 1.5 / 29.1875, 14);
    expect(1 - 1.5 / 29.1875).toBeCloseTo(0.9486081370449679, 14);
  });

  it('r2 averages the columns uniformly', () => {
    const target = fromRows([[0.5, 1], [-1, 1], [7, -6]]);
    const pred = fromRows([[0, 2], [-1, 2], [8, -5]]);
    // Column 1: mean 13/6, SS_tot = (100 + 361 + 841)/36, SS_res = 1.25. Column 2: mean −4/3, SS_tot = 294/9, SS_res = 3.
    const expected = ((1 - 1.25 / (1302 / 36)) + (1 - 3 / (294 / 9))) / 2;
    expect(r2(pred, target)).toBeCloseTo(expected, 14);
  });

  it('r2 of a constant target: 1 if predicted exactly, else 0; NaN for one row', () => {
    expect(r2(col([1, 1]), col([1, 1]))).toBe(1);
    expect(r2(col([1, 2]), col([1, 1]))).toBe(0);
    expect(r2(col([1]), col([2]))).toBeNaN();
  });

  it('confusionMatrix: rows true, columns predicted (sklearn example)', () => {
    expect(confusionMatrix([0, 0, 2, 2, 0, 2], [2, 0, 2, 2, 0, 1], 3)).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });
});

describe('what a metric is, from its descriptor', () => {
  it('maximised: accuracies and R² (of every part); losses and errors not', () => {
    for (const m of ['accuracy', 'test_accuracy', 'train_hamming_accuracy', 'validation_r2']) expect(maximised(m), m).toBe(true);
    for (const m of ['train_loss', 'test_rmse', 'validation_mae']) expect(maximised(m), m).toBe(false);
  });

  it('countsOverRows: the accuracies (k/n, compare ties their paired differences); R², errors and losses not', () => {
    for (const m of ['accuracy', 'test_accuracy', 'validation_accuracy', 'train_hamming_accuracy']) expect(countsOverRows(m), m).toBe(true);
    for (const m of ['test_r2', 'train_loss', 'test_rmse', 'test_mae', 'train_loss_accuracyish']) expect(countsOverRows(m), m).toBe(false);
  });
});
