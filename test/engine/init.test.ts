// Weight initialization against torch.nn.init's formulas (written out here, not taken from init.ts):
//   uniform_(low, high):                U[low, high)
//   xavier_uniform_(gain):              U[−b, b), b = gain·√(6 / (fan_in + fan_out))
//   xavier_normal_(gain):               N(0, σ²), σ = gain·√(2 / (fan_in + fan_out))
//   kaiming_uniform_(a=0, fan_in):      U[−b, b), b = √2·√(3 / fan_in) = √(6 / fan_in)
//   kaiming_normal_(a=0, fan_in):       N(0, σ²), σ = √2 / √fan_in
// fan_in is a layer's number of inputs, fan_out its number of units. Statistical checks use a large layer and
// tolerances of many standard errors, from a fixed seed (so they cannot flake).

import { describe, expect, it } from 'vitest';
import { initialize, INIT_SCHEMES, type InitScheme, type InitSpec } from '../../src/model/init.js';
import { createNetwork, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';

type Expected = { kind: 'uniform'; low: number; high: number } | { kind: 'normal'; std: number } | { kind: 'constant'; value: number };

/** What torch draws for a layer of fan_in inputs and fan_out units; every scheme must be listed. */
const TORCH: Record<InitScheme, (fanIn: number, fanOut: number, spec: InitSpec) => Expected> = {
  uniform: (_i, _o, s) => ({ kind: 'uniform', low: s.low ?? 0, high: s.high ?? 1 }),
  constant: (_i, _o, s) => ({ kind: 'constant', value: s.value ?? 0 }), // torch.nn.init.constant_(w, val)
  xavier_uniform: (i, o, s) => {
    const b = (s.gain ?? 1) * Math.sqrt(6 / (i + o));
    return { kind: 'uniform', low: -b, high: b };
  },
  xavier_normal: (i, o, s) => ({ kind: 'normal', std: (s.gain ?? 1) * Math.sqrt(2 / (i + o)) }),
  he_uniform: (i) => ({ kind: 'uniform', low: -Math.sqrt(6 / i), high: Math.sqrt(6 / i) }),
  he_normal: (i) => ({ kind: 'normal', std: Math.sqrt(2) / Math.sqrt(i) }),
};

/** A large first layer (300 → 200: 60,000 weights) and a small second one with a different fan. */
const bigNet = (): Network =>
  createNetwork(300, [
    { units: 200, activation: 'relu' },
    { units: 40, activation: 'linear' },
  ]);

function stats(values: Float64Array): { min: number; max: number; mean: number; std: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(ss / values.length) };
}

/** Checks a layer's weights against what torch would draw, within statistical tolerances (n ≥ 8,000). */
function expectDistribution(w: Float64Array, e: Expected): void {
  const n = w.length;
  const s = stats(w);
  if (e.kind === 'constant') {
    expect([s.min, s.max]).toEqual([e.value, e.value]);
  } else if (e.kind === 'uniform') {
    const width = e.high - e.low;
    expect(s.min).toBeGreaterThanOrEqual(e.low);
    expect(s.max).toBeLessThan(e.high);
    // The whole interval is used: the extremes of n uniform draws are within ~width·10/n of the ends.
    expect(s.min - e.low).toBeLessThan((width * 20) / n);
    expect(e.high - s.max).toBeLessThan((width * 20) / n);
    const sd = width / Math.sqrt(12);
    expect(Math.abs(s.mean - (e.low + e.high) / 2)).toBeLessThan((6 * sd) / Math.sqrt(n));
    expect(Math.abs(s.std / sd - 1)).toBeLessThan(0.03);
  } else {
    // std of the sample std ≈ σ/√(2n): 0.3% at n = 60,000, 0.8% at n = 8,000; allow 4%.
    expect(Math.abs(s.std / e.std - 1)).toBeLessThan(0.04);
    expect(Math.abs(s.mean)).toBeLessThan((6 * e.std) / Math.sqrt(n));
    // Normal, not uniform (a uniform of the same σ ends at 1.73σ): some draws beyond 3σ (0.27% of them), none absurdly far.
    let beyond3 = 0;
    for (const v of w) if (Math.abs(v) > 3 * e.std) beyond3++;
    expect(beyond3 / n).toBeGreaterThan(0.0005);
    expect(beyond3 / n).toBeLessThan(0.006);
    expect(Math.max(-s.min, s.max)).toBeLessThan(7 * e.std);
  }
}

const SPECS: InitSpec[] = [
  ...INIT_SCHEMES.map((scheme): InitSpec => ({ scheme })),
  { scheme: 'uniform', low: -0.3, high: 0.7 },
  { scheme: 'constant', value: 0.5 },
  { scheme: 'xavier_uniform', gain: 2 },
  { scheme: 'xavier_normal', gain: 0.5 },
];

describe('initialize: torch.nn.init formulas', () => {
  it('every scheme has a torch reference in this test', () => {
    for (const scheme of INIT_SCHEMES) expect(typeof TORCH[scheme], scheme).toBe('function');
  });

  it.each(SPECS.map((s) => [JSON.stringify(s), s] as const))('%s: each layer\'s weights follow its fans', (_label, spec) => {
    const net = bigNet();
    initialize(net, spec, Rng.stream(1, 'init'));
    for (const l of net.layers) expectDistribution(l.w, TORCH[spec.scheme](l.nIn, l.nOut, spec));
  });

  it('the statistical check is sharp enough to tell the schemes apart (he_normal is not xavier_normal)', () => {
    const net = bigNet();
    initialize(net, { scheme: 'he_normal' }, Rng.stream(1, 'init'));
    const l = net.layers[0];
    expect(() => expectDistribution(l.w, TORCH.xavier_normal(l.nIn, l.nOut, { scheme: 'xavier_normal' }))).toThrow();
    initialize(net, { scheme: 'xavier_uniform' }, Rng.stream(1, 'init'));
    expect(() => expectDistribution(l.w, TORCH.he_uniform(l.nIn, l.nOut, { scheme: 'he_uniform' }))).toThrow();
  });

  it('biases are 0 by default, or the given constant', () => {
    for (const scheme of INIT_SCHEMES) {
      const net = bigNet();
      net.layers.forEach((l) => l.b.fill(NaN));
      initialize(net, { scheme }, Rng.stream(2, 'init'));
      for (const l of net.layers) expect(l.b.every((b) => Object.is(b, 0))).toBe(true);
      initialize(net, { scheme, bias: 0.1 }, Rng.stream(2, 'init'));
      for (const l of net.layers) expect(l.b.every((b) => b === 0.1)).toBe(true);
    }
  });

  it('weights are drawn layer by layer in storage order from the given Rng', () => {
    const net = createNetwork(3, [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'sigmoid' }]);
    initialize(net, { scheme: 'uniform', low: -1, high: 1 }, new Rng(77, 1));
    const rng = new Rng(77, 1);
    const expected = Array.from({ length: 3 * 4 + 4 * 2 }, () => rng.uniform(-1, 1));
    expect([...net.layers[0].w, ...net.layers[1].w]).toEqual(expected);
  });

  it('same seed → bit-identical weights; different seed → different weights', () => {
    const draw = (seed: number, scheme: InitScheme) => {
      const net = createNetwork(8, [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }]);
      initialize(net, { scheme }, Rng.stream(seed, 'init'));
      const bytes = (v: Float64Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength); // NOTE: a view, not its whole buffer
      return net.layers.flatMap((l) => [bytes(l.w), bytes(l.b)].map((b) => Buffer.from(b).toString('hex')));
    };
    for (const scheme of INIT_SCHEMES) {
      expect(draw(42, scheme)).toEqual(draw(42, scheme));
      if (scheme === 'constant') continue; // draws nothing: every seed gives the same weights
      const [a, b] = [draw(42, scheme), draw(43, scheme)];
      expect(a[0]).not.toEqual(b[0]); // first layer's weights
      expect(a[2]).not.toEqual(b[2]); // second layer's weights
    }
  });
});
