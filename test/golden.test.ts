// Golden tests: every shipped experiment is run and its loss log compared with test/golden/NAME.csv,
// numbers within a relative 1e-9. Goldens are written only by `npm run golden:update`, never by a test.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenFileOf, lossCsvOf, shippedExperiments } from '../scripts/goldens.js';
import { firstCsvDifference } from './helpers/csvdiff.js';

describe('golden loss logs', () => {
  for (const file of shippedExperiments()) {
    it(basename(file), () => {
      const golden = goldenFileOf(file);
      expect(existsSync(golden), `no golden file ${golden}: run npm run golden:update ${basename(file, '.yaml')}`).toBe(true);
      const { csv } = lossCsvOf(file);
      expect(firstCsvDifference(csv, readFileSync(golden, 'utf8'), 1e-9)).toBeNull();
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
