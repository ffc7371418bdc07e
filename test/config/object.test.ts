// An experiment given as an object (experimentFromObject, the library's way in): its errors cite the object's
// key paths, never a file (there is none) nor a line and column of the YAML it is turned into internally;
// errors found later, preparing its data, too.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentFromObject, isUserError, prepare, UserError, UserErrors } from '../../src/index.js';

const XOR = { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] };
const valid = () => ({
  data: { inline: XOR },
  model: { layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
  loss: 'cross_entropy',
});

/** Every line the error prints (as the CLI would). */
function messages(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (!isUserError(e)) throw e;
    return e instanceof UserErrors ? e.errors.map((x) => x.format()) : [(e as UserError).format()];
  }
  throw new Error('expected a UserError');
}

describe('experimentFromObject errors cite key paths', () => {
  it('schema errors, unknown keys and semantic checks', () => {
    const config = { ...valid(), model: { layers: [{ units: 0, activation: 'tahn' }, { units: 2, activation: 'softmax' }] }, trainig: {} };
    expect(messages(() => experimentFromObject(config, { baseDir: tmpdir() })).sort()).toEqual([
      'model.layers[0].units: expected an integer >= 1, found 0',
      'model.layers[0].activation: expected one of: linear, sigmoid, tanh, relu, leaky_relu, softmax; found "tahn" (did you mean "tanh"?)',
      'trainig: unknown key "trainig" (did you mean "training"?); expected one of: name, description, seed, data, model, loss, reduction, training, log, sweep, sweep_samples, expect, golden, run_id',
    ].sort());
  });

  it('a check across keys, a --set style override and a missing key', () => {
    const { loss: _loss, ...noLoss } = valid();
    expect(messages(() => experimentFromObject(noLoss))).toEqual(['missing required key "loss"']);
    expect(messages(() => experimentFromObject({ ...valid(), loss: 'binary_cross_entropy' }))[0]).toMatch(/^model\.layers\[1\]\.activation: loss binary_cross_entropy needs a sigmoid output layer/);
    expect(messages(() => experimentFromObject(valid(), { set: ['training.epochs=-1'] }))).toEqual(['training.epochs: expected an integer >= 0, found -1 (from --set training.epochs=-1)']);
  });

  it('a top that is not a mapping', () => {
    expect(messages(() => experimentFromObject([] as unknown as Record<string, unknown>))).toEqual(['expected a mapping of keys (data, model, loss, training, …) at the top of the file']);
  });

  it('errors found preparing the data: the key path, and the CSV file where the problem is in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-object-'));
    writeFileSync(join(dir, 'd.csv'), 'a,b,y\n1,2,p\n3,4,q\n');
    const csv = (extra: object) => ({ ...valid(), data: { csv: { path: 'd.csv', target: 'y', ...extra } } });
    expect(messages(() => prepare(experimentFromObject(csv({ features: ['a', 'c'] }), { baseDir: dir })))).toEqual([
      `data.csv.features[1]: expected a column named "c" in ${join(dir, 'd.csv')}, but its columns are: a, b, y`,
    ]);
    for (const line of messages(() => prepare(experimentFromObject(csv({ ignore: ['b', 'y'] }), { baseDir: dir })))) expect(line).not.toMatch(/\.yaml/);
  });
});

describe('experimentFromObject refuses what YAML cannot hold as a UserError, not the yaml package\'s Error', () => {
  it('a function or symbol value names its key path; a config that is not an object is refused', () => {
    const bad = { ...valid(), training: { epochs: () => 3 } };
    expect(messages(() => experimentFromObject(bad))).toEqual(['training.epochs: expected a number, string, boolean, null, list or mapping, found a function']);
    expect(messages(() => experimentFromObject({ ...valid(), model: { layers: [Symbol('x')] } }))).toEqual(['model.layers[0]: expected a number, string, boolean, null, list or mapping, found a symbol']);
    expect(messages(() => experimentFromObject(null as never))).toEqual(['expected a mapping of keys (data, model, loss, training, …) at the top of the file']);
  });
});
