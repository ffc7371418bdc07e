// Adam with PyTorch's update rule (torch.optim.Adam, bias-corrected moments; weight decay added to the
// gradient of weights only, as the L2 form torch uses for Adam).

import { learningRate, weightDecay, type OptimizerDescriptor } from './optimizer.js';

export interface AdamConfig {
  type: 'adam';
  learning_rate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weight_decay?: number;
}

const beta = (description: string, dflt: number) =>
  ({ description, type: 'number', minimum: 0, exclusiveMaximum: 1, default: dflt, examples: [dflt] }) as const;

export const adam: OptimizerDescriptor<AdamConfig> = {
  name: 'adam',
  description: 'adam: torch.optim.Adam.',
  settings: {
    learning_rate: learningRate(0.1),
    weight_decay: weightDecay(0),
    beta1: beta('Decay rate of the first-moment estimate.', 0.9),
    beta2: beta('Decay rate of the second-moment estimate.', 0.999),
    epsilon: { description: 'Term added to the denominator for numerical stability.', type: 'number', exclusiveMinimum: 0, default: 1e-8, examples: [1e-8] },
  },
  create(cfg, params) {
    const lr = cfg.learning_rate;
    const b1 = cfg.beta1 ?? 0.9;
    const b2 = cfg.beta2 ?? 0.999;
    const eps = cfg.epsilon ?? 1e-8;
    const wd = cfg.weight_decay ?? 0;
    const m = params.map((p) => new Float64Array(p.value.length));
    const v = params.map((p) => new Float64Array(p.value.length));
    let t = 0;
    return {
      step() {
        t++;
        const stepSize = lr / (1 - b1 ** t); // lr / (1 − β1ᵗ)
        const bc2Sqrt = Math.sqrt(1 - b2 ** t); // √(1 − β2ᵗ)
        for (let k = 0; k < params.length; k++) {
          const { value: w, grad: dw, decay } = params[k];
          const mk = m[k];
          const vk = v[k];
          const lambda = decay ? wd : 0;
          for (let i = 0; i < w.length; i++) {
            const g = dw[i] + lambda * w[i];
            mk[i] += (1 - b1) * (g - mk[i]); // m = lerp(m, g, 1 − β1), as torch
            vk[i] = b2 * vk[i] + (1 - b2) * (g * g); // v = β2·v + (1 − β2)·g²
            w[i] -= stepSize * (mk[i] / (Math.sqrt(vk[i]) / bc2Sqrt + eps)); // w −= lr·m̂ / (√v̂ + ε)
          }
        }
      },
    };
  },
};
