// Weight initialization with PyTorch's formulas (torch.nn.init), drawn from the seeded 'init' stream: one
// descriptor per scheme (its settings with defaults, and its sampler). Weights are drawn layer by layer in
// storage order (input i, then unit j); biases are a constant. Loading weights from a model file is files/'s.

import { registry, type Descriptor, type Setting } from '../descriptor.js';
import type { Rng } from '../random.js';
import type { Network } from './network.js';

export interface InitSchemeDescriptor<N extends string = string> extends Descriptor {
  readonly name: N;
  /** One weight for a layer with fan_in inputs and fan_out units. */
  sample(rng: Rng, fanIn: number, fanOut: number, spec: InitSpec): number;
}

const bias: Setting = { description: 'The value every bias starts at.', type: 'number', default: 0, examples: [0, 0.1] };
const gain: Setting = { description: 'The gain.', type: 'number', exclusiveMinimum: 0, default: 1, examples: [1] };

const uniform: InitSchemeDescriptor<'uniform'> = {
  name: 'uniform',
  description: 'uniform: U[low, high), torch.nn.init.uniform_.',
  settings: {
    low: { description: 'Lower bound (inclusive).', type: 'number', default: 0, examples: [-0.5] },
    high: { description: 'Upper bound (exclusive).', type: 'number', default: 1, examples: [0.5] },
    bias,
  },
  sample: (rng, _i, _o, s) => rng.uniform(s.low ?? 0, s.high ?? 1),
};

const constant: InitSchemeDescriptor<'constant'> = {
  name: 'constant',
  description: 'constant: every weight the same value, torch.nn.init.constant_ (all-equal weights never break the symmetry between units).',
  settings: {
    value: { description: 'The value every weight starts at.', type: 'number', default: 0, examples: [0.5] },
    bias,
  },
  sample: (_rng, _i, _o, s) => s.value ?? 0,
};

const xavierUniform: InitSchemeDescriptor<'xavier_uniform'> = {
  name: 'xavier_uniform',
  description: 'xavier_uniform: U[−bound, bound), bound = gain·√(6 / (fan_in + fan_out)), torch.nn.init.xavier_uniform_.',
  settings: { gain, bias },
  sample(rng, i, o, s) {
    const bound = (s.gain ?? 1) * Math.sqrt(6 / (i + o));
    return rng.uniform(-bound, bound);
  },
};

const xavierNormal: InitSchemeDescriptor<'xavier_normal'> = {
  name: 'xavier_normal',
  description: 'xavier_normal: N(0, std²), std = gain·√(2 / (fan_in + fan_out)), torch.nn.init.xavier_normal_.',
  settings: { gain, bias },
  sample: (rng, i, o, s) => rng.normal(0, (s.gain ?? 1) * Math.sqrt(2 / (i + o))),
};

const heUniform: InitSchemeDescriptor<'he_uniform'> = {
  name: 'he_uniform',
  description: 'he_uniform: U[−bound, bound), bound = √(6 / fan_in), torch.nn.init.kaiming_uniform_ (a = 0, fan_in).',
  settings: { bias },
  sample(rng, i) {
    const bound = Math.sqrt(6 / i); // gain √2 · √(3 / fan_in)
    return rng.uniform(-bound, bound);
  },
};

const heNormal: InitSchemeDescriptor<'he_normal'> = {
  name: 'he_normal',
  description: 'he_normal: N(0, std²), std = √2 / √fan_in, torch.nn.init.kaiming_normal_ (a = 0, fan_in).',
  settings: { bias },
  sample: (rng, i) => rng.normal(0, Math.SQRT2 / Math.sqrt(i)),
};

/** The init schemes, frozen, in their documented order. */
export const initSchemes = registry([uniform, constant, xavierUniform, xavierNormal, heUniform, heNormal]);
export type InitScheme = keyof typeof initSchemes;
export const INIT_SCHEMES = Object.keys(initSchemes) as InitScheme[];
export const DEFAULT_INIT_SCHEME: InitScheme = 'xavier_uniform';

export interface InitSpec {
  scheme: InitScheme;
  /** uniform's bounds: U[low, high), as torch.nn.init.uniform_ (default [0, 1)). */
  low?: number;
  high?: number;
  /** constant's value (default 0). */
  value?: number;
  /** Gain for the xavier schemes (torch's default 1). */
  gain?: number;
  /** The value every bias starts at (default 0). */
  bias?: number;
}

/** Fills every layer's weights (and biases) in place. */
export function initialize(net: Network, spec: InitSpec, rng: Rng): void {
  const { sample } = initSchemes[spec.scheme];
  for (const l of net.layers) {
    for (let k = 0; k < l.w.length; k++) l.w[k] = sample(rng, l.nIn, l.nOut, spec);
    l.b.fill(spec.bias ?? 0);
  }
}
