// Gradient check of the whole backward pass: for every activation (ACTIVATION_NAMES) in a hidden position and in
// the output position, every loss valid after that output (LOSS_NAMES filtered by `requires`), both reductions,
// depths 1 to 3, random shapes, inputs, weights and targets drawn from a seeded Rng, the analytic gradients of ALL
// weights and biases (network.backward) must match central finite differences of network.lossOf within a relative
// error of 1e-6 (see fd.ts for the error measure). A new activation or loss added to the registries is covered
// without editing this file. The last block shows that the same checker does fail on a wrong derivative.

import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, activations, type Activation, type ActivationName } from '../../src/model/activations.js';
import { LOSS_NAMES, losses, REDUCTIONS, reductionScale, type Loss, type LossName, type Reduction } from '../../src/model/losses.js';
import { backward, createNetwork, createWorkspace, forward, type LayerSpec, type LossRef, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { checkNetworkGradients, parameterCount, type GradCheckReport } from './fd.js';

const TOLERANCE = 1e-6;
/** Pre-activations closer than this to 0 are avoided (relu/leaky_relu kinks); see drawCase. */
const KINK_MARGIN = 1e-3;
const TRIALS = 3;
const NON_DEFAULT_SLOPE = 0.25;

/** Every (output activation, loss) pair the registries allow: a loss with `requires` only after that activation. */
const OUTPUT_PAIRS: { act: ActivationName; loss: LossName }[] = ACTIVATION_NAMES.flatMap((act) =>
  LOSS_NAMES.filter((loss) => losses[loss].requires === null || losses[loss].requires === act).map((loss) => ({ act, loss })),
);

type TargetMaker = (rng: Rng, rows: number, cols: number) => Float64Array;

/** Probability rows: entries in [0, 1], each row summing to 1 (sometimes one-hot). */
const probabilityRows: TargetMaker = (rng, rows, cols) => {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (rng.next() < 0.3) {
      y[o + rng.int(cols)] = 1;
      continue;
    }
    let s = 0;
    for (let c = 0; c < cols; c++) s += y[o + c] = rng.next() + 1e-3;
    for (let c = 0; c < cols; c++) y[o + c] /= s;
  }
  return y;
};

/**
 * Targets valid for each loss. A loss not listed gets probability rows, which are valid targets for all three
 * current losses (values in [0, 1], rows summing to 1), so a new loss is still exercised.
 */
const TARGETS: Partial<Record<LossName, TargetMaker>> = {
  mse: (rng, rows, cols) => Float64Array.from({ length: rows * cols }, () => rng.normal(0, 2)),
  cross_entropy: probabilityRows,
  binary_cross_entropy: (rng, rows, cols) =>
    Float64Array.from({ length: rows * cols }, () => {
      const u = rng.next();
      return u < 0.2 ? 0 : u > 0.8 ? 1 : rng.next(); // exact 0/1 labels and soft labels
    }),
};

interface Case {
  net: Network;
  x: Float64Array;
  y: Float64Array;
  rows: number;
  loss: LossRef;
  reduction: Reduction;
  label: string;
}

/**
 * A random case with the given activations: inputs 1–5, rows 1–6, units 1–5 per layer; weights ~ N(0, 1.5²/fan_in),
 * biases ~ N(0, 0.5²), inputs ~ N(0, 1), targets valid for the loss. Drawn again (shape included) while
 *  - any pre-activation of any layer lies within KINK_MARGIN of 0, so relu/leaky_relu kinks are never crossed by
 *    the ±h·max(1, |θ|) steps (which move a pre-activation by ~1e-4 at most); applied to every layer, so a new
 *    activation with a kink at 0 is safe too;
 *  - some layer has no gradient at all (all of its bias gradients exactly 0: e.g. a relu output whose units are
 *    off for every row, or a one-unit softmax, whose output is the constant 1): zeros compared with zeros would
 *    check nothing there.
 */
/** Replacements for the shipped registries (a deliberately wrong activation or loss); the shipped ones are frozen. */
interface Own {
  activations?: Readonly<Record<ActivationName, Activation>>;
  loss?: Loss;
}

function drawCase(rng: Rng, acts: readonly ActivationName[], loss: LossName, reduction: Reduction, slope: number | undefined, own: Own = {}): Case {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const inputs = 1 + rng.int(5);
    const rows = 1 + rng.int(6);
    const specs: LayerSpec[] = acts.map((activation) => ({ units: 1 + rng.int(5), activation, ...(slope === undefined ? {} : { slope }) }));
    const net = createNetwork(inputs, specs, own.activations);
    const y = (TARGETS[loss] ?? probabilityRows)(rng, rows, specs[specs.length - 1].units);
    for (const l of net.layers) {
      for (let i = 0; i < l.w.length; i++) l.w[i] = rng.normal(0, 1.5 / Math.sqrt(l.nIn));
      for (let i = 0; i < l.b.length; i++) l.b[i] = rng.normal(0, 0.5);
    }
    const x = Float64Array.from({ length: rows * inputs }, () => rng.normal());
    const ws = createWorkspace(net, rows);
    forward(net, ws, x, rows);
    if (net.layers.some((l, k) => ws.z[k].subarray(0, rows * l.nOut).some((z) => Math.abs(z) < KINK_MARGIN))) continue;
    backward(net, ws, x, y, rows, own.loss ?? loss, reduction);
    if (ws.db.some((db) => db.every((g) => g === 0))) continue;
    const shape = [inputs, ...specs.map((s) => `${s.units}${s.activation}`)].join('-');
    const label = `${shape} ${loss}/${reduction} rows=${rows}${slope === undefined ? '' : ` slope=${slope}`}`;
    return { net, x, y, rows, loss: own.loss ?? loss, reduction, label };
  }
  throw new Error(`could not draw a case for ${acts.join('-')} ${loss}`);
}

function check(c: Case): GradCheckReport {
  return checkNetworkGradients(c.net, c.x, c.y, c.rows, c.loss, c.reduction);
}

/** Runs the checker on every case and returns the failures (empty when all pass), for a readable assertion. */
function failures(cases: readonly Case[]): string[] {
  const bad: string[] = [];
  let checked = 0;
  let nonZero = 0;
  for (const c of cases) {
    const total = parameterCount(c.net);
    const r = check(c);
    if (r.checked !== total) bad.push(`${c.label}: checked ${r.checked} of ${total} parameters`);
    if (r.nonZero === 0) bad.push(`${c.label}: every gradient is 0, nothing was checked`);
    if (!(r.maxError < TOLERANCE)) bad.push(`${c.label}: max error ${r.maxError} at ${JSON.stringify(r.worst)}`);
    checked += r.checked;
    nonZero += r.nonZero;
  }
  // Dead relu units give some exact zeros (up to half of a relu layer's), but most gradients must be non-zero.
  if (nonZero < 0.6 * checked) bad.push(`only ${nonZero} of ${checked} gradients are non-zero`);
  return bad;
}

/** Slopes to try: leaky_relu also with a non-default slope (the slope only matters for leaky_relu). */
const slopesFor = (acts: readonly ActivationName[]): (number | undefined)[] =>
  acts.includes('leaky_relu') ? [undefined, NON_DEFAULT_SLOPE] : [undefined];

const randomActivation = (rng: Rng): ActivationName => ACTIVATION_NAMES[rng.int(ACTIVATION_NAMES.length)];

describe('gradient check: network.backward against central differences of network.lossOf', () => {
  it('the (output activation, loss) pairs include the fused and the Jacobian paths and mse after everything', () => {
    const names = OUTPUT_PAIRS.map((p) => `${p.act}+${p.loss}`);
    expect(names).toContain('softmax+cross_entropy'); // fused: loss reads the logits
    expect(names).toContain('sigmoid+binary_cross_entropy'); // fused
    expect(names).toContain('softmax+mse'); // softmax's Jacobian-vector product
    for (const act of ACTIVATION_NAMES) expect(names).toContain(`${act}+mse`);
    expect(names).not.toContain('linear+cross_entropy');
    expect(names).not.toContain('softmax+binary_cross_entropy');
  });

  describe.each(ACTIVATION_NAMES.map((a, i) => [a, i] as const))('%s', (act, actIndex) => {
    it('in the output position: every valid loss, both reductions, depth 1 to 3', () => {
      const rng = Rng.stream(100 + actIndex, 'gradcheck');
      const pairs = OUTPUT_PAIRS.filter((p) => p.act === act);
      expect(pairs.length).toBeGreaterThan(0);
      const cases: Case[] = [];
      for (const { loss } of pairs)
        for (const reduction of REDUCTIONS)
          for (let depth = 1; depth <= 3; depth++)
            for (let t = 0; t < TRIALS; t++) {
              const acts = [...Array.from({ length: depth - 1 }, () => randomActivation(rng)), act];
              for (const slope of slopesFor(acts)) cases.push(drawCase(rng, acts, loss, reduction, slope));
            }
      expect(failures(cases)).toEqual([]);
    });

    it('in a hidden position: before every valid (output, loss) pair, both reductions, depth 2 and 3', () => {
      const rng = Rng.stream(200 + actIndex, 'gradcheck');
      const cases: Case[] = [];
      for (const { act: out, loss } of OUTPUT_PAIRS)
        for (const reduction of REDUCTIONS)
          for (const hidden of [[act], [act, act], [randomActivation(rng), act], [act, randomActivation(rng)]])
            for (let t = 0; t < TRIALS; t++) {
              const acts = [...hidden, out];
              for (const slope of slopesFor(acts)) cases.push(drawCase(rng, acts, loss, reduction, slope));
            }
      expect(failures(cases)).toEqual([]);
    });
  });

  it('leaky_relu with several non-default slopes (including > 1 and negative, which torch allows)', () => {
    const rng = Rng.stream(300, 'gradcheck');
    const cases: Case[] = [];
    for (const slope of [0.2, 1.7, -0.5])
      for (const { act: out, loss } of OUTPUT_PAIRS)
        for (const reduction of REDUCTIONS) cases.push(drawCase(rng, ['leaky_relu', 'leaky_relu', out], loss, reduction, slope));
    expect(failures(cases)).toEqual([]);
  });
});

// ----- The checker can fail: the same check on deliberately wrong derivatives (defined in this file only) -----

/** Registers a temporary activation (or loss) under a new name for the duration of fn, then removes it. */
/** The worst error over a few random cases of the given layout. */
/** The worst error over a few random cases of the given layout, with registries of the test's own if given. */
function worstError(seed: number, acts: readonly ActivationName[], loss: LossName, reduction: Reduction = 'mean', own: Own = {}): number {
  const rng = Rng.stream(seed, 'gradcheck');
  let worst = 0;
  for (let t = 0; t < 5; t++) {
    const r = check(drawCase(rng, acts, loss, reduction, undefined, own));
    worst = Number.isNaN(r.maxError) ? Infinity : Math.max(worst, r.maxError);
  }
  return worst;
}

describe('the finite-difference check detects wrong derivatives', () => {
  const tanh = activations.tanh;
  const softmax = activations.softmax;

  it('tanh with backward da·(1 − a) instead of da·(1 − a²), hidden and output', () => {
    const wrong: Activation = {
      reads: 'output',
      smooth: true,
      forward: tanh.forward,
      backward(a, da, dz, rows, cols) {
        for (let i = 0; i < rows * cols; i++) dz[i] = da[i] * (1 - a[i]);
      },
    };
    // Control: the same layouts with the real tanh pass.
    expect(worstError(1, ['tanh', 'linear'], 'mse')).toBeLessThan(TOLERANCE);
    expect(worstError(1, ['linear', 'tanh'], 'mse')).toBeLessThan(TOLERANCE);
    const own = { activations: { ...activations, tanh: wrong } };
    expect(worstError(1, ['tanh', 'linear'], 'mse', 'mean', own)).toBeGreaterThan(1e-3);
    expect(worstError(1, ['linear', 'tanh'], 'mse', 'mean', own)).toBeGreaterThan(1e-3);
  });

  it('tanh that declares reads: input (so backward is handed z instead of a)', () => {
    const own = { activations: { ...activations, tanh: { ...tanh, reads: 'input' as const } } };
    expect(worstError(2, ['tanh', 'sigmoid'], 'binary_cross_entropy')).toBeLessThan(TOLERANCE);
    expect(worstError(2, ['tanh', 'sigmoid'], 'binary_cross_entropy', 'mean', own)).toBeGreaterThan(1e-3);
  });

  it('softmax with only the diagonal of its Jacobian, dz = p(1 − p)·dp', () => {
    const diagonal: Activation = {
      reads: 'output',
      smooth: true,
      forward: softmax.forward,
      backward(p, dp, dz, rows, cols) {
        for (let i = 0; i < rows * cols; i++) dz[i] = p[i] * (1 - p[i]) * dp[i];
      },
    };
    expect(worstError(3, ['tanh', 'softmax'], 'mse')).toBeLessThan(TOLERANCE);
    expect(worstError(3, ['tanh', 'softmax'], 'mse', 'mean', { activations: { ...activations, softmax: diagonal } })).toBeGreaterThan(1e-3);
  });

  it('mse with gradient (a − y) instead of 2(a − y)', () => {
    const half: Loss = {
      ...losses.mse,
      backward(a, y, da, rows, cols, reduction) {
        const scale = reductionScale(losses.mse, reduction, rows, cols);
        for (let i = 0; i < rows * cols; i++) da[i] = scale * (a[i] - y[i]);
      },
    };
    expect(worstError(4, ['relu', 'linear'], 'mse', 'sum')).toBeLessThan(TOLERANCE);
    expect(worstError(4, ['relu', 'linear'], 'mse', 'sum', { loss: half })).toBeGreaterThan(1e-3);
  });

  it('a gradient that is wrong by a relative 1e-4 only (a fused cross-entropy gradient scaled by 1.0001)', () => {
    const ce = losses.cross_entropy;
    const scaled: Loss = {
      ...ce,
      backward(z, y, dz, rows, cols, reduction) {
        ce.backward(z, y, dz, rows, cols, reduction);
        for (let i = 0; i < rows * cols; i++) dz[i] *= 1.0001;
      },
    };
    expect(worstError(5, ['sigmoid', 'softmax'], 'cross_entropy')).toBeLessThan(TOLERANCE);
    const e = worstError(5, ['sigmoid', 'softmax'], 'cross_entropy', 'mean', { loss: scaled });
    expect(e).toBeGreaterThan(5e-5);
    expect(e).toBeGreaterThan(TOLERANCE);
  });
});
