// RMSprop with PyTorch's update rule and defaults (torch.optim.RMSprop): a running mean of squared gradients
// divides the step; optionally centered (minus the squared running mean of the gradient) and with momentum.
// Weight decay is added to the gradient of the weights only.

import { epsilon, learningRate, lerp, momentum, weightDecay, type OptimizerDescriptor } from './optimizer.js';

export interface RmspropConfig {
  type: 'rmsprop';
  learning_rate: number;
  alpha?: number;
  epsilon?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
}

export const rmsprop: OptimizerDescriptor<RmspropConfig> = {
  name: 'rmsprop',
  description: 'rmsprop: torch.optim.RMSprop.',
  settings: {
    learning_rate: learningRate(0.01),
    weight_decay: weightDecay(0),
    alpha: { description: 'Smoothing constant of the running mean of squared gradients.', type: 'number', minimum: 0, maximum: 1, default: 0.99, examples: [0.9] },
    epsilon: epsilon(1e-8),
    momentum: momentum(0),
    centered: { description: 'Divide by the estimated variance of the gradient (mean of g² minus the squared mean of g).', type: 'boolean', default: false, examples: [true] },
  },
  create(cfg, params) {
    const alpha = cfg.alpha ?? 0.99;
    const eps = cfg.epsilon ?? 1e-8;
    const wd = cfg.weight_decay ?? 0;
    const mu = cfg.momentum ?? 0;
    const centered = cfg.centered ?? false;
    const sq = params.map((p) => new Float64Array(p.value.length));
    const avg = params.map((p) => new Float64Array(centered ? p.value.length : 0));
    const buf = params.map((p) => new Float64Array(mu > 0 ? p.value.length : 0));
    const opt = {
      learningRate: cfg.learning_rate,
      step() {
        const lr = opt.learningRate;
        for (let k = 0; k < params.length; k++) {
          const { value: w, grad: dw, decay } = params[k];
          const s = sq[k];
          const a = avg[k];
          const b = buf[k];
          const lambda = decay ? wd : 0;
          for (let i = 0; i < w.length; i++) {
            const g = dw[i] + lambda * w[i]; // g = ∂L/∂w + wd·w
            s[i] = alpha * s[i] + (1 - alpha) * (g * g); // s = α·s + (1 − α)·g²
            let denom: number;
            if (centered) {
              a[i] = lerp(a[i], g, 1 - alpha); // ḡ = lerp(ḡ, g, 1 − α), as torch
              denom = Math.sqrt(s[i] - a[i] * a[i]) + eps; // √(s − ḡ²) + ε
            } else {
              denom = Math.sqrt(s[i]) + eps; // √s + ε
            }
            if (mu > 0) {
              b[i] = mu * b[i] + g / denom; // b = μ·b + g / denom
              w[i] -= lr * b[i];
            } else {
              w[i] -= lr * (g / denom);
            }
          }
        }
      },
    };
    return opt;
  },
};
