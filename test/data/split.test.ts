import { describe, it, expect } from 'vitest';
import { splitIndices } from '../../src/data/split.js';
import { Rng } from '../../src/random.js';
import { userError } from './helpers.js';

const rng = (seed: number) => Rng.stream(seed, 'split');

describe('splitIndices', () => {
  it('is the same for the same seed and differs for another seed', () => {
    const a = splitIndices(100, 0.3, rng(1));
    const b = splitIndices(100, 0.3, rng(1));
    const c = splitIndices(100, 0.3, rng(2));
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('partitions the rows, each part sorted ascending, round(test·n) rows in test', () => {
    const { train, test } = splitIndices(50, 0.25, rng(3));
    expect(test.length).toBe(13); // round(12.5) = 13
    expect(train.length).toBe(37);
    const all = [...train, ...test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const part of [train, test]) for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
  });

  it('keeps class proportions within one row per class in both parts', () => {
    // Classes of sizes 60, 30, 7, 3 interleaved.
    const sizes = [60, 30, 7, 3];
    const strata: number[] = [];
    sizes.forEach((n, c) => {
      for (let i = 0; i < n; i++) strata.push(c);
    });
    new Rng(99).shuffle(strata);
    for (const seed of [1, 2, 3]) {
      for (const frac of [0.2, 1 / 3, 0.5]) {
        const { train, test } = splitIndices(strata.length, frac, rng(seed), strata);
        sizes.forEach((n, c) => {
          const inTest = Array.from(test).filter((i) => strata[i] === c).length;
          const inTrain = Array.from(train).filter((i) => strata[i] === c).length;
          expect(inTest + inTrain).toBe(n);
          expect(Math.abs(inTest - frac * n)).toBeLessThanOrEqual(1);
          expect(Math.abs(inTrain - (1 - frac) * n)).toBeLessThanOrEqual(1);
          expect(inTrain).toBeGreaterThan(0); // every class keeps a training row
        });
      }
    }
  });

  it('keeps a lone row of a class in training', () => {
    const { train, test } = splitIndices(5, 0.6, rng(1), [0, 0, 0, 0, 1]);
    expect(Array.from(train)).toContain(4);
    expect(test.length).toBe(2); // round(0.6·4) = 2 from class 0, none from class 1
  });

  it('puts every row in training when test is 0', () => {
    const { train, test } = splitIndices(7, 0, rng(1));
    expect(Array.from(train)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(test.length).toBe(0);
  });

  it('fails at data.split.test when no training rows remain', () => {
    const place = { file: 'exp.yaml', line: 9, column: 11, path: 'data.split.test' };
    const e = userError(() => splitIndices(1, 0.5, rng(1), undefined, place));
    expect(e.code).toBe('data');
    expect(e.place).toEqual(place);
    expect(e.message).toMatch(/leaves none/);
  });

  it('fails when the test set would be empty', () => {
    expect(userError(() => splitIndices(4, 0.1, rng(1))).message).toMatch(/rounds to none/);
  });

  it('says a stratified split rounds each stratum, not the whole, when it puts no row in the test set', () => {
    // 0.1 of 30 rows is 3, but of each of 10 classes of 3 rows round(0.3) = 0; a lone row stays in training.
    const tens = Array.from({ length: 30 }, (_, i) => i % 10);
    expect(userError(() => splitIndices(30, 0.1, rng(1), tens)).message).toBe(
      'expected a test fraction that puts at least one row in the test set, but 0.1 of 30 rows, stratified (10 strata, the largest of 3 rows, each keeping a training row), rounds to none; use a larger fraction, more data, or test: 0',
    );
    expect(userError(() => splitIndices(4, 0.5, rng(1), [0, 1, 2, 3])).message).toMatch(/but 0\.5 of 4 rows, stratified \(4 strata, the largest of 1 row, each keeping a training row\), rounds to none/);
  });
});
