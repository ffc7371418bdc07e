// Adam with PyTorch's update rule (torch.optim.Adam, bias-corrected moments; weight decay added to the
// gradient of weights only, as the L2 form torch uses for Adam). adamw.ts reuses the update with decoupled decay.
// The element-wise update is the kernels' adamStep.

import type { AdamStep, Kernels } from '../../kernels/index.js';
import { beta, epsilon, learningRate, updater, weightDecay, type Optimizer, type OptimizerDescriptor, type Param } from './optimizer.js';

export interface AdamConfig {
  type: 'adam';
  learning_rate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weight_decay?: number;
}

/** Adam's settings besides the learning rate and weight decay (shared with adamw). */
export const adamSettings = {
  beta1: beta('Decay rate of the first-moment estimate.', 0.9),
  beta2: beta('Decay rate of the second-moment estimate.', 0.999),
  epsilon: epsilon(1e-8),
};

/**
 * The Adam updater. decoupled = false: g = ∂L/∂w + wd·w (torch.optim.Adam); true: w ← w·(1 − lr·wd) before
 * the moment update (torch.optim.AdamW). Either applies to parameters with `decay` only.
 */
export function adamUpdater(cfg: Omit<AdamConfig, 'type'>, params: readonly Param[], kernels: Kernels, decoupled: boolean): Optimizer {
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  const wd = cfg.weight_decay ?? 0;
  const m = params.map((p) => kernels.alloc(p.value.length));
  const v = params.map((p) => kernels.alloc(p.value.length));
  const s: AdamStep = { shrink: 1, lambda: 0, beta1: b1, beta2: b2, stepSize: 0, bc2Sqrt: 0, eps: cfg.epsilon ?? 1e-8 };
  let t = 0;
  // AdamW's w ← w·(1 − lr·wd) this step, for the weights. NOTE: a field, not a captured variable: a float
  // stored in a closure's variable is boxed anew each time.
  const weights = { shrink: 1 };
  const prepare = (o: Optimizer) => {
    t++;
    const lr = o.learningRate;
    s.stepSize = lr / (1 - b1 ** t); // lr / (1 − β1ᵗ)
    s.bc2Sqrt = Math.sqrt(1 - b2 ** t); // √(1 − β2ᵗ)
    weights.shrink = decoupled ? 1 - lr * wd : 1;
  };
  const update = (p: Param, k: number) => {
    s.shrink = p.decay ? weights.shrink : 1;
    kernels.adamStep(p.value, p.grad, m[k], v[k], p.value.length, s);
  };
  // Without weight decay every parameter has the same settings (shrink 1, lambda 0): one call may update them all.
  const state = { lists: [m, v], count: { get: () => t, set: (n: number) => void (t = n) } };
  return updater(cfg.learning_rate, params, decoupled ? 0 : wd, s, prepare, update, state, wd === 0 ? kernels : undefined);
}

export const adam: OptimizerDescriptor<AdamConfig> = {
  name: 'adam',
  description: 'adam: torch.optim.Adam.',
  settings: {
    learning_rate: learningRate(0.001),
    weight_decay: weightDecay(0),
    ...adamSettings,
  },
  buffers: () => 2,
  create: (cfg, params, kernels) => adamUpdater(cfg, params, kernels, false),
};
