// SGD with PyTorch's update rule (torch.optim.SGD, dampening 0): optional momentum, Nesterov momentum and
// weight decay (added to the gradient of weights only, never of biases).

import { learningRate, momentum, weightDecay, type OptimizerDescriptor } from './optimizer.js';

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
  create(cfg, params) {
    const mu = cfg.momentum ?? 0;
    const nesterov = cfg.nesterov ?? false;
    const wd = cfg.weight_decay ?? 0;
    const bufs = params.map((p) => new Float64Array(p.value.length));
    const opt = {
      learningRate: cfg.learning_rate,
      step() {
        const lr = opt.learningRate;
        for (let k = 0; k < params.length; k++) {
          const { value: w, grad: dw, decay } = params[k];
          const buf = bufs[k];
          const lambda = decay ? wd : 0;
          for (let i = 0; i < w.length; i++) {
            let g = dw[i] + lambda * w[i]; // g = ∂L/∂w + wd·w
            if (mu !== 0) {
              buf[i] = mu * buf[i] + g; // b = μ·b + g (b starts at 0, so its first value is g, as torch's clone)
              g = nesterov ? g + mu * buf[i] : buf[i];
            }
            w[i] -= lr * g;
          }
        }
      },
    };
    return opt;
  },
};
