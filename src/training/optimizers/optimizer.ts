// What an optimizer is: a descriptor (name, settings with PyTorch's defaults: test/engine/torch-defaults.test.ts;
// SGD's learning rate, which torch requires, defaults to 0.1) and a factory that makes the
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
  /** A copy of everything the next steps read besides the parameters and gradients (for a checkpoint). */
  saveState(): OptimizerState;
  /** Puts back a state saveState gave, of an optimizer of the same type and settings over parameters of the same shapes. */
  loadState(state: OptimizerState): void;
}

/** An optimizer's state: its learning rate, its step count (Adam's t; 0 where none is kept) and its buffers, per list per parameter. */
export interface OptimizerState {
  learningRate: number;
  steps: number;
  buffers: Float64Array[][];
}

/** Where an optimizer keeps its state: its buffer lists (each one array per parameter) and its step count, if any. */
export interface StateRef {
  lists: Float64Array[][];
  count?: { get(): number; set(t: number): void };
}

export interface OptimizerDescriptor<C extends { type: string } = { type: string }> extends Descriptor {
  readonly name: C['type'];
  /**
   * Makes the updater; its state buffers are allocated here (by `kernels`, which run its element-wise update:
   * src/kernels/scalar.ts has the formulas), so a step allocates nothing.
   */
  create(cfg: C, params: readonly Param[], kernels: Kernels): Optimizer;
  /** How many arrays of a parameter's size it keeps per parameter with these settings (the memory estimate). */
  buffers(cfg: C): number;
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
 * `state` names the optimizer's buffers (lists, each one array per parameter, as `update` reads them by k) and step
 * count, which saveState copies and loadState puts back (a checkpoint).
 * `fuse`, the kernels, given when every parameter has the same settings (no weight decay), lets one kernel call
 * update them all: when the kernels find the parameters, their gradients and each state list back to back in
 * memory, the spans are one more parameter, k = params.length, updated alone.
 * NOTE: prepare gets the optimizer, not the rate: a float passed to a call V8 does not inline is boxed each step.
 */
export function updater<S extends { lambda: number }>(
  learningRate: number, params: readonly Param[], l2: number, s: S, prepare: (opt: Optimizer) => void, update: (p: Param, k: number) => void,
  state: StateRef, fuse?: Kernels,
): Optimizer {
  const all = fuse && l2 === 0 ? spanned(params, fuse, state.lists) : null;
  // NOTE: the first params.length arrays of each list: spanned() appends one that spans them all.
  const own = () => state.lists.map((list) => list.slice(0, params.length));
  const opt: Optimizer = {
    learningRate,
    step() {
      prepare(opt);
      if (all !== null) {
        s.lambda = 0;
        update(all, params.length);
        return;
      }
      for (let k = 0; k < params.length; k++) {
        const p = params[k];
        s.lambda = p.decay ? l2 : 0;
        update(p, k);
      }
    },
    saveState: () => ({ learningRate: opt.learningRate, steps: state.count?.get() ?? 0, buffers: own().map((list) => list.map((a) => Float64Array.from(a))) }),
    loadState(saved) {
      const lists = own();
      const shapes = (b: Float64Array[][]) => b.map((list) => list.map((a) => a.length).join(',')).join(';');
      if (shapes(saved.buffers) !== shapes(lists)) throw new RangeError(`loadState: buffers of shapes ${shapes(saved.buffers)}, expected ${shapes(lists)}`);
      // 0 is a rate a schedule gives (cosine at t_max with eta_min 0); a negative or non-finite one, none.
      if (!(saved.learningRate >= 0 && Number.isFinite(saved.learningRate))) throw new RangeError(`loadState: expected a learning rate of 0 or more, found ${saved.learningRate}`);
      lists.forEach((list, i) => list.forEach((a, k) => a.set(saved.buffers[i][k])));
      opt.learningRate = saved.learningRate;
      state.count?.set(saved.steps);
    },
  };
  return opt;
}

/** One parameter over all of params, when kernels.span finds every list back to back; its state appended to each
 *  state list (an empty list entry where the optimizer keeps no such state: arrays of length 0). */
function spanned(params: readonly Param[], kernels: Kernels, states: Float64Array[][]): Param | null {
  if (params.length < 2) return null;
  const value = kernels.span(params.map((p) => p.value));
  const grad = kernels.span(params.map((p) => p.grad));
  const spans = states.map((list) => (list.every((a) => a.length === 0) ? list[0] : kernels.span(list)));
  if (value === null || grad === null || spans.some((a) => a === null)) return null;
  states.forEach((list, i) => list.push(spans[i]!));
  return { value, grad, decay: false };
}
