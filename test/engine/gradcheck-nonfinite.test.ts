// gradcheck when the loss at the initial weights is not finite (targets near 1e200 overflow the squared error):
// no finite difference exists to compare with, so the check cannot say anything about the backward pass. It must
// say that (a user error naming the file), not report a FAIL that blames the layer's derivative.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradcheckExperiment, isUserError, loadExperiment } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mlplab-gradcheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function experiment(targets: string) {
  const file = join(dir, 'huge-targets.yaml');
  writeFileSync(file, `data:\n  inline:\n    inputs: [[0], [1], [2]]\n    targets: ${targets}\nmodel:\n  layers: [{ units: 1, activation: linear }]\nloss: mse\n`);
  return loadExperiment(file);
}

describe('gradcheck with a loss that is not finite at the initial weights', () => {
  it('is a user error saying the loss is not finite, not a failing layer', () => {
    let thrown: unknown;
    try {
      gradcheckExperiment(experiment('[[1e200], [1], [2]]'));
    } catch (e) {
      thrown = e;
    }
    expect(isUserError(thrown), String(thrown)).toBe(true);
    const text = (thrown as Error & { format(): string }).format();
    expect(text).toContain('huge-targets.yaml');
    expect(text).toMatch(/loss .*not finite|not finite.*loss/);
  });
  it('still checks (and passes) the same network on finite targets', () => {
    expect(gradcheckExperiment(experiment('[[1e3], [1], [2]]')).pass).toBe(true);
  });
});
