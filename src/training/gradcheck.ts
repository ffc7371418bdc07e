// Gradient checking: every weight's and bias's analytic gradient (backward) against a central finite
// difference of the loss (extrapolated where the plain one fails, to take out its truncation error), reported
// per layer; rowsAwayFromKinks picks rows that no step of the check carries across a relu kink. It reads only
// forward, lossOf and backward, so it checks any network built from the registries, including ones a user
// declares, and the engine's own tests use it.

import type { Matrix } from '../matrix.js';
import type { Reduction } from '../model/losses.js';
import { backward, createWorkspace, forward, lossOf, type Layer, type LossRef, type Network, type Workspace } from '../model/network.js';

export interface GradcheckOptions {
  /** Relative step: each parameter θ moves by ±h·max(1, |θ|) (default 1e-5). */
  h?: number;
  /** Largest error that passes (default 1e-6). */
  tolerance?: number;
}

export interface ParamCheck {
  kind: 'weight' | 'bias';
  /** weight: [input, unit]; bias: [unit]. */
  index: number[];
  analytic: number;
  numeric: number;
  error: number;
}

export interface LayerCheck {
  /** 1-based layer number. */
  layer: number;
  nIn: number;
  nOut: number;
  activation: string;
  params: number;
  /** How many analytic gradients are non-zero (a check of zeros proves little). */
  nonZero: number;
  /**
   * How many parameters have a derivative (analytic or numeric) of at least tolerance·floor/2: below that, even a
   * derivative of the wrong sign passes (|g − (−g)| / floor < tolerance). 0: the layer's pass tells nothing.
   */
  measured: number;
  /** The error floor of the check (errorFloor). */
  floor: number;
  /** The parameter with the largest error (NaN counts as the largest). */
  worst: ParamCheck;
  /** A few parameters to show side by side (gradcheck --explain): see pickExamples. */
  examples: Example[];
  pass: boolean;
}

/** A parameter's check, why it was picked for showing, and the layer check's error floor (see errorFloor). */
export interface Example extends ParamCheck {
  why: 'largest error' | 'largest gradient' | 'median gradient';
  floor: number;
}

/**
 * The error floor for loss value L and step h. A central difference in float64 cannot resolve a derivative
 * finer than noise ≈ ε·max(1, |L|)/h (the loss's rounding error over the step); below floor = noise / 1e-8 the
 * error is measured in units of the floor, so rounding alone adds at most ~1e-8 to it.
 */
export function errorFloor(loss: number, h: number): number {
  return Math.max(1e-8, (Number.EPSILON * Math.max(1, Math.abs(loss))) / h / 1e-8);
}

/** |a − n| / max(|a|, |n|, floor): relative where gradients are large, absolute (in floors) near zero. */
export function relativeError(analytic: number, numeric: number, floor: number): number {
  const d = Math.abs(analytic - numeric);
  return d === 0 ? 0 : d / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
}

/**
 * (f(θ + s) − f(θ − s)) / ((θ + s) − (θ − s)) with s = h·max(1, |θ|), θ = values[i], restored bit for bit.
 * NOTE: divide by the difference actually made in float64, not 2s, or the rounding of θ ± s biases the quotient.
 */
export function centralDifference(f: () => number, values: Float64Array, i: number, h: number): number {
  const theta = values[i];
  const step = h * Math.max(1, Math.abs(theta));
  const up = theta + step;
  const down = theta - step;
  values[i] = up;
  const fUp = f();
  values[i] = down;
  const fDown = f();
  values[i] = theta;
  return (fUp - fDown) / (up - down);
}

/**
 * Richardson extrapolation of the central difference D(s) = centralDifference(…, h): D(s) = g + c·s² + O(s⁴), so
 * (4·D(s/2) − D(s)) / 3 = g + O(s⁴). Its rounding error is about three times D(s)'s, well within the floor's margin.
 */
function extrapolatedDifference(f: () => number, values: Float64Array, i: number, h: number, coarse: number): number {
  return (4 * centralDifference(f, values, i, h / 2) - coarse) / 3;
}

/** Checks every parameter of net on the batch x: (rows, inputs), y: (rows, nOut); leaves the weights as they were. */
export function gradcheck(net: Network, x: Matrix, y: Matrix, loss: LossRef, reduction: Reduction, opts: GradcheckOptions = {}): LayerCheck[] {
  const h = opts.h ?? 1e-5;
  const tolerance = opts.tolerance ?? 1e-6;
  const ws = createWorkspace(net, x.rows);
  const lossAt = () => {
    forward(net, ws, x.data, x.rows);
    return lossOf(net, ws, y.data, x.rows, loss, reduction);
  };
  const floor = errorFloor(lossAt(), h);
  backward(net, ws, x.data, y.data, x.rows, loss, reduction);
  const dw = ws.dw.map((g) => Float64Array.from(g)); // copied: the loss evaluations below reuse the workspace
  const db = ws.db.map((g) => Float64Array.from(g));
  return net.layers.map((l, k) => {
    let worst: ParamCheck | undefined;
    let nonZero = 0;
    let measured = 0;
    const weights: ParamCheck[] = [];
    const probe = (kind: 'weight' | 'bias', values: Float64Array, analytic: Float64Array) => {
      for (let i = 0; i < values.length; i++) {
        let numeric = centralDifference(lossAt, values, i, h);
        let error = relativeError(analytic[i], numeric, floor);
        if (!(error < tolerance)) {
          // The failure may be the difference's truncation error (s²/6·L''', large where inputs are: a weight on an input
          // of 1,000 under tanh), not the derivative's: checked again with it extrapolated away, kept only if that passes.
          const refined = extrapolatedDifference(lossAt, values, i, h, numeric);
          const e = relativeError(analytic[i], refined, floor);
          if (e < tolerance) [numeric, error] = [refined, e];
        }
        if (analytic[i] !== 0) nonZero++;
        if (Math.max(Math.abs(analytic[i]), Math.abs(numeric)) >= (tolerance * floor) / 2) measured++;
        const index = kind === 'weight' ? [Math.floor(i / l.nOut), i % l.nOut] : [i];
        const check: ParamCheck = { kind, index, analytic: analytic[i], numeric, error };
        if (kind === 'weight') weights.push(check);
        // NOTE: NaN must win: `error > worst.error` is false for NaN.
        if (!worst || Number.isNaN(error) || (!Number.isNaN(worst.error) && error > worst.error)) worst = check;
      }
    };
    probe('weight', l.w, dw[k]);
    probe('bias', l.b, db[k]);
    const params = l.w.length + l.b.length;
    const examples = pickExamples(worst!, weights, floor);
    return { layer: k + 1, nIn: l.nIn, nOut: l.nOut, activation: l.activation, params, nonZero, measured, floor, worst: worst!, examples, pass: worst!.error < tolerance };
  });
}

/**
 * Up to three checks to show, chosen deterministically: the worst parameter (weight or bias), then among the
 * other weights the one with the largest |analytic| and the one with the median |analytic| (NaN counts as 0;
 * ties keep storage order).
 */
export function pickExamples(worst: ParamCheck, weights: readonly ParamCheck[], floor: number): Example[] {
  const size = (c: ParamCheck) => (Number.isNaN(c.analytic) ? 0 : Math.abs(c.analytic));
  const rest = weights.filter((c) => c !== worst).sort((a, b) => size(b) - size(a)); // stable: ties keep storage order
  const examples: Example[] = [{ ...worst, why: 'largest error', floor }];
  if (rest.length > 0) examples.push({ ...rest[0], why: 'largest gradient', floor });
  if (rest.length > 1) examples.push({ ...rest[Math.floor(rest.length / 2)], why: 'median gradient', floor });
  return examples;
}

/**
 * The rows of x (indices) at which no pre-activation of a layer with a kink (relu, leaky_relu) lies within reach of
 * 0: within `margin`, or within twice what one step of the check (±h·max(1, |θ|) on one parameter) can move it. At a
 * kink the derivative is a convention (PyTorch takes 0), and a step across one makes a finite difference that matches
 * neither side; gradcheck such rows and the check means nothing. (On inputs in the thousands a step moves a
 * pre-activation by 1e-2: a fixed margin of 1e-4 let such rows through.)
 */
export function rowsAwayFromKinks(net: Network, x: Matrix, margin = 1e-4, h = 1e-5): number[] {
  const ws = createWorkspace(net, 1);
  const sizes = net.layers.map(weightSizes);
  const keep: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    const row = x.data.subarray(r * x.cols, (r + 1) * x.cols);
    forward(net, ws, row, 1);
    const reach = stepReach(net, ws, row, h, sizes);
    const kinked = net.layers.some((l, k) => !l.fn.smooth && ws.z[k].some((z) => Math.abs(z) < Math.max(margin, 2 * reach[k])));
    if (!kinked) keep.push(r);
  }
  return keep;
}

/** A layer's max(1, largest |w| or |b|) (a step's size is h times it, at most) and largest column sum of |w|. */
function weightSizes(l: Layer): { maxParam: number; colSum: number } {
  let maxParam = 1;
  for (let i = 0; i < l.w.length; i++) maxParam = Math.max(maxParam, Math.abs(l.w[i]));
  for (let j = 0; j < l.b.length; j++) maxParam = Math.max(maxParam, Math.abs(l.b[j]));
  let colSum = 0;
  for (let j = 0; j < l.nOut; j++) {
    let c = 0;
    for (let i = 0; i < l.nIn; i++) c += Math.abs(l.w[i * l.nOut + j]);
    colSum = Math.max(colSum, c);
  }
  return { maxParam, colSum };
}

/**
 * For the one row just run forward in ws (capacity 1): a bound on how far one step of the check moves each layer's
 * pre-activations. A step of the layer's own weight or bias moves them by at most h·max(1, |θ|)·max(1, |input|); a
 * step in an earlier layer reaches them through the layers between, each multiplying its reach by the largest
 * column sum of |w| and its activation's largest slope.
 */
function stepReach(net: Network, ws: Workspace, row: Float64Array, h: number, sizes: readonly { maxParam: number; colSum: number }[]): number[] {
  const reach: number[] = [];
  let input = row;
  net.layers.forEach((_l, k) => {
    let maxIn = 1;
    for (let i = 0; i < input.length; i++) maxIn = Math.max(maxIn, Math.abs(input[i]));
    const before = k === 0 ? 0 : sizes[k].colSum * slopeBound(net.layers[k - 1]) * reach[k - 1];
    reach.push(Math.max(h * sizes[k].maxParam * maxIn, before));
    input = ws.a[k];
  });
  return reach;
}

/** The largest |f'(z)| of a layer's activation: sigmoid 1/4, leaky_relu max(1, |slope|), the others 1. */
const slopeBound = (l: Layer): number => (l.activation === 'sigmoid' ? 0.25 : l.activation === 'leaky_relu' ? Math.max(1, Math.abs(l.slope)) : 1);
