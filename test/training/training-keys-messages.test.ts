// The messages for training keys whose schema allows two types (an object or null, a number or null): they name
// both in words ("an object or null"), not ajv's joined list ("an object,null").

import { describe, expect, it } from 'vitest';
import { experimentFromObject } from '../../src/index.js';

function message(training: Record<string, unknown>): string {
  try {
    experimentFromObject({
      data: { generate: { kind: 'xor', samples: 20 } },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
      loss: 'cross_entropy',
      training,
    });
  } catch (e) {
    return (e as { format(): string }).format();
  }
  return 'no error';
}

describe('a key of two types, given a value of neither', () => {
  it('early_stopping: true → expected an object or null', () => {
    expect(message({ early_stopping: true })).toContain('training.early_stopping: expected an object or null, found true');
  });
  it('clip_grad_norm: "x" → expected a number or null', () => {
    expect(message({ clip_grad_norm: 'x' })).toContain('training.clip_grad_norm: expected a number or null, found "x"');
  });
});
