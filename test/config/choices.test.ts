// Optimizers and init schemes are descriptors, and the schema, the key checks and the defaults are derived
// from them: a made-up optimizer given as a descriptor only shows up in all three with no other edit.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { choiceProperties, keysOf, takersOf, type Choice } from '../../src/config/choices.js';
import { choiceKeys } from '../../src/config/checks.js';
import { parseYaml } from '../../src/config/source.js';
import type { ExperimentConfig } from '../../src/config/types.js';
import { registry } from '../../src/descriptor.js';
import { activations } from '../../src/model/activations.js';
import { initSchemes } from '../../src/model/init.js';
import { losses } from '../../src/model/losses.js';
import { optimizers, type OptimizerDescriptor } from '../../src/training/optimizers/index.js';

/** A made-up optimizer: signSGD (w −= lr·sign(g)), with one setting of its own. */
const signSgd: OptimizerDescriptor<{ type: 'signsgd'; learning_rate: number; tolerance?: number }> = {
  name: 'signsgd',
  description: 'signsgd: w −= lr·sign(g).',
  settings: {
    learning_rate: optimizers.sgd.settings.learning_rate,
    tolerance: { description: 'Gradients smaller than this count as 0.', type: 'number', minimum: 0, default: 0.001, examples: [0] },
  },
  buffers: () => 0,
  create: () => ({ learningRate: 0.1, step() {}, saveState: () => ({ learningRate: 0.1, steps: 0, buffers: [] }), loadState() {} }),
};
const withSignSgd: Choice = { key: 'type', fallback: 'sgd', registry: registry([...Object.values(optimizers), signSgd]) };

/** The optimizer object's schema as config/schema.ts builds it, from a choice. */
function optimizerSchema(choice: Choice) {
  const { properties, allOf } = choiceProperties(choice);
  return { type: 'object', additionalProperties: false, properties: { type: { enum: Object.keys(choice.registry) }, ...properties }, allOf };
}

describe('a made-up optimizer, a descriptor only', () => {
  const validate = new Ajv({ useDefaults: true, strict: true, strictTypes: false, allErrors: true }).compile(optimizerSchema(withSignSgd));

  it('appears in the schema, with its own defaults filled only when it is chosen', () => {
    const chosen = { type: 'signsgd' };
    expect(validate(chosen)).toBe(true);
    expect(chosen).toEqual({ type: 'signsgd', learning_rate: 0.1, tolerance: 0.001 });
    const fallback = {};
    expect(validate(fallback)).toBe(true);
    expect(fallback).toEqual({ learning_rate: 0.1, weight_decay: 0, momentum: 0, nesterov: false });
    expect(validate({ type: 'signsgd', tolerance: -1 })).toBe(false); // its constraints are the schema's
    const { properties } = choiceProperties(withSignSgd);
    expect((properties.tolerance as { description: string }).description).toBe('Gradients smaller than this count as 0. (signsgd only) Default: 0.001.');
  });

  it('appears in the key checks: sgd settings are refused under it, located at the key', () => {
    expect(keysOf(withSignSgd, 'signsgd')).toEqual(['type', 'learning_rate', 'tolerance']);
    expect(takersOf(withSignSgd, 'learning_rate')).toEqual([...Object.keys(optimizers), 'signsgd']);
    const text = 'training:\n  optimizer: { type: signsgd, momentum: 0.9 }\n';
    const source = parseYaml(text, 'exp.yaml');
    const raw = source.value as Record<string, any>;
    const cfg = { training: { optimizer: raw.training.optimizer } } as unknown as ExperimentConfig;
    const check = choiceKeys(['training', 'optimizer'], withSignSgd, 'signsgd', 'optimizer');
    const errors = check({ raw, cfg, source, baseDir: '.', numberText: source.numberText });
    expect(errors.map((e) => e.format())).toEqual([
      'exp.yaml:2:31: training.optimizer.momentum: "momentum" is not a setting of the signsgd optimizer; signsgd takes: type, learning_rate, tolerance',
    ]);
  });

  it('cannot redefine a shared setting with other constraints', () => {
    const clash = { ...signSgd, settings: { learning_rate: { ...optimizers.sgd.settings.learning_rate, maximum: 1 } } };
    expect(() => choiceProperties({ key: 'type', fallback: 'sgd', registry: registry([...Object.values(optimizers), clash]) })).toThrow(
      'sgd and signsgd define the setting "learning_rate" with different constraints',
    );
  });
});

describe('registries', () => {
  it('are frozen, entries included', () => {
    for (const reg of [activations, losses, optimizers, initSchemes] as Record<string, object>[]) {
      expect(Object.isFrozen(reg)).toBe(true);
      for (const entry of Object.values(reg)) expect(Object.isFrozen(entry)).toBe(true);
    }
    expect(() => ((activations as Record<string, unknown>).tanh = activations.relu)).toThrow(TypeError);
  });
});
