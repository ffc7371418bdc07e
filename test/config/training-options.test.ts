// The training options' keys are checked with located errors like every other key: out-of-range values by the
// schema, another schedule's settings by the choice check, the output layer's dropout and the split fractions
// by named checks.

import { describe, expect, it } from 'vitest';
import { experimentFromObject, UserErrors } from '../../src/index.js';

function errorsOf(patch: { training?: Record<string, unknown>; layers?: unknown[]; data?: Record<string, unknown> }): string[] {
  try {
    experimentFromObject({
      data: { generate: { kind: 'sine' }, ...patch.data },
      model: { layers: patch.layers ?? [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'linear' }] },
      loss: 'mse',
      training: patch.training ?? {},
    });
  } catch (e) {
    return (e as UserErrors).errors.map((x) => x.format());
  }
  return [];
}

describe('located errors of the training options', () => {
  const cases: [string, Parameters<typeof errorsOf>[0], RegExp][] = [
    ['another schedule\'s setting', { training: { schedule: { type: 'step', t_max: 5 } } }, /^training\.schedule\.t_max: "t_max" is not a setting of the step schedule; step takes: type, step_size, gamma$/],
    ['an unknown schedule', { training: { schedule: { type: 'cosin' } } }, /^training\.schedule\.type: .*cosine/],
    ['cosine t_max 0', { training: { schedule: { type: 'cosine', t_max: 0 } } }, /^training\.schedule\.t_max: .*>= 1/],
    ['plateau factor 1', { training: { schedule: { type: 'plateau', factor: 1 } } }, /^training\.schedule\.factor: .*< 1/],
    ['early stopping patience 0', { training: { early_stopping: { patience: 0 } } }, /^training\.early_stopping\.patience: .*>= 1/],
    ['a monitor that is no metric', { training: { early_stopping: { monitor: 'val_loss' } } }, /^training\.early_stopping\.monitor: .*validation_loss/],
    ['an unknown early-stopping key', { training: { early_stopping: { patiense: 3 } } }, /^training\.early_stopping\.patiense: unknown key "patiense" \(did you mean "patience"\?\)/],
    ['clip_grad_norm 0', { training: { clip_grad_norm: 0 } }, /^training\.clip_grad_norm: .*> 0/],
    ['rmsprop alpha above 1', { training: { optimizer: { type: 'rmsprop', alpha: 1.5 } } }, /^training\.optimizer\.alpha: .*<= 1/],
    ['adagrad with momentum', { training: { optimizer: { type: 'adagrad', momentum: 0.9 } } }, /^training\.optimizer\.momentum: "momentum" is not a setting of the adagrad optimizer/],
    ['dropout 1', { layers: [{ units: 4, activation: 'tanh', dropout: 1 }, { units: 1, activation: 'linear' }] }, /^model\.layers\[0\]\.dropout: .*< 1/],
    ['validation fraction 1', { data: { split: { validation: 1 } } }, /^data\.split\.validation: .*< 1/],
    ['targets scaled wrongly', { data: { preprocess: { targets: 'zscore' } } }, /^data\.preprocess\.targets: expected one of: none, standardize, minmax; found "zscore"/],
  ];
  it.each(cases)('%s', (_name, patch, expected) => {
    const errors = errorsOf(patch);
    expect(errors.length, errors.join('\n')).toBe(1);
    expect(errors[0]).toMatch(expected);
  });

  it('every new key accepts its documented form', () => {
    expect(
      errorsOf({
        training: {
          optimizer: { type: 'adamw', weight_decay: 0.05 },
          schedule: { type: 'plateau', monitor: 'validation_r2', patience: 3 },
          early_stopping: { monitor: 'validation_loss', patience: 20, min_delta: 0, restore_best: true },
          clip_grad_norm: 1,
        },
        data: { split: { test: 0.2, validation: 0.1 }, preprocess: { features: 'standardize', targets: 'minmax' } },
        layers: [{ units: 4, activation: 'tanh', dropout: 0.2 }, { units: 1, activation: 'linear' }],
      }),
    ).toEqual([]);
  });
});
