// What an optimizer is: a descriptor (name, settings with PyTorch's defaults) and a factory that makes the
// stateful updater for a list of parameters. Settings every optimizer shares are written here once.

import type { Descriptor, Setting } from '../../descriptor.js';

/** One parameter array, its gradient (same shape), and whether weight decay applies to it. */
export interface Param {
  value: Float64Array;
  grad: Float64Array;
  decay: boolean;
}

export interface Optimizer {
  /** Updates every parameter from its current gradient. */
  step(): void;
}

export interface OptimizerDescriptor<C extends { type: string } = { type: string }> extends Descriptor {
  readonly name: C['type'];
  /** Makes the updater; its state buffers are allocated here, so a step allocates nothing. */
  create(cfg: C, params: readonly Param[]): Optimizer;
}

export const learningRate = (dflt: number): Setting => ({ description: 'Step size.', type: 'number', exclusiveMinimum: 0, default: dflt, examples: [0.5, 0.01] });

export const weightDecay = (dflt: number): Setting => ({
  description: 'L2 penalty: adds weight_decay·w to the gradient of the weights (not the biases).',
  type: 'number',
  minimum: 0,
  default: dflt,
  examples: [0.0001],
});
