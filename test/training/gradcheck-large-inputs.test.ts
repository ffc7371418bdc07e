// gradcheck on unscaled inputs (the default, preprocess: none): wine.csv's proline runs to 1,680, so a first-layer
// weight's step s = 1e-5·max(1, |w|) moves its tanh or sigmoid pre-activations by up to ~0.02 and the central
// difference's truncation error (s²/6 · L''', growing as the input cubed) exceeds the tolerance. The backward pass
// is right (the difference converges to it as s shrinks), so gradcheck must pass; a derivative that is wrong by 1e-4
// relative must still fail on the same rows.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gradcheckExperiment, loadExperiment, prepare } from '../../src/index.js';
import { losses, type Loss } from '../../src/model/losses.js';
import { gradcheck, rowsAwayFromKinks } from '../../src/training/gradcheck.js';
import { takeRows } from '../../src/matrix.js';

const dir = mkdtempSync(join(tmpdir(), 'mlplab-gradcheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const wine = fileURLToPath(new URL('../../data/wine.csv', import.meta.url));

function experiment(activation: string, seed: number, hidden = `    - { units: 16, activation: ${activation} }\n`, init = '') {
  const file = join(dir, `wine-${activation}-${seed}.yaml`);
  writeFileSync(file, `seed: ${seed}\ndata:\n  csv: { path: ${JSON.stringify(wine)}, target: cultivar }\nmodel:\n  layers:\n${hidden}    - { units: 3, activation: softmax }\n${init}loss: cross_entropy\n`);
  return loadExperiment(file);
}

describe('gradcheck with inputs in the thousands', () => {
  it.each([['tanh', 0], ['tanh', 2], ['sigmoid', 0], ['sigmoid', 1], ['sigmoid', 2]] as const)('%s, seed %i: a correct backward pass passes', (activation, seed) => {
    const g = gradcheckExperiment(experiment(activation, seed));
    expect(g.layers.map((l) => l.worst.error).every((e) => e < 1e-6), JSON.stringify(g.layers.map((l) => l.worst))).toBe(true);
    expect(g.pass).toBe(true);
  });
  it('a kink is not crossed by a step of the check: a row whose pre-activation a step moves across 0 is left out', () => {
    // Seed 47: row 2's layer-2 pre-activation of unit 0 is 0.0046, farther than 1e-4 from the kink, but a step of its
    // weight from input 4 (an activation of 794) moves it by 0.0079: the difference (-448.9) was not the derivative (-495.2).
    const hidden = '    - { units: 16, activation: leaky_relu }\n    - { units: 8, activation: leaky_relu }\n';
    const g = gradcheckExperiment(experiment('leaky_relu', 47, hidden, '  init: { scheme: he_uniform }\n'));
    expect(g.pass, JSON.stringify(g.layers.map((l) => l.worst))).toBe(true);
    expect(g.skipped).toBeGreaterThan(0);
  });
  it('every row within a step of a kink but none at it: the refusal says so, not that they sit at the kink', () => {
    // Pre-activations 0.5, 1 and 1.5, from inputs of a million: a step of a first-layer weight moves them by 10 or 20.
    const file = join(dir, 'near-kinks.yaml');
    writeFileSync(file, 'data:\n  inline:\n    inputs: [[1000000, -999999], [2000000, -1999998], [1000000, -999997]]\n    targets: [[1], [0], [1]]\n' +
      'model:\n  layers:\n    - { units: 2, activation: relu }\n    - { units: 1, activation: sigmoid }\n  init: { scheme: constant, value: 0.5 }\nloss: binary_cross_entropy\n');
    expect(() => gradcheckExperiment(loadExperiment(file))).toThrow(
      'every training row puts a relu or leaky_relu pre-activation at its kink (0) or within a step of the check of it (a difference across a kink matches neither side): nothing to check',
    );
  });
  it('a cross-entropy gradient wrong by 1e-4 (relative) still fails on the same rows', () => {
    const exp = experiment('tanh', 0);
    const { network, data } = prepare(exp);
    const rows = rowsAwayFromKinks(network, data.train.x).slice(0, 4);
    const right = losses.cross_entropy;
    const wrong: Loss = { ...right, backward: (...args) => { right.backward(...args); const d = args[2]; for (let i = 0; i < args[3] * args[4]; i++) d[i] *= 1.0001; } };
    const layers = gradcheck(network, takeRows(data.train.x, rows), takeRows(data.train.y, rows), wrong, 'mean');
    expect(layers.every((l) => !l.pass)).toBe(true);
  });
});
