// evaluate against its oracle: scikit-learn's metric functions on the predictions mlplab wrote, for every target
// kind (multiclass from string labels and from inline one-hot rows, binary, multilabel, regression with scaled
// targets). The expected values come from scripts/oracles/evaluate-sklearn.py (test/fixtures/evaluate/expected.json),
// never from mlplab's own output; the models are the ones that script trained, so nothing trains here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readModelFile } from '../src/files/modelfile.js';
import { evaluateCsv, type Evaluation } from '../src/runner/evaluate.js';
import { isUserError } from '../src/errors.js';

const FIX = fileURLToPath(new URL('./fixtures/evaluate/', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { cases: Record<string, Record<string, unknown> & { model: string; data: string }> };

/** Numbers agree to 1e-10 relative (scikit-learn sums in another order); counts and names exactly. */
function close(actual: unknown, want: unknown, path: string): void {
  if (typeof want === 'number') {
    expect(typeof actual, path).toBe('number');
    const a = actual as number;
    if (Number.isInteger(want) && Number.isInteger(a) && Math.abs(want) > 1) return void expect(a, path).toBe(want);
    expect(Math.abs(a - want), `${path}: ${a} vs ${want}`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want)));
  } else if (Array.isArray(want)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(want.length);
    want.forEach((w, i) => close((actual as unknown[])[i], w, `${path}[${i}]`));
  } else if (want !== null && typeof want === 'object') {
    for (const [k, w] of Object.entries(want)) close((actual as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else expect(actual, path).toBe(want);
}

describe('evaluate against scikit-learn (scripts/oracles/evaluate-sklearn.py)', () => {
  for (const [name, want] of Object.entries(expected.cases)) {
    it(`${name}: ${String(want.kind)}`, () => {
      const got: Evaluation = evaluateCsv(readModelFile(join(FIX, want.model)), join(FIX, want.data));
      const { model: _m, data: _d, ...metrics } = want;
      for (const key of ['accuracy', 'hamming_accuracy', 'r2', 'rmse', 'mae', 'loss', 'confusion', 'classification_report']) {
        expect(key in metrics, `${name}: the oracle has ${key} exactly when evaluate does`).toBe(got[key as keyof Evaluation] !== undefined);
      }
      close(got, metrics, name);
    });
  }

  it('covers every target kind', () => {
    expect(new Set(Object.values(expected.cases).map((c) => c.kind))).toEqual(new Set(['multiclass', 'binary', 'multilabel', 'regression']));
  });

  it('a file without the columns the model reads is refused, naming them (one-hot inline model: y1, y2)', () => {
    try {
      evaluateCsv(readModelFile(join(FIX, 'xor-onehot.model.json')), join(FIX, 'moons.csv'));
      expect.unreachable();
    } catch (e) {
      expect(isUserError(e)).toBe(true);
      expect((e as Error).message).toBe('expected the one-hot columns "y1", "y2", as the model was trained on; the file has: x1, x2, class');
    }
  });
});
