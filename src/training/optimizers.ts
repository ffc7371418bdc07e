// Optimizers with PyTorch's update rules (torch.optim.SGD with dampening 0, torch.optim.Adam), on flat
// parameter arrays. Weight decay adds wd·w to the gradient of weights only, never of biases.
// State buffers are made once; a step allocates nothing.

export const OPTIMIZER_NAMES = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface SgdConfig {
  type: 'sgd';
  learning_rate: number;
  momentum?: number;
  nesterov?: boolean;
  weight_decay?: number;
}

export interface AdamConfig {
  type: 'adam';
  learning_rate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weight_decay?: number;
}

export type OptimizerConfig = SgdConfig | AdamConfig;

/** One parameter array, its gradient (same shape), and whether weight decay applies to it. */
export interface Param {
  value: Float64Array;
  grad: Float64Array;
  decay: boolean;
}

export interface Optimizer {
  /** Updates every parameter from its current gradient. */
  step(): void;
}

function sgd(cfg: SgdConfig, params: readonly Param[]): Optimizer {
  const lr = cfg.learning_rate;
  const mu = cfg.momentum ?? 0;
  const nesterov = cfg.nesterov ?? false;
  const wd = cfg.weight_decay ?? 0;
  const bufs = params.map((p) => new Float64Array(p.value.length));
  return {
    step() {
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
}

function adam(cfg: AdamConfig, params: readonly Param[]): Optimizer {
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
}

const optimizers: { [K in OptimizerName]: (cfg: Extract<OptimizerConfig, { type: K }>, params: readonly Param[]) => Optimizer } = {
  sgd,
  adam,
};

export function createOptimizer(cfg: OptimizerConfig, params: readonly Param[]): Optimizer {
  return (optimizers[cfg.type] as (c: OptimizerConfig, p: readonly Param[]) => Optimizer)(cfg, params);
}
