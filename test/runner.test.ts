// The runner: trainExperiment never changes what it is given (training twice from one prepare() gives the
// same run), and run.json as written validates against schemas/run.schema.json.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRecordValidator } from './helpers/run-schema.js';
import { describe, expect, it } from 'vitest';
import { loadExperiment, prepare, runExperiment, trainExperiment } from '../src/index.js';

describe('trainExperiment', () => {
  it('leaves the prepared network as it was: training twice from one prepare() gives the same model', () => {
    const exp = loadExperiment('experiments/xor-tanh.yaml');
    const prepared = prepare(exp);
    const before = prepared.network.layers.map((l) => [Array.from(l.w), Array.from(l.b)]);
    const first = trainExperiment(exp, { prepared });
    expect(prepared.network.layers.map((l) => [Array.from(l.w), Array.from(l.b)])).toEqual(before);
    const second = trainExperiment(exp, { prepared });
    expect(second.rows).toEqual(first.rows);
    expect(second.model).toEqual(first.model);
    expect(first.model!.layers[0].weights.flat()).not.toEqual(before[0][0]); // it did train
  });
});

describe('run.json', () => {
  it('validates against schemas/run.schema.json, for classification with a test split, multilabel and regression', async () => {
    const validate = runRecordValidator();
    const out = mkdtempSync(join(tmpdir(), 'mlplab-runner-'));
    try {
      const kinds: Record<string, [string, string]> = { iris: ['multiclass', 'class'], 'digit-properties': ['multilabel', 'label_combination'], sine: ['regression', 'none'] };
      for (const [name, [kind, strata]] of Object.entries(kinds)) {
        await runExperiment(loadExperiment(`experiments/${name}.yaml`, { set: ['training.epochs=2'] }), { outDir: join(out, name) });
        const run = JSON.parse(readFileSync(join(out, name, 'run.json'), 'utf8'));
        expect(validate(run), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(validate({ ...run, status: 'finished' })).toBe(false);
        expect(validate({ ...run, started: run.started.replace('T', ' ') }), 'started is checked as a date-time').toBe(false);
        expect([run.kind, run.strata]).toEqual([kind, strata]);
        const model = JSON.parse(readFileSync(join(out, name, 'model.json'), 'utf8'));
        expect(model.kind).toBe(kind);
        expect('classification_report' in run).toBe(kind !== 'regression');
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('validates with a final metric that is not a number: R² of a single test row is null (NaN in loss.csv)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mlplab-runner-'));
    try {
      await runExperiment(loadExperiment('experiments/sine.yaml', { set: ['training.epochs=1', 'data.split.test=0.005'] }), { outDir: join(out, 'sine') });
      const run = JSON.parse(readFileSync(join(out, 'sine', 'run.json'), 'utf8'));
      expect(run.test_rows).toHaveLength(1);
      expect(run.final.test_r2).toBeNull();
      const validate = runRecordValidator();
      expect(validate(run), JSON.stringify(validate.errors)).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
