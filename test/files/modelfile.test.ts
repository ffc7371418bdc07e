// The model file's checks accept what mlplab writes: for every shipped experiment (trained 0 epochs), the
// model file passes checkModelFile and the written JSON Schema (schemas/model.schema.json), and reading it
// back gives the same object. The checks' refusals are in test/catalogue/model.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkModelFile } from '../../src/files/modelcheck.js';
import { modelJsonPieces } from '../../src/files/modelfile.js';
import { loadExperiment, trainExperiment } from '../../src/index.js';

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
