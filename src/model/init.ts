// Weight initialization with PyTorch's formulas (torch.nn.init), drawn from the seeded 'init' stream.
// Weights are drawn layer by layer in storage order (input i, then unit j); biases are a constant (0 by default).
// Loading given weights from a model file is the model file module's job.

import type { Rng } from '../random.js';
import type { Network } from './network.js';

export const INIT_SCHEMES = ['uniform', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export interface InitSpec {
  scheme: InitScheme;
  /** uniform's bounds: U[low, high), as torch.nn.init.uniform_ (default [0, 1)). */
  low?: number;
  high?: number;
  /** Gain for the xavier schemes (torch's default 1). */
  gain?: number;
  /** The value every bias starts at (default 0). */
  bias?: number;
}

/** A sampler of one weight for a layer with fan_in inputs and fan_out units. */
type Sampler = (rng: Rng, fanIn: number, fanOut: number, spec: InitSpec) => number;

const samplers: Record<InitScheme, Sampler> = {
  uniform: (rng, _i, _o, s) => rng.uniform(s.low ?? 0, s.high ?? 1),
  // bound = gain · √(6 / (fan_in + fan_out))
  xavier_uniform: (rng, i, o, s) => {
    const bound = (s.gain ?? 1) * Math.sqrt(6 / (i + o));
    return rng.uniform(-bound, bound);
  },
  // std = gain · √(2 / (fan_in + fan_out))
  xavier_normal: (rng, i, o, s) => rng.normal(0, (s.gain ?? 1) * Math.sqrt(2 / (i + o))),
  // kaiming_uniform_ with a = 0, mode fan_in: gain √2, bound = gain · √(3 / fan_in) = √(6 / fan_in)
  he_uniform: (rng, i) => {
    const bound = Math.sqrt(6 / i);
    return rng.uniform(-bound, bound);
  },
  // kaiming_normal_ with a = 0, mode fan_in: std = √2 / √fan_in
  he_normal: (rng, i) => rng.normal(0, Math.SQRT2 / Math.sqrt(i)),
};

/** Fills every layer's weights (and biases) in place. */
export function initialize(net: Network, spec: InitSpec, rng: Rng): void {
  const sample = samplers[spec.scheme];
  for (const l of net.layers) {
    for (let k = 0; k < l.w.length; k++) l.w[k] = sample(rng, l.nIn, l.nOut, spec);
    l.b.fill(spec.bias ?? 0);
  }
}
