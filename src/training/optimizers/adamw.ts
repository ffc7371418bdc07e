// AdamW with PyTorch's update rule and defaults (torch.optim.AdamW): Adam whose weight decay is decoupled
// from the gradient, w ← w·(1 − lr·weight_decay) before the moment update, on the weights only (not biases).

import { adamSettings, adamUpdater, type AdamConfig } from './adam.js';
import { learningRate, weightDecay, type OptimizerDescriptor } from './optimizer.js';

export interface AdamWConfig extends Omit<AdamConfig, 'type'> {
  type: 'adamw';
}

export const adamw: OptimizerDescriptor<AdamWConfig> = {
  name: 'adamw',
  description: 'adamw: torch.optim.AdamW (decoupled weight decay).',
  settings: {
    learning_rate: learningRate(0.001),
    weight_decay: weightDecay(0.01),
    ...adamSettings,
  },
  buffers: () => 2,
  create: (cfg, params, kernels) => adamUpdater(cfg, params, kernels, true),
};
