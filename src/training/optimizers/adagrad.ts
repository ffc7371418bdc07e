// Adagrad with PyTorch's update rule and defaults (torch.optim.Adagrad): the sum of all squared gradients so
// far divides the step, and the step size decays as lr / (1 + (t − 1)·lr_decay). Weight decay on weights only.
// The element-wise update is the kernels' adagradStep.

import type { AdagradStep } from '../../kernels/index.js';
import { epsilon, learningRate, updater, weightDecay, type Optimizer, type OptimizerDescriptor } from './optimizer.js';

export interface AdagradConfig {
  type: 'adagrad';
  learning_rate: number;
  lr_decay?: number;
  initial_accumulator_value?: number;
  epsilon?: number;
  weight_decay?: number;
}

export const adagrad: OptimizerDescriptor<AdagradConfig> = {
  name: 'adagrad',
  description: 'adagrad: torch.optim.Adagrad.',
  settings: {
    learning_rate: learningRate(0.01),
    weight_decay: weightDecay(0),
    lr_decay: { description: 'Step-size decay: step t uses learning_rate / (1 + (t − 1)·lr_decay).', type: 'number', minimum: 0, default: 0, examples: [0.01] },
    initial_accumulator_value: { description: 'Starting value of the sum of squared gradients.', type: 'number', minimum: 0, default: 0, examples: [0.1] },
    epsilon: epsilon(1e-10),
  },
  buffers: () => 1,
  create(cfg, params, kernels) {
    const lrDecay = cfg.lr_decay ?? 0;
    const wd = cfg.weight_decay ?? 0;
    const sums = params.map((p) => kernels.alloc(p.value.length).fill(cfg.initial_accumulator_value ?? 0));
    const s: AdagradStep = { lr: cfg.learning_rate, lambda: 0, eps: cfg.epsilon ?? 1e-10 };
    let t = 0;
    const prepare = (o: Optimizer) => {
      t++;
      s.lr = o.learningRate / (1 + (t - 1) * lrDecay); // lr / (1 + (t − 1)·lr_decay)
    };
    const state = { lists: [sums], count: { get: () => t, set: (n: number) => void (t = n) } };
    return updater(cfg.learning_rate, params, wd, s, prepare, (p, k) => kernels.adagradStep(p.value, p.grad, sums[k], p.value.length, s), state, kernels);
  },
};
