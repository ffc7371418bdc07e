// The experiment schema: the written file is current, its names are the registries' names, every key is
// documented (description, examples that validate, a default where one makes sense), and the shipped
// experiments validate against it as editors would check them.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaText, SCHEMAS } from '../../scripts/write-schema.js';
import { shippedExperiments } from '../../scripts/goldens.js';
import { parse } from 'yaml';
import { experimentSchema } from '../../src/config/schema.js';
import { activations } from '../../src/model/activations.js';
import { losses } from '../../src/model/losses.js';
import { INIT_SCHEMES } from '../../src/model/init.js';

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
  '$.model.init.from', '$.loss',
]);

describe('experiment schema', () => {
  for (const { file, schema } of SCHEMAS) {
    it(`${file.pathname.split('/').pop()} is the one its source builds (run npm run schema)`, () => {
      expect(readFileSync(file, 'utf8')).toBe(schemaText(schema));
    });
  }

  it('names exactly the registered activations, losses and init schemes', () => {
    const layer = experimentSchema.properties.model.properties.layers.items;
    expect([...layer.properties.activation.enum].sort()).toEqual(Object.keys(activations).sort());
    expect([...experimentSchema.properties.loss.enum].sort()).toEqual(Object.keys(losses).sort());
    expect([...experimentSchema.properties.model.properties.init.properties.scheme.enum]).toEqual([...INIT_SCHEMES]);
  });

  it('documents every key outside data (data/ has its own test) with a description, valid examples and a default', () => {
    const ajv = new Ajv({ strict: false });
    for (const [path, sub] of walk(experimentSchema as Schema, '$')) {
      if (path.startsWith('$.data')) continue;
      expect(sub.description, path).toBeTypeOf('string');
      expect(Array.isArray(sub.examples) && sub.examples.length > 0, `${path} examples`).toBe(true);
      if (path === '$') continue;
      const check = ajv.compile(sub);
      for (const ex of sub.examples) expect(check(ex), `${path}: ${JSON.stringify(ex)}`).toBe(true);
      if (!NO_DEFAULT.has(path)) {
        expect('default' in sub, `${path} default`).toBe(true);
        expect(check(sub.default), `${path} default validates`).toBe(true);
      }
    }
  });

  it('accepts every shipped experiment, read as plain YAML (as an editor checks it)', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMAS[0].file, 'utf8')));
    for (const file of shippedExperiments()) {
      expect(validate(parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
