// The model file's checks accept what mlplab writes: for every shipped experiment (trained 0 epochs), the
// model file passes checkModelFile and the written JSON Schema (schemas/model.schema.json), and reading it
// back gives the same object. The checks' refusals are in test/catalogue/model.test.ts.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkModelFile } from '../../src/files/modelcheck.js';
import { modelJsonPieces, readModelFile } from '../../src/files/modelfile.js';
import { exportModel, loadExperiment, trainExperiment } from '../../src/index.js';
import { userError } from '../data/helpers.js';

const schema = JSON.parse(readFileSync('schemas/model.schema.json', 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('model files written by runs', () => {
  for (const file of readdirSync('experiments').filter((f) => f.endsWith('.yaml'))) {
    it(`${file}: passes the checks and the written schema`, () => {
      const { model } = trainExperiment(loadExperiment(join('experiments', file), { set: ['training.epochs=0'] }));
      const parsed = JSON.parse(JSON.stringify(model));
      expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
      expect(checkModelFile(parsed, 'model.json')).toEqual(model);
      // Written in pieces (runExperiment): the same text as JSON.stringify, whatever the piece size.
      for (const piece of [1, 7, 1 << 16]) expect([...modelJsonPieces(model!, piece)].join('')).toBe(JSON.stringify(model) + '\n');
    });
  }

  it('pieces of about the size asked for; keys holding undefined left out, as JSON.stringify leaves them', () => {
    const { model } = trainExperiment(loadExperiment('experiments/iris.yaml', { set: ['training.epochs=0'] }));
    const odd = { ...model!, threshold: undefined, extra: { a: undefined, b: [], c: {}, d: [null, 1.5e-300, -0] } };
    const pieces = [...modelJsonPieces(odd as typeof model & object, 100)];
    expect(pieces.join('')).toBe(JSON.stringify(odd) + '\n');
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.slice(0, -1).every((p) => p.length >= 100)).toBe(true);
  });
});

describe('a model file that is not JSON', () => {
  it("is refused at the line and column where JSON.parse stopped (it says a character offset), or as binary data; a byte-order mark is dropped", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mlplab-modelfile-')), 'm.json');
    writeFileSync(file, '{\n  "format": "mlplab.model/v1",\n  "inputs": 2,\n}\n');
    expect(userError(() => readModelFile(file)).format()).toMatch(new RegExp(`^${file}:4:1: cannot read the model file: not valid JSON \\(.*position 48.*\\)$`));
    // An export given in its place: said so, not JSON.parse's message quoting its bytes (NUL, control characters) to the terminal.
    const dir = join(file, '..');
    const model = trainExperiment(loadExperiment('experiments/xor-softmax.yaml', { set: ['training.epochs=0'] })).model!;
    for (const format of ['safetensors', 'onnx'] as const) {
      writeFileSync(join(dir, `m.${format}`), exportModel(model, { format }));
      expect(userError(() => readModelFile(join(dir, `m.${format}`))).format()).toBe(
        `${join(dir, `m.${format}`)}: cannot read the model file: expected JSON text (mlplab.model/v1), found binary data (an export, which predict, evaluate and export do not read: give the model.json it was made from)`,
      );
    }
    writeFileSync(file, `\uFEFF${JSON.stringify(model)}`); // a byte-order mark, as a Windows editor saves it: read as CSV files are
    expect(readModelFile(file)).toEqual(model);
    writeFileSync(file, '{"format": ');
    expect(userError(() => readModelFile(file)).format()).toBe(`${file}: cannot read the model file: not valid JSON (Unexpected end of JSON input)`);
  });
});

describe('the output layer against the loss', () => {
  const model = (loss: string, activation: string) => ({ format: 'mlplab.model/v1', inputs: 1, loss, layers: [{ units: 2, activation: 'tanh', weights: [[1, 2]], bias: [0, 0] }, { units: 2, activation, weights: [[1, 2], [3, 4]], bias: [0, 0] }] });
  it('cross_entropy needs softmax and binary_cross_entropy sigmoid there, as training does; mse takes any', () => {
    expect(userError(() => checkModelFile(model('cross_entropy', 'linear'), 'm.json')).format()).toBe(
      "m.json: layers[1].activation: expected softmax on the output layer of a model with loss cross_entropy (its outputs are read as softmax's probabilities), found linear",
    );
    expect(userError(() => checkModelFile(model('binary_cross_entropy', 'softmax'), 'm.json')).message).toMatch(/^expected sigmoid on the output layer of a model with loss binary_cross_entropy/);
    expect(() => checkModelFile(model('cross_entropy', 'softmax'), 'm.json')).not.toThrow();
    expect(() => checkModelFile(model('binary_cross_entropy', 'sigmoid'), 'm.json')).not.toThrow();
    for (const activation of ['linear', 'sigmoid', 'softmax']) expect(() => checkModelFile(model('mse', activation), 'm.json')).not.toThrow();
  });
});

describe('model files written before kind existed', () => {
  const base = (over: object) => ({ format: 'mlplab.model/v1', inputs: 1, loss: 'cross_entropy', layers: [{ units: 2, activation: 'softmax', weights: [[1, 2]], bias: [0, 0] }], ...over });
  it('get the kind (and label column) their fields imply, after layers as new files have it', () => {
    const m = checkModelFile(base({ features: ['x'], targets: ['species=a', 'species=b'], classes: ['a', 'b'] }), 'old.json');
    expect([m.kind, m.label_column]).toEqual(['multiclass', 'species']);
    expect(Object.keys(m).slice(0, 6)).toEqual(['format', 'inputs', 'loss', 'layers', 'kind', 'features']);
    const inline = checkModelFile(base({ targets: ['y1', 'y2'], classes: [0, 1] }), 'old.json');
    expect([inline.kind, inline.label_column]).toEqual(['multiclass', undefined]);
    const multi = checkModelFile(base({ loss: 'binary_cross_entropy', layers: [{ units: 2, activation: 'sigmoid', weights: [[1, 2]], bias: [0, 0] }] }), 'old.json');
    expect(multi.kind).toBe('multilabel');
    expect(checkModelFile(base({ loss: 'mse', layers: [{ units: 2, activation: 'linear', weights: [[1, 2]], bias: [0, 0] }] }), 'old.json').kind).toBe('regression');
  });

  it('a kind that the loss, units or classes contradict is refused at key kind', () => {
    expect(() => checkModelFile(base({ kind: 'multilabel', classes: ['a', 'b'] }), 'm.json')).toThrow(/expected a multilabel model to have binary_cross_entropy/);
    expect(() => checkModelFile(base({ kind: 'binary', classes: ['a', 'b'] }), 'm.json')).toThrow(/expected a binary model to have one output unit/);
    expect(() => checkModelFile(base({ kind: 'regression', classes: ['a', 'b'] }), 'm.json')).toThrow(/expected no classes for a regression model/);
  });
});
