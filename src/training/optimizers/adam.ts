// Adam with PyTorch's update rule (torch.optim.Adam, bias-corrected moments; weight decay added to the
// gradient of weights only, as the L2 form torch uses for Adam). adamw.ts reuses the update with decoupled decay.

import { beta, epsilon, learningRate, lerp, weightDecay, type Optimizer, type OptimizerDescriptor, type Param } from './optimizer.js';

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
export function adamUpdater(cfg: Omit<AdamConfig, 'type'>, params: readonly Param[], decoupled: boolean): Optimizer {
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  const eps = cfg.epsilon ?? 1e-8;
  const wd = cfg.weight_decay ?? 0;
  const m = params.map((p) => new Float64Array(p.value.length));
  const v = params.map((p) => new Float64Array(p.value.length));
  let t = 0;
  const opt = {
    learningRate: cfg.learning_rate,
    step() {
      t++;
      const lr = opt.learningRate;
      const stepSize = lr / (1 - b1 ** t); // lr / (1 − β1ᵗ)
      const bc2Sqrt = Math.sqrt(1 - b2 ** t); // √(1 − β2ᵗ)
      for (let k = 0; k < params.length; k++) {
        const { value: w, grad: dw, decay } = params[k];
        const mk = m[k];
        const vk = v[k];
        const lambda = decay && !decoupled ? wd : 0;
        const shrink = decay && decoupled ? 1 - lr * wd : 1; // AdamW: w ← w·(1 − lr·wd)
        for (let i = 0; i < w.length; i++) {
          if (shrink !== 1) w[i] *= shrink;
          const g = dw[i] + lambda * w[i];
          mk[i] = lerp(mk[i], g, 1 - b1); // m = lerp(m, g, 1 − β1), as torch
          vk[i] = b2 * vk[i] + (1 - b2) * (g * g); // v = β2·v + (1 − β2)·g²
          w[i] -= stepSize * (mk[i] / (Math.sqrt(vk[i]) / bc2Sqrt + eps)); // w −= lr·m̂ / (√v̂ + ε)
        }
      }
    },
  };
  return opt;
}

export const adam: OptimizerDescriptor<AdamConfig> = {
  name: 'adam',
  description: 'adam: torch.optim.Adam.',
  settings: {
    learning_rate: learningRate(0.1),
    weight_decay: weightDecay(0),
    ...adamSettings,
  },
  create: (cfg, params) => adamUpdater(cfg, params, false),
};
