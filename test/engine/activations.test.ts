// Activations: forward values against independently computed values, numerical safety at extreme inputs, and
// each backward (handed the array its `reads` names, nothing else) against a finite-difference vector-Jacobian
// product of its own forward. Expected literals were computed with mpmath at 40 significant digits (python3 -c
// "from mpmath import mp, exp, tanh; mp.dps = 40; ..."), i.e. independently of the code under test.

import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, activations, DEFAULT_SLOPE, sigmoidInto, type Activation, type ActivationName } from '../../src/model/activations.js';
import { backward, createNetwork, createWorkspace, forward } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { errorFloor, relativeError } from './fd.js';

const SLOPE = { slope: DEFAULT_SLOPE };

/** a = f(z) for one activation on (rows, cols). */
function fwd(name: ActivationName, z: readonly number[], rows = 1, cols = z.length, slope = DEFAULT_SLOPE): number[] {
  const a = new Float64Array(rows * cols);
  activations[name].forward(Float64Array.from(z), a, rows, cols, { slope });
  return Array.from(a);
}

/** Each value equal to the expected one within a relative 1e-15 (a few ulps), and finite. */
function expectValues(actual: readonly number[], expected: readonly number[], rel = 1e-15): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    expect(Number.isFinite(v), `element ${i} finite`).toBe(true);
    expect(Math.abs(v - expected[i]), `element ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(rel * Math.abs(expected[i]) + 1e-300);
  });
}

describe('activation forward values', () => {
  it('linear is the identity', () => {
    expect(fwd('linear', [-2.5, 0, 1e-300, 7, 1e300], 1, 5)).toEqual([-2.5, 0, 1e-300, 7, 1e300]);
  });

  it('sigmoid = 1 / (1 + e^−z)', () => {
    const z = [-3, -0.5, 0, 0.5, 3, 20, -20, -40];
    expectValues(fwd('sigmoid', z), [
      0.04742587317756678, 0.37754066879814546, 0.5, 0.6224593312018546, 0.9525741268224333, 0.9999999979388464,
      2.0611536181902037e-9, 4.248354255291589e-18,
    ]);
  });

  it('sigmoid at ±1000 (and ±800) is finite, with exact 0 and 1 ends', () => {
    expect(fwd('sigmoid', [1000, -1000, 800, -800])).toEqual([1, 0, 1, 0]);
    const out = new Float64Array(4);
    sigmoidInto(Float64Array.of(1000, -1000, -Infinity, Infinity), out, 4);
    expect(Array.from(out)).toEqual([1, 0, 0, 1]);
  });

  it('tanh', () => {
    expectValues(fwd('tanh', [-3, -0.5, 0, 0.5, 3]), [-0.9950547536867305, -0.46211715726000974, 0, 0.46211715726000974, 0.9950547536867305]);
    expect(fwd('tanh', [1000, -1000])).toEqual([1, -1]);
  });

  it('relu = max(z, 0)', () => {
    expect(fwd('relu', [-2, -1e-300, 0, 1e-300, 0.5, 3])).toEqual([0, 0, 0, 1e-300, 0.5, 3]);
  });

  it('leaky_relu: z for z > 0, slope·z otherwise; the default slope is PyTorch\'s 0.01', () => {
    expect(DEFAULT_SLOPE).toBe(0.01);
    expect(fwd('leaky_relu', [-2, 0, 0.5, 3])).toEqual([-0.02, 0, 0.5, 3]);
    expect(fwd('leaky_relu', [-2, -0.5, 0.5, 3], 1, 4, 0.2)).toEqual([-0.4, -0.1, 0.5, 3]);
    expect(fwd('leaky_relu', [-2, 4], 1, 2, -0.5)).toEqual([1, 4]);
    // A layer made without a slope gets the default; with one, that one.
    const net = createNetwork(1, [{ units: 1, activation: 'leaky_relu' }, { units: 1, activation: 'leaky_relu', slope: 0.3 }]);
    expect(net.layers.map((l) => l.slope)).toEqual([0.01, 0.3]);
  });

  it('softmax of each row', () => {
    expectValues(fwd('softmax', [1, 2, 3, 1000, 999, 999 - 1e9], 2, 3), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219, 0.7310585786300049, 0.2689414213699951, 0]);
    expectValues(fwd('softmax', [-1, 0, 0.5, 2], 1, 4), [0.03535379340874887, 0.09610157419009721, 0.15844470951497971, 0.7100999228861742]);
  });

  it('softmax rows sum to 1, are invariant to adding a constant, and are computed per row', () => {
    const rng = new Rng(42);
    const rows = 5;
    const cols = 7;
    const z = Array.from({ length: rows * cols }, () => rng.normal(0, 10));
    const a = fwd('softmax', z, rows, cols);
    for (let r = 0; r < rows; r++) {
      const row = a.slice(r * cols, (r + 1) * cols);
      expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-15);
      for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
      // The same row alone gives the same values: rows do not mix.
      expect(fwd('softmax', z.slice(r * cols, (r + 1) * cols))).toEqual(row);
    }
    const shifted = fwd('softmax', z.map((v) => v + 123.25), rows, cols);
    shifted.forEach((v, i) => expect(Math.abs(v - a[i])).toBeLessThan(1e-13));
  });

  it('softmax of [1000, 0] and other extreme rows is finite', () => {
    expect(fwd('softmax', [1000, 0])).toEqual([1, 0]);
    expect(fwd('softmax', [0, 1000])).toEqual([0, 1]);
    expect(fwd('softmax', [-1000, -1000])).toEqual([0.5, 0.5]);
    expect(fwd('softmax', [1e308, -1e308])).toEqual([1, 0]);
  });

  it('elementwise activations treat every element of a (rows, cols) batch the same', () => {
    const rng = new Rng(3);
    const z = Array.from({ length: 12 }, () => rng.normal(0, 3));
    for (const name of ACTIVATION_NAMES) {
      if (name === 'softmax') continue; // the one row-wise activation, tested above
      const batch = fwd(name, z, 3, 4, 0.3);
      z.forEach((v, i) => expect(fwd(name, [v], 1, 1, 0.3)[0]).toBe(batch[i]));
    }
  });
});

// ----- backward: dz from da, reading only the array `reads` names -----

const SENTINEL = 12345.678;

/**
 * Max relative error between act.backward (handed z or a as act.reads says) and the vector-Jacobian product
 * dz_j = Σ_k da_k ∂a_k/∂z_j by central differences of act.forward (h = 1e-5, float64; error measure and
 * floor as in fd.ts, with Σ_k |da_k·a_k| in the place of the loss). The buffers are longer
 * than rows × cols, with garbage after the batch, and dz starts as garbage (NaN): backward must write all of dz
 * and nothing past it, and must not change its inputs.
 */
function backwardError(act: Activation, z: Float64Array, da: Float64Array, rows: number, cols: number, slope: number): number {
  const n = rows * cols;
  const pad = 3;
  const zBuf = new Float64Array(n + pad).fill(NaN);
  zBuf.set(z);
  const aBuf = new Float64Array(n + pad).fill(NaN);
  act.forward(zBuf, aBuf, rows, cols, { slope });
  const daBuf = new Float64Array(n + pad).fill(NaN);
  daBuf.set(da);
  const dzBuf = new Float64Array(n + pad).fill(NaN);
  dzBuf.fill(SENTINEL, n);
  const v = act.reads === 'input' ? zBuf : aBuf;
  const vCopy = Float64Array.from(v);
  act.backward(v, daBuf, dzBuf, rows, cols, { slope });
  expect(Array.from(dzBuf.subarray(n))).toEqual(new Array(pad).fill(SENTINEL));
  expect(Object.is(v[0], vCopy[0]) && v.every((x, i) => Object.is(x, vCopy[i]))).toBe(true);
  expect(Array.from(daBuf.subarray(0, n))).toEqual(Array.from(da));

  const h = 1e-5;
  let scale = 0;
  for (let k = 0; k < n; k++) scale += Math.abs(da[k] * aBuf[k]);
  const floor = errorFloor(scale, h);
  const zp = Float64Array.from(z);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  let worst = 0;
  for (let j = 0; j < n; j++) {
    const zj = z[j];
    zp[j] = zj + h;
    act.forward(zp, up, rows, cols, { slope });
    zp[j] = zj - h;
    act.forward(zp, down, rows, cols, { slope });
    zp[j] = zj;
    let numeric = 0;
    for (let k = 0; k < n; k++) numeric += (da[k] * (up[k] - down[k])) / (2 * h);
    const analytic = dzBuf[j];
    if (!Number.isFinite(analytic)) return Infinity;
    worst = Math.max(worst, relativeError(analytic, numeric, floor));
  }
  return worst;
}

/** z ~ N(0, 2²) kept at least 1e-2 away from 0 (the relu/leaky_relu kink), da ~ N(0, 1). */
function draw(rng: Rng, n: number): { z: Float64Array; da: Float64Array } {
  const z = Float64Array.from({ length: n }, () => {
    let v: number;
    do v = rng.normal(0, 2);
    while (Math.abs(v) < 1e-2);
    return v;
  });
  return { z, da: Float64Array.from({ length: n }, () => rng.normal()) };
}

describe('activation backward', () => {
  it.each(ACTIVATION_NAMES)('%s: backward, given the array its `reads` names, is the derivative of its forward', (name) => {
    const rng = new Rng(7, ACTIVATION_NAMES.indexOf(name));
    const act = activations[name];
    expect(['input', 'output']).toContain(act.reads);
    for (const [rows, cols] of [[1, 1], [1, 4], [3, 5], [6, 2]] as const) {
      for (const slope of [DEFAULT_SLOPE, 0.3, 1.5]) {
        const { z, da } = draw(rng, rows * cols);
        expect(backwardError(act, z, da, rows, cols, slope)).toBeLessThan(1e-6);
      }
    }
  });

  it('the check fails for an activation that declares the wrong `reads` (tanh claiming to read its input)', () => {
    const rng = new Rng(8);
    const { z, da } = draw(rng, 12);
    expect(backwardError(activations.tanh, z, da, 3, 4, DEFAULT_SLOPE)).toBeLessThan(1e-6);
    expect(backwardError({ ...activations.tanh, reads: 'input' }, z, da, 3, 4, DEFAULT_SLOPE)).toBeGreaterThan(1e-2);
    expect(backwardError({ ...activations.softmax, reads: 'input' }, z, da, 3, 4, DEFAULT_SLOPE)).toBeGreaterThan(1e-2);
  });

  it('relu and leaky_relu at the kink z = 0 take the left derivative (0 and slope), as PyTorch', () => {
    const dz = new Float64Array(2);
    activations.relu.backward(Float64Array.from([0, -0]), Float64Array.from([3, 3]), dz, 1, 2, SLOPE);
    expect(Array.from(dz)).toEqual([0, 0]);
    activations.leaky_relu.backward(Float64Array.from([0, 1]), Float64Array.from([3, 3]), dz, 1, 2, { slope: 0.2 });
    expect(Array.from(dz)).toEqual([0.6000000000000001, 3]); // 0.2 · 3 in float64
  });

  it.each(ACTIVATION_NAMES)('%s: inside a network, backward needs only the array its `reads` names (garbage in the other one changes nothing)', (name) => {
    // Layer 0 is `name`, layer 1 is linear with mse. After forward, z[0] is needed by backward only if `name`
    // reads its input (a[0] is always needed: it is layer 1's input). Garbage (NaN) in z[0] must therefore leave
    // every gradient bit-identical when reads = 'output', and must change them when reads = 'input'.
    const act = activations[name];
    const rng = new Rng(9, ACTIVATION_NAMES.indexOf(name));
    const net = createNetwork(3, [{ units: 4, activation: name, slope: 0.2 }, { units: 2, activation: 'linear' }]);
    for (const l of net.layers) for (let i = 0; i < l.w.length; i++) l.w[i] = rng.normal();
    const rows = 5;
    const x = Float64Array.from({ length: rows * 3 }, () => rng.normal());
    const y = Float64Array.from({ length: rows * 2 }, () => rng.normal());
    const ws = createWorkspace(net, rows);
    forward(net, ws, x, rows);
    backward(net, ws, x, y, rows, 'mse', 'mean');
    const clean = ws.dw.map((g) => Array.from(g));
    forward(net, ws, x, rows);
    ws.z[0].fill(NaN);
    backward(net, ws, x, y, rows, 'mse', 'mean');
    const garbage = ws.dw.map((g) => Array.from(g));
    if (act.reads === 'output') expect(garbage).toEqual(clean);
    else expect(garbage).not.toEqual(clean); // it does read z: the garbage shows up
  });
});

describe('smooth', () => {
  // One-sided slopes at z = 0 (second column held at 0.3 so softmax has something to normalise against).
  it.each(ACTIVATION_NAMES)('%s: smooth is false exactly when the left and right slopes at 0 differ', (name) => {
    const act = activations[name];
    const h = 1e-6;
    const f = (z0: number) => {
      const a = new Float64Array(2);
      act.forward(Float64Array.from([z0, 0.3]), a, 1, 2, { slope: 0.01 });
      return a[0];
    };
    const right = (f(h) - f(0)) / h;
    const left = (f(0) - f(-h)) / h;
    expect(Math.abs(right - left) > 1e-3).toBe(!act.smooth);
  });
});
