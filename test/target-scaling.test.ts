// Scaled regression targets (data.preprocess.targets): fitted on the training rows only, stored in model.json,
// inverted by predict so predictions are in the data's units; refused, located, for classification; the plain
// string form still scales the features only.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { experimentFromObject, loadExperiment, loadModel, predict, prepare, trainExperiment, UserError } from '../src/index.js';
import { readCsv, textRows } from '../src/data/csv.js';

const body = (preprocess: unknown, epochs = 20) =>
  loadExperiment('experiments/body.yaml', { set: [`data.preprocess=${JSON.stringify(preprocess)}`, `training.epochs=${epochs}`] });

/** The body.csv columns of the given rows, read here independently of the data layer. */
function column(name: string, rows: Int32Array): number[] {
  const table = readCsv('data/body.csv', ',', { file: 'data/body.csv' });
  const c = table.header.indexOf(name);
  const cells = textRows(table);
  return Array.from(rows, (r) => Number(cells[r][c]));
}

describe('data.preprocess.targets', () => {
  it('standardize: fitted on the training rows only (mean and population std of each target)', () => {
    const data = prepare(body({ features: 'standardize', targets: 'standardize' })).data;
    const t = data.targetScaler!;
    ['arm_span_cm', 'shoe_size_eu', 'neck_cm'].forEach((name, c) => {
      const v = column(name, data.split.train);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      expect(t.offset[c]).toBeCloseTo(mean, 10);
      expect(t.scale[c]).toBeCloseTo(std, 10);
      const all = column(name, Int32Array.from({ length: 400 }, (_, i) => i));
      expect(t.offset[c]).not.toBeCloseTo(all.reduce((a, b) => a + b, 0) / 400, 6); // not the whole set's
    });
  });

  it('minmax scales the training targets to [0, 1]', () => {
    const y = prepare(body({ targets: 'minmax' })).data.train.y;
    expect(Math.min(...y.data)).toBe(0);
    expect(Math.max(...y.data)).toBe(1);
  });

  it('the plain string form scales the features only', () => {
    const data = prepare(body('standardize')).data;
    expect(data.targetScaler).toBeUndefined();
    expect(data.train.y.data[0]).toBe(column('arm_span_cm', data.split.train)[0]);
  });

  it('model.json stores it and predict answers in the data\'s units, with the R² the run reported', () => {
    const run = trainExperiment(body({ features: 'standardize', targets: 'standardize' }));
    expect(run.model!.target_preprocess!.offset).toHaveLength(3);
    const rows = run.run.test_rows!;
    const table = readCsv('data/body.csv', ',', { file: 'data/body.csv' });
    const x = rows.map((r) => textRows(table)[r].slice(0, 4).map(Number));
    const p = predict(run.model!, x).outputs;
    // R² in data units, computed here, equals the reported (unit-free) test R².
    let r2 = 0;
    ['arm_span_cm', 'shoe_size_eu', 'neck_cm'].forEach((name, c) => {
      const y = column(name, Int32Array.from(rows));
      const mean = y.reduce((a, b) => a + b, 0) / y.length;
      const ssRes = y.reduce((s, v, i) => s + (v - p.data[i * 3 + c]) ** 2, 0);
      const ssTot = y.reduce((s, v) => s + (v - mean) ** 2, 0);
      r2 += (1 - ssRes / ssTot) / 3;
    });
    expect(r2).toBeCloseTo(run.final.test_r2, 10);
    expect(p.data[0]).toBeGreaterThan(120); // an arm span in cm, not a standardized value
  });

  it('body.yaml without target scaling ends far below the R² it reaches with it (seed 0)', () => {
    const scaled = trainExperiment(loadExperiment('experiments/body.yaml')).final.train_r2;
    const unscaled = trainExperiment(loadExperiment('experiments/body.yaml', { set: ['data.preprocess.targets=none'] })).final.train_r2;
    expect(scaled).toBeGreaterThan(0.9);
    expect(unscaled).toBeLessThan(-3);
  });

  it('a model file whose target scaling does not fit its outputs is refused, named', () => {
    const run = trainExperiment(body({ features: 'standardize', targets: 'standardize' }, 1));
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-targets-'));
    try {
      const file = join(dir, 'model.json');
      writeFileSync(file, JSON.stringify({ ...run.model!, target_preprocess: { ...run.model!.target_preprocess!, scale: [1, 2] } }));
      expect(() => loadModel(file)).toThrow(expect.objectContaining({ message: 'expected 3 scales, one per output unit (3), found 2', place: { file, path: 'target_preprocess.scale' } }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused for classification, located at the key', () => {
    const exp = experimentFromObject({
      data: { generate: { kind: 'moons' }, preprocess: { features: 'standardize', targets: 'standardize' } },
      model: { layers: [{ units: 2, activation: 'softmax' }] },
      loss: 'cross_entropy',
    });
    expect(() => prepare(exp)).toThrow(UserError);
    try {
      prepare(exp);
    } catch (e) {
      expect((e as UserError).format()).toMatch(/data\.preprocess\.targets: target scaling is for regression only/);
    }
  });
});
