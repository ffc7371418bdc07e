// The experiment schema: the written files are current, every registered name can be used in a file, every key is
// documented (description, examples that validate, a default where one makes sense), and the shipped
// experiments validate against it as editors would check them.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { GENERATED } from '../../scripts/write-schema.js';
import { shippedExperiments } from '../../scripts/goldens.js';
import { parse } from 'yaml';
import { experimentSchema } from '../../src/config/schema.js';
import { choiceProperties } from '../../src/config/choices.js';
import { experimentFromObject } from '../../src/config/load.js';
import { INIT_CHOICE, OPTIMIZER_CHOICE, SCHEDULE_CHOICE } from '../../src/config/schema.js';
import { activations } from '../../src/model/activations.js';
import { losses } from '../../src/model/losses.js';
import { initSchemes } from '../../src/model/init.js';
import { optimizers } from '../../src/training/optimizers/index.js';
import { schedules } from '../../src/training/schedules/index.js';

const CHOICE_PROPS = { optimizer: choiceProperties(OPTIMIZER_CHOICE), init: choiceProperties(INIT_CHOICE), schedule: choiceProperties(SCHEDULE_CHOICE) };

type Schema = Record<string, any>;

function walk(schema: Schema, path: string, out: [string, Schema][] = []): [string, Schema][] {
  out.push([path, schema]);
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) walk(sub, `${path}.${key}`, out);
  if (schema.items && !Array.isArray(schema.items)) walk(schema.items, `${path}[]`, out);
  return out;
}

/** Keys that are required, or whose default is not a constant (name: the file's base name; from: no model). */
const NO_DEFAULT = new Set([
  '$', '$.name', '$.data', '$.model', '$.model.layers', '$.model.layers[]', '$.model.layers[].units', '$.model.layers[].activation',
  '$.model.init.from', '$.loss', '$.sweep', '$.sweep_samples', '$.expect', '$.expect.status', '$.golden', '$.run_id',
  // absent unless asked, so that config.json (and its SHA-256) of a run without checkpoints stays as it was
  '$.training.checkpoint', '$.training.checkpoint.every',
  // absent unless set, for the same reason (and its default depends on the run: runner/run.ts wantsCharts)
  '$.log.charts',
]);

describe('experiment schema', () => {
  for (const { file, text } of GENERATED) {
    it(`${file.pathname.split('/').pop()} is the one its source builds (run npm run schema)`, () => {
      expect(readFileSync(file, 'utf8')).toBe(text());
    });
  }

  it('accepts every registered activation, loss, init scheme and optimizer in a file (loaded and validated)', () => {
    const xor = (patch: Record<string, unknown>) =>
      experimentFromObject({
        data: { inline: { inputs: [[0, 0], [1, 1]], targets: [[0], [1]] } },
        model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'linear' }] },
        loss: 'mse',
        ...patch,
      });
    for (const activation of Object.keys(activations)) {
      expect(xor({ model: { layers: [{ units: 2, activation }, { units: 1, activation: 'linear' }] } }).config.model.layers[0].activation).toBe(activation);
    }
    for (const loss of Object.keys(losses) as (keyof typeof losses)[]) {
      const out = losses[loss].requires ?? 'linear';
      const targets = loss === 'cross_entropy' ? [[1, 0], [0, 1]] : [[0], [1]];
      const layers = [{ units: 2, activation: 'tanh' }, { units: targets[0].length, activation: out }];
      expect(xor({ loss, data: { inline: { inputs: [[0, 0], [1, 1]], targets } }, model: { layers } }).config.loss).toBe(loss);
    }
    for (const scheme of Object.keys(initSchemes)) expect(xor({ model: { layers: [{ units: 1, activation: 'linear' }], init: { scheme } } }).config.model.init.scheme).toBe(scheme);
    for (const type of Object.keys(optimizers)) expect(xor({ training: { optimizer: { type } } }).config.training.optimizer.type).toBe(type);
    for (const type of Object.keys(schedules)) expect(xor({ training: { schedule: { type } } }).config.training.schedule.type).toBe(type);
  });

  it('documents every key outside data and the choices (tested below) with a description, valid examples and a default', () => {
    const ajv = new Ajv({ strict: false });
    const choiceKeys = new Set(Object.values(CHOICE_PROPS).flatMap((c) => Object.keys(c.properties)));
    for (const [path, sub] of walk(experimentSchema as Schema, '$')) {
      if (path.startsWith('$.data')) continue;
      expect(sub.description, path).toBeTypeOf('string');
      expect(Array.isArray(sub.examples) && sub.examples.length > 0, `${path} examples`).toBe(true);
      if (path === '$') continue;
      const check = ajv.compile(sub);
      for (const ex of sub.examples) expect(check(ex), `${path}: ${JSON.stringify(ex)}`).toBe(true);
      const key = path.split('.').pop()!;
      const conditional = choiceKeys.has(key) || path === '$.model.layers[].slope';
      if (!NO_DEFAULT.has(path) && !conditional) {
        expect('default' in sub, `${path} default`).toBe(true);
        expect(check(sub.default), `${path} default validates`).toBe(true);
      }
    }
  });

  it('every setting of every optimizer, init scheme and schedule has a description, a default and examples that fit its fragment', () => {
    const ajv = new Ajv({ strict: false });
    for (const d of [...Object.values(optimizers), ...Object.values(initSchemes), ...Object.values(schedules)]) {
      for (const [key, setting] of Object.entries(d.settings)) {
        const check = ajv.compile(setting);
        expect(setting.description, `${d.name}.${key}`).toBeTypeOf('string');
        expect(check(setting.default), `${d.name}.${key} default`).toBe(true);
        for (const ex of setting.examples) expect(check(ex), `${d.name}.${key}: ${ex}`).toBe(true);
      }
    }
  });

  it('accepts every shipped experiment, read as plain YAML (as an editor checks it)', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(GENERATED[0].file, 'utf8')));
    for (const file of shippedExperiments()) {
      expect(validate(parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
