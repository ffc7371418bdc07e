// Optimizers against PyTorch's update rules, on a tiny separable quadratic problem
//   L = ½ Σ_i c_i (θ_i − t_i)²,  ∂L/∂θ_i = c_i (θ_i − t_i)
// with two parameter arrays: "weights" (weight decay applies) and "biases" (it does not). The expected values are
// computed in this file by a scalar transcription of torch.optim.SGD (dampening 0) and torch.optim.Adam
// (amsgrad off, maximize off), in torch's order of operations:
//   SGD:  g = grad + wd·θ;  buf = g on the first step, else μ·buf + g;  g = g + μ·buf if nesterov else buf;
//         θ −= lr·g
//   Adam: g = grad + wd·θ;  m = lerp(m, g, 1 − β1)  (torch's lerp, whose formula depends on the weight);  v = β2·v + (1 − β2)·g²;
//         θ −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
// plus a few values worked out by hand on paper.

import { describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES, type AdamConfig, type OptimizerConfig, type SgdConfig } from '../../src/training/optimizers/index.js';
import { expectHistories, gradOf, PROBLEM, runEngine, torchLerp, type Problem } from './optimizer-problem.js';

/** torch.optim.SGD, one scalar at a time. */
function referenceSgd(cfg: SgdConfig, steps: number, p: Problem = PROBLEM): number[][][] {
  const lr = cfg.learning_rate;
  const mu = cfg.momentum ?? 0;
  const wd = cfg.weight_decay ?? 0;
  const theta = p.init.map((v) => [...v]);
  const buf: (number | null)[][] = p.init.map((v) => v.map(() => null));
  const history: number[][][] = [];
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < theta.length; k++) {
      for (let i = 0; i < theta[k].length; i++) {
        const grad = gradOf(p, k, i, theta[k][i]);
        let g = p.decay[k] && wd !== 0 ? grad + wd * theta[k][i] : grad;
        if (mu !== 0) {
          const b = buf[k][i];
          const nb = b === null ? g : mu * b + g;
          buf[k][i] = nb;
          g = cfg.nesterov ? g + mu * nb : nb;
        }
        theta[k][i] = theta[k][i] - lr * g;
      }
    }
    history.push(theta.map((v) => [...v]));
  }
  return history;
}

/** torch.optim.Adam, one scalar at a time. */
function referenceAdam(cfg: AdamConfig, steps: number, p: Problem = PROBLEM): number[][][] {
  const lr = cfg.learning_rate;
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  const eps = cfg.epsilon ?? 1e-8;
  const wd = cfg.weight_decay ?? 0;
  const theta = p.init.map((v) => [...v]);
  const m = p.init.map((v) => v.map(() => 0));
  const v = p.init.map((row) => row.map(() => 0));
  const history: number[][][] = [];
  for (let t = 1; t <= steps; t++) {
    for (let k = 0; k < theta.length; k++) {
      for (let i = 0; i < theta[k].length; i++) {
        const grad = gradOf(p, k, i, theta[k][i]);
        const g = p.decay[k] && wd !== 0 ? grad + wd * theta[k][i] : grad;
        m[k][i] = torchLerp(m[k][i], g, 1 - b1);
        v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
        const biasCorrection1 = 1 - Math.pow(b1, t);
        const biasCorrection2 = 1 - Math.pow(b2, t);
        const stepSize = lr / biasCorrection1;
        const denom = Math.sqrt(v[k][i]) / Math.sqrt(biasCorrection2) + eps;
        theta[k][i] = theta[k][i] - stepSize * (m[k][i] / denom);
      }
    }
    history.push(theta.map((row) => [...row]));
  }
  return history;
}

const STEPS = 6;

describe('sgd (torch.optim.SGD, dampening 0)', () => {
  const cases: [string, SgdConfig][] = [
    ['plain', { type: 'sgd', learning_rate: 0.1 }],
    ['momentum', { type: 'sgd', learning_rate: 0.05, momentum: 0.9 }],
    ['nesterov', { type: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true }],
    ['weight decay', { type: 'sgd', learning_rate: 0.1, weight_decay: 0.3 }],
    ['momentum + weight decay', { type: 'sgd', learning_rate: 0.05, momentum: 0.8, weight_decay: 0.1 }],
    ['nesterov + weight decay', { type: 'sgd', learning_rate: 0.05, momentum: 0.7, nesterov: true, weight_decay: 0.2 }],
  ];
  it.each(cases)('%s matches the scalar transcription of torch', (_name, cfg) => {
    expectHistories(runEngine(cfg, STEPS), referenceSgd(cfg, STEPS));
  });

  it('matches values worked out by hand (θ = 1, c = 2, t = 0, lr = 0.1)', () => {
    const p: Problem = { init: [[1]], c: [[2]], t: [[0]], decay: [true] };
    const at = (cfg: SgdConfig) => runEngine(cfg, 2, p).map((s) => s[0][0]);
    // plain: g = 2 → 0.8; g = 1.6 → 0.64
    const plain = at({ type: 'sgd', learning_rate: 0.1 });
    expect(plain[0]).toBeCloseTo(0.8, 15);
    expect(plain[1]).toBeCloseTo(0.64, 15);
    // momentum 0.9: buf = 2 → 0.8; g = 1.6, buf = 1.8 + 1.6 = 3.4 → 0.46
    const momentum = at({ type: 'sgd', learning_rate: 0.1, momentum: 0.9 });
    expect(momentum[0]).toBeCloseTo(0.8, 15);
    expect(momentum[1]).toBeCloseTo(0.46, 15);
    // nesterov: buf = 2, g = 2 + 1.8 = 3.8 → 0.62; g = 1.24, buf = 1.8 + 1.24 = 3.04, g = 1.24 + 2.736 = 3.976 → 0.2224
    const nesterov = at({ type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true });
    expect(nesterov[0]).toBeCloseTo(0.62, 15);
    expect(nesterov[1]).toBeCloseTo(0.2224, 15);
    // weight decay 0.5: g = 2 + 0.5 = 2.5 → 0.75; g = 1.5 + 0.375 = 1.875 → 0.5625
    const decayed = at({ type: 'sgd', learning_rate: 0.1, weight_decay: 0.5 });
    expect(decayed[0]).toBeCloseTo(0.75, 15);
    expect(decayed[1]).toBeCloseTo(0.5625, 15);
  });
});

describe('adam (torch.optim.Adam)', () => {
  const cases: [string, AdamConfig][] = [
    ['defaults (β1 0.9, β2 0.999, ε 1e-8)', { type: 'adam', learning_rate: 0.01 }],
    ['other betas and epsilon', { type: 'adam', learning_rate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 }],
    ['β1 below 0.5 (torch\'s lerp takes its other form)', { type: 'adam', learning_rate: 0.05, beta1: 0.3 }],
    ['weight decay', { type: 'adam', learning_rate: 0.02, weight_decay: 0.1 }],
  ];
  it.each(cases)('%s matches the scalar transcription of torch', (_name, cfg) => {
    expectHistories(runEngine(cfg, STEPS), referenceAdam(cfg, STEPS));
  });

  it('bias correction: the first step moves every parameter by lr·g/(|g| + ε), about lr (≈ 3.16·lr without it)', () => {
    const lr = 0.01;
    const [first] = runEngine({ type: 'adam', learning_rate: lr }, 1);
    PROBLEM.init.forEach((row, k) =>
      row.forEach((theta, i) => {
        const g = gradOf(PROBLEM, k, i, theta);
        // m̂ = g, √v̂ = |g| exactly in real arithmetic
        expect(first[k][i]).toBeCloseTo(theta - (lr * g) / (Math.abs(g) + 1e-8), 14);
        expect(Math.abs(first[k][i] - theta)).toBeCloseTo(lr, 8);
      }),
    );
  });
});

describe('weight decay touches weights, never biases', () => {
  it.each(OPTIMIZER_NAMES)('%s', (name) => {
    const base = (name === 'sgd' ? { type: 'sgd', learning_rate: 0.05, momentum: 0.9 } : { type: name, learning_rate: 0.05 }) as OptimizerConfig;
    const plain = runEngine(base, STEPS);
    const decayed = runEngine({ ...base, weight_decay: 0.5 }, STEPS);
    // Biases (array 1): bit-identical with and without weight decay (the problem is separable).
    expect(decayed.map((s) => s[1])).toEqual(plain.map((s) => s[1]));
    // Weights (array 0): different.
    expect(decayed[STEPS - 1][0].every((v, i) => v !== plain[STEPS - 1][0][i])).toBe(true);
  });
});

describe('optimizer state', () => {
  it('is kept per parameter array and per element (two arrays of the same size do not share buffers)', () => {
    const p: Problem = { init: [[1, 1], [1, 1]], c: [[2, 2], [2, 2]], t: [[0, 0], [0, 0]], decay: [false, false] };
    for (const cfg of [{ type: 'sgd', learning_rate: 0.1, momentum: 0.9 }, { type: 'adam', learning_rate: 0.1 }] as (SgdConfig | AdamConfig)[]) {
      const h = runEngine(cfg, 4, p);
      for (const s of h) expect(new Set(s.flat()).size).toBe(1);
      const ref = cfg.type === 'sgd' ? referenceSgd(cfg, 4, p) : referenceAdam(cfg, 4, p);
      expectHistories(h, ref);
    }
  });
});
