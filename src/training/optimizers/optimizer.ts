// What an optimizer is: a descriptor (name, settings with PyTorch's defaults) and a factory that makes the
// stateful updater for a list of parameters. Settings several optimizers share are written here once (a shared
// key must have the same constraints in every descriptor; its default may differ).

import type { Descriptor, Setting } from '../../descriptor.js';
import type { Kernels } from '../../kernels/index.js';

/** One parameter array, its gradient (same shape), and whether weight decay applies to it. */
export interface Param {
  value: Float64Array;
  grad: Float64Array;
  decay: boolean;
}

export interface Optimizer {
  /** The step size the next step uses: the configured learning_rate until a schedule sets it between epochs. */
  learningRate: number;
  /** Updates every parameter from its current gradient. */
  step(): void;
}

export interface OptimizerDescriptor<C extends { type: string } = { type: string }> extends Descriptor {
  readonly name: C['type'];
  /**
   * Makes the updater; its state buffers are allocated here (by `kernels`, which run its element-wise update:
   * src/kernels/scalar.ts has the formulas), so a step allocates nothing.
   */
  create(cfg: C, params: readonly Param[], kernels: Kernels): Optimizer;
}

export const learningRate = (dflt: number): Setting => ({ description: 'Step size.', type: 'number', exclusiveMinimum: 0, default: dflt, examples: [0.5, 0.01] });

export const weightDecay = (dflt: number): Setting => ({
  description: 'Weight decay on the weights (never the biases): adds weight_decay·w to their gradient (adamw: decoupled, w −= lr·weight_decay·w before the update).',
  type: 'number',
  minimum: 0,
  default: dflt,
  examples: [0.0001],
});

export const epsilon = (dflt: number): Setting => ({
  description: 'Term added to the denominator for numerical stability.',
  type: 'number',
  exclusiveMinimum: 0,
  default: dflt,
  examples: [dflt],
});

export const momentum = (dflt: number): Setting => ({ description: 'Momentum factor.', type: 'number', minimum: 0, default: dflt, examples: [0.9] });

export const beta = (description: string, dflt: number): Setting => ({ description, type: 'number', minimum: 0, exclusiveMaximum: 1, default: dflt, examples: [dflt] });

/**
 * The updater every optimizer here is. Each step, `prepare(opt)` sets the step's settings from opt.learningRate
 * (a schedule may have changed it between epochs); then, for each parameter k, s.lambda is the L2 weight decay
 * (`l2` on weights, 0 on biases) and `update(p, k)` runs the optimizer's kernel on it.
 * NOTE: prepare gets the optimizer, not the rate: a float passed to a call V8 does not inline is boxed each step.
 */
export function updater<S extends { lambda: number }>(
  learningRate: number, params: readonly Param[], l2: number, s: S, prepare: (opt: Optimizer) => void, update: (p: Param, k: number) => void,
): Optimizer {
  const opt = {
    learningRate,
    step() {
      prepare(opt);
      for (let k = 0; k < params.length; k++) {
        const p = params[k];
        s.lambda = p.decay ? l2 : 0;
        update(p, k);
      }
    },
  };
  return opt;
}
