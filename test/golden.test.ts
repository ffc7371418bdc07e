// Golden tests: every shipped experiment is run and its loss log compared with test/golden/NAME.csv,
// numbers within a relative 1e-9. Goldens are written only by `npm run golden:update`, never by a test.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenFileOf, lossCsvOf, shippedExperiments } from '../scripts/goldens.js';
import { firstCsvDifference } from './helpers/csvdiff.js';

/**
 * What each shipped experiment must reach at its seed. XOR: 100% training accuracy (the promise).
 * Real data: the reference the issue measured with scikit-learn's MLP (32 relu units, adam, standardized
 * inputs, stratified 80/20 split, mean of 5 seeds).
 */
const REQUIRED: Record<string, Record<string, number>> = {
  'xor-original': { train_accuracy: 1 },
  'xor-relu': { train_accuracy: 1 },
  'xor-sigmoid': { train_accuracy: 1 },
  'xor-softmax': { train_accuracy: 1 },
  'xor-tanh': { train_accuracy: 1 },
  iris: { test_accuracy: 0.953 },
  wine: { test_accuracy: 0.989 },
  digits: { test_accuracy: 0.977 },
  diabetes: { test_r2: 0.355 },
  spirals: { test_accuracy: 0.95 },
  sine: { test_r2: 0.9 },
};

describe('shipped experiments', () => {
  for (const file of shippedExperiments()) {
    const name = basename(file, '.yaml');
    describe(name, () => {
      const run = lossCsvOf(file); // once per experiment: both tests below read it
      it('matches its golden loss log', () => {
        const golden = goldenFileOf(file);
        expect(existsSync(golden), `no golden file ${golden}: run npm run golden:update ${name}`).toBe(true);
        expect(firstCsvDifference(run.csv, readFileSync(golden, 'utf8'), 1e-9)).toBeNull();
      });
      it('reaches its required metrics', () => {
        const required = REQUIRED[name];
        expect(required, `add ${name} to REQUIRED in ${import.meta.url}`).toBeDefined();
        for (const [metric, min] of Object.entries(required)) expect(run.result.final[metric], metric).toBeGreaterThanOrEqual(min);
      });
    });
  }
});

describe('firstCsvDifference', () => {
  const golden = 'epoch,step,train_loss\n0,0,0.5\n10,10,0.25\n';
  it('accepts equal numbers and differences within the tolerance', () => {
    expect(firstCsvDifference(golden, golden, 1e-9)).toBeNull();
    expect(firstCsvDifference('epoch,step,train_loss\n0,0,0.5000000000001\n10,10,0.25\n', golden, 1e-9)).toBeNull();
  });
  it('names the first differing row and column with both values', () => {
    expect(firstCsvDifference('epoch,step,train_loss\n0,0,0.5\n10,10,0.2500001\n', golden, 1e-9)).toBe(
      'row 2 (epoch 10), column train_loss: expected 0.25, found 0.2500001',
    );
    expect(firstCsvDifference('epoch,step,train_loss\n0,0,0.5\n', golden, 1e-9)).toMatch(/expected 2 data rows, found 1/);
  });
});
