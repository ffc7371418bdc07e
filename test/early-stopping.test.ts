// Early stopping, validation split and schedules in a run: the stop epoch on hand-built metric sequences
// (Keras's rule), restore_best putting back exactly the best epoch's weights, the loss log's optional columns,
// validation rows disjoint from (and not moving) the test rows, and monitors this run does not log refused.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRecordValidator } from './helpers/run-schema.js';
import { describe, expect, it } from 'vitest';
import { experimentFromObject, prepare, runExperiment, trainExperiment, UserErrors, UserError } from '../src/index.js';
import { EarlyStopping } from '../src/training/early-stopping.js';
import { train } from '../src/training/train.js';
import { Rng } from '../src/random.js';
import { toModelFile } from '../src/files/modelfile.js';

/** Feeds values from epoch 1; returns the epoch it says stop at (or undefined) and the best epoch. */
function stopOn(values: number[], monitor: string, patience: number, minDelta: number) {
  const es = new EarlyStopping(monitor, patience, minDelta);
  const stop = values.findIndex((v, i) => es.update(i + 1, v) === 'stop');
  return { stop: stop < 0 ? undefined : stop + 1, best: es.bestEpoch, value: es.best };
}

describe('EarlyStopping (keras.callbacks.EarlyStopping)', () => {
  it('minimises a loss: improvement means value + min_delta < best; stops after `patience` epochs without', () => {
    // e1 1 (best); e2 0.9 + 0.01 < 1 (best); e3 0.895 + 0.01 = 0.905 ≥ 0.9: wait 1; e4 0.89 + 0.01 = 0.9, not < 0.9:
    // wait 2; e5 0.885 + 0.01 < 0.9 (best, e5); e6–e8: 0.88 + 0.01 ≥ 0.885: wait 1, 2, 3 → stop at e8.
    const r = stopOn([1, 0.9, 0.895, 0.89, 0.885, 0.88, 0.88, 0.88, 0.1], 'validation_loss', 3, 0.01);
    expect(r).toEqual({ stop: 8, best: 5, value: 0.885 });
  });
  it('maximises accuracy and R²', () => {
    // e1 0.5 best; e2 0.7 best; e3 0.7 equal: wait 1; e4 0.6: wait 2 → stop at e4 (patience 2).
    expect(stopOn([0.5, 0.7, 0.7, 0.6, 0.9], 'validation_accuracy', 2, 0)).toEqual({ stop: 4, best: 2, value: 0.7 });
    expect(stopOn([-1, 0.2, 0.1, 0.3, 0.2], 'train_r2', 2, 0)).toEqual({ stop: undefined, best: 4, value: 0.3 });
  });
  it('never counts NaN as an improvement', () => {
    expect(stopOn([NaN, NaN, NaN], 'train_loss', 3, 0)).toEqual({ stop: 3, best: 0, value: Infinity });
  });
});

const moons = (training: Record<string, unknown>, split: Record<string, number> = { test: 0.2, validation: 0.2 }) =>
  experimentFromObject({
    seed: 3,
    data: { generate: { kind: 'moons', samples: 120, noise: 0.3 }, split, preprocess: 'standardize' },
    model: { layers: [{ units: 16, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
    loss: 'cross_entropy',
    training: { epochs: 200, batch_size: 8, optimizer: { type: 'adam', learning_rate: 0.05 }, ...training },
  });

describe('early stopping in a run', () => {
  const es = { monitor: 'validation_loss', patience: 10, min_delta: 0, restore_best: true };
  const run = trainExperiment(moons({ early_stopping: es }));
  const stopping = run.run.stopping!;

  it('stops `patience` epochs after the best validation loss, which is the minimum of the logged column', () => {
    expect(stopping.reason).toBe('early_stopping');
    expect(stopping.epoch).toBe(stopping.best_epoch + 10);
    expect(stopping.epoch).toBeLessThan(200);
    const byEpoch = new Map(run.rows.map((r) => [r.epoch, r.validation_loss]));
    const logged = run.rows.filter((r) => r.epoch > 0).map((r) => r.validation_loss);
    expect(byEpoch.get(stopping.best_epoch)).toBe(Math.min(...logged));
    expect(stopping.best_value).toBe(byEpoch.get(stopping.best_epoch));
    expect(run.rows[run.rows.length - 1].epoch).toBe(stopping.epoch);
  });

  it('restore_best writes exactly the weights (and metrics) a run of best_epoch epochs ends with', () => {
    const reference = trainExperiment(moons({ epochs: stopping.best_epoch }));
    expect(run.model!.layers).toEqual(reference.model!.layers);
    expect(run.final).toEqual(reference.final);
    expect(stopping.restored_best).toBe(true);
  });

  it('restore_best: false keeps the stop epoch\'s weights', () => {
    const kept = trainExperiment(moons({ early_stopping: { ...es, restore_best: false } }));
    expect(kept.model!.layers).toEqual(trainExperiment(moons({ epochs: stopping.epoch })).model!.layers);
    expect(kept.run.stopping!.restored_best).toBe(false);
  });

  it('run.json with its stopping record validates against schemas/run.schema.json', async () => {
    const validate = runRecordValidator();
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-early-stopping-'));
    let record: Record<string, any>;
    try {
      await runExperiment(moons({ early_stopping: es }), { outDir: join(dir, 'run') });
      record = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(record.stopping).toEqual(stopping);
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...record, stopping: { ...record.stopping, reason: 'bored' } })).toBe(false);
  });

  it('is reproduced exactly by the seed', () => {
    const again = trainExperiment(moons({ early_stopping: es }));
    expect(again.rows).toEqual(run.rows);
    expect(again.model).toEqual(run.model);
  });
});

describe('the loss log\'s optional columns', () => {
  it('validation_* only with a validation split; learning_rate only with a schedule', () => {
    expect(trainExperiment(moons({ epochs: 2 }, { test: 0.2 })).columns).toEqual(['epoch', 'step', 'train_loss', 'train_accuracy', 'test_loss', 'test_accuracy']);
    const both = trainExperiment(moons({ epochs: 7, schedule: { type: 'step', step_size: 2, gamma: 0.5 } }));
    expect(both.columns).toEqual(['epoch', 'step', 'train_loss', 'train_accuracy', 'validation_loss', 'validation_accuracy', 'test_loss', 'test_accuracy', 'learning_rate']);
    // The rate each epoch's updates used: 0.05·0.5^⌊(e − 1)/2⌋ (epoch 0: the starting rate).
    expect(both.rows.map((r) => r.learning_rate)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((e) => 0.05 * 0.5 ** Math.floor(Math.max(e - 1, 0) / 2)));
  });
});

describe('a schedule in a run', () => {
  it('the optimizer uses the scheduled rate: the same as train() with the rate set by hand between epochs', () => {
    const exp = moons({ epochs: 6, schedule: { type: 'exponential', gamma: 0.5 } }, { test: 0.2 });
    const run = trainExperiment(exp);
    const { data, network } = prepare(exp);
    const c = exp.config;
    train(network, data.train.x, data.train.y, {
      epochs: 6, batchSize: 8, shuffle: true, loss: 'cross_entropy', reduction: 'mean', optimizer: c.training.optimizer,
      rng: Rng.stream(c.seed, 'shuffle'), dropoutRng: Rng.stream(c.seed, 'dropout'),
      onEpoch: (epoch, _steps, optimizer) => void (optimizer.learningRate = 0.05 * 0.5 ** epoch),
    });
    expect(run.model!.layers.map((l) => l.weights)).toEqual(toModelFile(network, 'cross_entropy', { kind: 'multiclass' }).layers.map((l) => l.weights));
    expect(trainExperiment(moons({ epochs: 6 }, { test: 0.2 })).model!.layers).not.toEqual(run.model!.layers);
  });
});

describe('validation split', () => {
  const split = (s: Record<string, number>) => prepare(moons({}, s)).data.split;
  it('takes its rows from the training rows: the test rows stay as without it', () => {
    const without = split({ test: 0.2 });
    const withVal = split({ test: 0.2, validation: 0.2 });
    expect(withVal.test).toEqual(without.test);
    const all = [...withVal.train, ...withVal.validation, ...withVal.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => i)); // disjoint, and together every row
    expect(withVal.validation.length).toBe(24); // 0.2 of 120, 12 per class (moons: 60 and 60)
  });
  it('is stratified by class', () => {
    const data = prepare(moons({}, { test: 0.25, validation: 0.25 })).data;
    const perClass = (y: { data: Float64Array; rows: number }) => [0, 1].map((c) => Array.from({ length: y.rows }, (_, r) => y.data[r * 2 + c]).filter((v) => v === 1).length);
    expect(perClass(data.validation!.y)).toEqual([15, 15]);
  });
  it('refuses fractions that leave no training rows, located', () => {
    const e = (() => {
      try {
        moons({}, { test: 0.5, validation: 0.5 });
      } catch (err) {
        return err as UserErrors;
      }
    })();
    expect(e?.errors.map((x) => x.format())[0]).toMatch(/data\.split\.validation: test and validation together must be less than 1/);
  });
  it('a monitor the run does not log is refused, located at the key', () => {
    const exp = moons({ early_stopping: { monitor: 'validation_loss' } }, { test: 0.2 });
    expect(() => prepare(exp)).toThrow(UserError);
    expect(() => prepare(exp)).toThrow(/monitor validation_loss is not a metric of this run.*needs data\.split\.validation/);
  });
});
