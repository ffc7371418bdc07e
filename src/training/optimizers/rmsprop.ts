// RMSprop with PyTorch's update rule and defaults (torch.optim.RMSprop): a running mean of squared gradients
// divides the step; optionally centered (minus the squared running mean of the gradient) and with momentum.
// Weight decay is added to the gradient of the weights only. The element-wise update is the kernels' rmspropStep.

import type { RmspropStep } from '../../kernels/index.js';
import { epsilon, learningRate, momentum, updater, weightDecay, type OptimizerDescriptor } from './optimizer.js';

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
  buffers: (cfg) => 1 + (cfg.centered ? 1 : 0) + ((cfg.momentum ?? 0) > 0 ? 1 : 0),
  create(cfg, params, kernels) {
    const wd = cfg.weight_decay ?? 0;
    const s: RmspropStep = { lr: cfg.learning_rate, lambda: 0, alpha: cfg.alpha ?? 0.99, eps: cfg.epsilon ?? 1e-8, momentum: cfg.momentum ?? 0, centered: cfg.centered ?? false };
    const sq = params.map((p) => kernels.alloc(p.value.length));
    const avg = params.map((p) => kernels.alloc(s.centered ? p.value.length : 0));
    const buf = params.map((p) => kernels.alloc(s.momentum > 0 ? p.value.length : 0));
    return updater(cfg.learning_rate, params, wd, s, (o) => void (s.lr = o.learningRate), (p, k) => kernels.rmspropStep(p.value, p.grad, sq[k], avg[k], buf[k], p.value.length, s), { lists: [sq, avg, buf] }, kernels);
  },
};
