// The model file's checks accept what mlplab writes: for every shipped experiment (trained 0 epochs), the
// model file passes checkModelFile and the written JSON Schema (schemas/model.schema.json), and reading it
// back gives the same object. The checks' refusals are in test/catalogue/model.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkModelFile } from '../../src/files/modelcheck.js';
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
    });
  }
});
