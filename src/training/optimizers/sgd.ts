// SGD with PyTorch's update rule (torch.optim.SGD, dampening 0): optional momentum, Nesterov momentum and
// weight decay (added to the gradient of weights only, never of biases). The update is the kernels' sgdStep.

import type { SgdStep } from '../../kernels/index.js';
import { learningRate, momentum, updater, weightDecay, type OptimizerDescriptor } from './optimizer.js';

export interface SgdConfig {
  type: 'sgd';
  learning_rate: number;
  momentum?: number;
  nesterov?: boolean;
  weight_decay?: number;
}

export const sgd: OptimizerDescriptor<SgdConfig> = {
  name: 'sgd',
  description: 'sgd: torch.optim.SGD (dampening 0).',
  settings: {
    learning_rate: learningRate(0.1),
    weight_decay: weightDecay(0),
    momentum: momentum(0),
    nesterov: { description: 'Nesterov momentum (needs momentum > 0).', type: 'boolean', default: false, examples: [true] },
  },
  buffers: (cfg) => ((cfg.momentum ?? 0) !== 0 ? 1 : 0),
  create(cfg, params, kernels) {
    const wd = cfg.weight_decay ?? 0;
    const s: SgdStep = { lr: cfg.learning_rate, lambda: 0, momentum: cfg.momentum ?? 0, nesterov: cfg.nesterov ?? false };
    const bufs = params.map((p) => kernels.alloc(s.momentum !== 0 ? p.value.length : 0));
    return updater(cfg.learning_rate, params, wd, s, (o) => void (s.lr = o.learningRate), (p, k) => kernels.sgdStep(p.value, p.grad, bufs[k], p.value.length, s), { lists: [bufs] }, kernels);
  },
};
