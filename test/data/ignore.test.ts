// data.csv.ignore: columns left out of the default features (an ID, a name), each checked to exist and not be
// a target; and the message a text column among the default features gets, which says how to leave it out.
import { describe, expect, it } from 'vitest';
import { loadData, type LoadContext } from '../../src/data/load.js';
import { main, type Io } from '../../src/cli.js';
import { toRows } from '../../src/matrix.js';
import { fakeAt, tempDir, userError } from './helpers.js';

const tmp = tempDir();
tmp.write('ids.csv', 'sample_id,a,note,b,label\ns001,1,x,2,p\ns002,3,y,4,q\ns003,5,z,6,p\ns004,7,w,8,q\n');
const ctx = (over: Partial<LoadContext> = {}): LoadContext => ({
  yamlFile: 'exp.yaml',
  baseDir: tmp.dir,
  seed: 1,
  loss: 'cross_entropy',
  outputUnits: 2,
  at: fakeAt(),
  ...over,
});
const csv = (extra: object) => ({ csv: { path: 'ids.csv', target: 'label', ...extra } });

describe('data.csv.ignore', () => {
  it('leaves the ignored columns out of the features, the rest in file order', () => {
    const d = loadData(csv({ ignore: ['note', 'sample_id'] }), ctx());
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(toRows(d.train.x)).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
  });

  it('a text column among the default features: the error says to list it in data.csv.ignore', () => {
    const e = userError(() => loadData(csv({ ignore: ['note'] }), ctx()));
    expect(e.place).toEqual({ file: `${tmp.dir}/ids.csv`, line: 2, column: 1 });
    expect(e.message).toBe('expected a number in column "sample_id" (a feature), but found "s001"; if it is not an input (an ID, a name), list it in data.csv.ignore');
  });

  it('a text column in a written features list: the error says to remove it from there', () => {
    const e = userError(() => loadData(csv({ features: ['a', 'note'] }), ctx()));
    expect(e.message).toBe('expected a number in column "note" (a feature), but found "x"; if it is not an input, remove it from data.csv.features');
  });

  it('an ignored column must exist, at its item', () => {
    const e = userError(() => loadData(csv({ ignore: ['sample_id', 'id'] }), ctx()));
    expect(e.place.path).toBe('data.csv.ignore[1]');
    expect(e.message).toMatch(/^expected a column named "id" in .*ids\.csv, but its columns are: sample_id, a, note, b, label$/);
  });

  it('an ignored column may not be the target', () => {
    const e = userError(() => loadData(csv({ ignore: ['sample_id', 'note', 'label'] }), ctx()));
    expect(e.place.path).toBe('data.csv.ignore[2]');
    expect(e.message).toBe('expected ignored columns that are not targets, but "label" is the target');
  });

  it('features and ignore together are refused, at ignore', () => {
    const e = userError(() => loadData(csv({ features: ['a'], ignore: ['note'] }), ctx()));
    expect(e.place.path).toBe('data.csv.ignore');
    expect(e.message).toBe('expected either features (the inputs, listed) or ignore (columns left out of the default features), found both; drop ignore');
  });

  it('ignoring every other column leaves no feature', () => {
    const e = userError(() => loadData(csv({ ignore: ['sample_id', 'a', 'note', 'b'] }), ctx()));
    expect(e.place.path).toBe('data.csv.ignore');
    expect(e.message).toMatch(/^expected at least one feature column besides the target and the ignored columns/);
  });
});

describe('data.csv.ignore through the command line', () => {
  const yaml = (extra: string) =>
    `name: ids\nseed: 1\ndata:\n  csv: { path: ids.csv, target: label${extra} }\nmodel:\n  layers:\n    - { units: 2, activation: softmax }\nloss: cross_entropy\ntraining: { epochs: 1, batch_size: 2 }\n`;
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
    return { code: await main(argv, io), out, err };
  };

  it('validate accepts ignore (the schema knows the key) and refuses it misspelt', async () => {
    const ok = run('validate', tmp.write('ok.yaml', yaml(', ignore: [sample_id, note]')));
    expect((await ok).code).toBe(0);
    const bad = await run('validate', tmp.write('bad.yaml', yaml(', ignroe: [sample_id]')));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/data\.csv\.ignroe: unknown key "ignroe" \(did you mean "ignore"\?\)/);
  });

  it('without ignore, validate names the ID column and the way out', async () => {
    const r = await run('validate', tmp.write('noignore.yaml', yaml('')));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${tmp.dir}/ids.csv:2:1: expected a number in column "sample_id" (a feature), but found "s001"; if it is not an input (an ID, a name), list it in data.csv.ignore\n`);
  });
});
