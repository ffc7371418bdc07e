import { describe, it, expect } from 'vitest';
import { Ajv } from 'ajv';
import { dataSchema, type GeneratorKind, type PreprocessKind } from '../../src/data/schema.js';
import { generate } from '../../src/data/generate.js';
import { fitScaler } from '../../src/data/preprocess.js';
import { fromRows } from '../../src/matrix.js';
import { Rng } from '../../src/random.js';

const ajv = new Ajv({ strict: true, allErrors: true });
const validate = ajv.compile(dataSchema);

/** Every sub-schema with its path, walking properties, items and anyOf. */
function walk(schema: Record<string, unknown>, path: string, out: [string, Record<string, unknown>][] = []) {
  out.push([path, schema]);
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [key, sub] of Object.entries(props ?? {})) walk(sub, `${path}.${key}`, out);
  return out;
}

describe('dataSchema', () => {
  it('documents every key with a description and examples that validate, and defaults that validate', () => {
    for (const [path, sub] of walk(dataSchema, 'data')) {
      expect(sub.description, path).toBeTypeOf('string');
      expect(Array.isArray(sub.examples), path).toBe(true);
      const check = ajv.compile(sub);
      for (const ex of sub.examples as unknown[]) expect(check(ex), `${path}: ${JSON.stringify(ex)}`).toBe(true);
      if ('default' in sub) expect(check(sub.default), `${path} default`).toBe(true);
      if (sub.type === 'object') expect(sub.additionalProperties, path).toBe(false);
    }
  });

  it('every generator kind the schema accepts generates rows, and every preprocessing kind it accepts fits', () => {
    const props = dataSchema.properties as Record<string, any>;
    for (const kind of props.generate.properties.kind.enum as GeneratorKind[]) {
      expect(validate({ generate: { kind } }), kind).toBe(true);
      const g = generate({ kind, samples: 12, noise: 0.1, classes: 3 }, Rng.stream(1, 'data'));
      expect(g.x.rows, kind).toBe(12);
    }
    for (const kind of props.preprocess.then.enum as PreprocessKind[]) {
      expect(validate({ generate: { kind: 'xor' }, preprocess: kind }), kind).toBe(true);
      expect(validate({ generate: { kind: 'xor' }, preprocess: { features: kind, targets: kind } }), kind).toBe(true);
      expect(fitScaler(kind, fromRows([[1, 2], [3, 5]])).kind, kind).toBe(kind);
    }
    expect(validate({ generate: { kind: 'xorr' } })).toBe(false);
  });

  it('with useDefaults fills samples, noise and preprocess, but not classes (an error for xor)', () => {
    const check = new Ajv({ strict: true, useDefaults: true }).compile(dataSchema);
    const data = { generate: { kind: 'xor' } };
    expect(check(data)).toBe(true);
    expect(data).toEqual({ generate: { kind: 'xor', samples: 200, noise: 0.1 }, preprocess: 'none' });
  });

  it('needs exactly one source', () => {
    expect(validate({ generate: { kind: 'xor' } })).toBe(true);
    expect(validate({})).toBe(false);
    expect(validate({ generate: { kind: 'xor' }, csv: { path: 'a.csv', target: 'y' } })).toBe(false);
  });

  it('rejects out-of-range values and unknown keys', () => {
    expect(validate({ generate: { kind: 'xor' }, split: { test: 1 } })).toBe(false);
    expect(validate({ generate: { kind: 'xor', samples: 0 } })).toBe(false);
    expect(validate({ generate: { kind: 'blobs', classes: 1 } })).toBe(false);
    expect(validate({ csv: { path: 'a.csv', target: 'y', delimiter: ';;' } })).toBe(false);
    expect(validate({ csv: { path: 'a.csv', target: [] } })).toBe(false);
    expect(validate({ inline: { inputs: [[]], targets: [[1]] } })).toBe(false);
    expect(validate({ generate: { kind: 'xor', nosie: 0.1 } })).toBe(false);
    expect(validate({ csv: { path: 'a.csv', target: ['y', 'z'] } })).toBe(true);
  });
});
