// The library's predict, predictCsv, evaluateCsv and gradcheckExperiment give back what they make in the wasm
// kernels' memory (the model's network, the evaluator's and the check's workspaces) when they return: nothing they
// return lives there. They left it to the collector, which does not see that memory (kernels/heap.ts), so a process
// calling predict again and again filled it: digits' model, 5 rows a call, took 645 kB a call, and the 3,330th call
// threw a RangeError ('the wasm kernels' memory cannot hold 262144 more bytes').
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCsv, gradcheckExperiment, loadExperiment, predict, predictCsv, trainExperiment } from '../../src/index.js';
import { wasmKernels } from '../../src/kernels/index.js';
import { prepare } from '../../src/runner/prepare.js';
import { ROOT } from './spawn.js';

const DIGITS = join(ROOT, 'experiments', 'digits.yaml');
const CSV = join(ROOT, 'data', 'digits.csv');

describe.runIf(wasmKernels() !== null)('the library’s one-off calls give the kernels’ memory back', () => {
  const heap = wasmKernels()!.heap();
  const model = trainExperiment(loadExperiment(DIGITS, { set: ['training.epochs=1'] })).model!;
  const rows = Array.from({ length: 5 }, (_, r) => Array.from({ length: 64 }, (_, c) => (r + c) % 16));

  const calls: [string, () => unknown][] = [
    ['predict', () => predict(model, rows)],
    ['predictCsv', () => predictCsv(model, CSV)],
    ['evaluateCsv', () => evaluateCsv(model, CSV, [0, 1, 2, 3, 4, 5, 6, 7])],
    ['gradcheckExperiment', () => gradcheckExperiment(loadExperiment(DIGITS))],
  ];
  for (const [name, call] of calls) {
    it(`${name}, ten calls: nothing of theirs stays in use, and the answer stays the same`, () => {
      const kept = call();
      const first = JSON.stringify(kept);
      const inUse = heap.inUse();
      for (let k = 0; k < 10; k++) expect(JSON.stringify(call())).toBe(first);
      expect(heap.inUse()).toBe(inUse);
      expect(JSON.stringify(kept)).toBe(first); // nothing it returned lay in the memory given back
    });
  }

  it('gradcheckExperiment given prepared data and network leaves them as they were', () => {
    const exp = loadExperiment(DIGITS);
    const prepared = prepare(exp);
    const weights = prepared.network.layers.map((l) => Array.from(l.w));
    gradcheckExperiment(exp, prepared);
    trainExperiment(loadExperiment(DIGITS, { seed: 9, set: ['training.epochs=1'] })); // would take any block given back
    expect(prepared.network.layers.map((l) => Array.from(l.w))).toEqual(weights);
  });
});
