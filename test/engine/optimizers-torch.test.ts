// adamw, rmsprop and adagrad against scalar transcriptions of torch.optim.AdamW, RMSprop and Adagrad (single-
// tensor code paths, maximize off), written out here in torch's order of operations:
//   AdamW:   θ ← θ·(1 − lr·wd);  m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g²;
//            θ −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
//   RMSprop: g = grad + wd·θ;  s = α·s + (1 − α)·g²;  centered: ḡ = lerp(ḡ, g, 1 − α), d = √(s − ḡ²) + ε,
//            else d = √s + ε;  momentum μ > 0: b = μ·b + g/d, θ −= lr·b;  else θ −= lr·g/d
//   Adagrad: g = grad + wd·θ;  clr = lr / (1 + (t − 1)·lr_decay);  s += g²;  θ −= clr·g / (√s + ε)
// plus first steps worked out by hand, the defaults torch documents, and a learning rate changed between steps.

import { describe, expect, it } from 'vitest';
import { optimizers, type AdagradConfig, type AdamWConfig, type RmspropConfig } from '../../src/training/optimizers/index.js';
import { expectHistories, gradOf, PROBLEM, runEngine, torchLerp, type Problem } from './optimizer-problem.js';

const STEPS = 6;
type Lr = (s: number, base: number) => number;
const constant: Lr = (_s, base) => base;

/** Runs `update(theta, grad, k, i, t, lr)` per scalar for `steps` steps; returns θ after each step. */
function reference(p: Problem, steps: number, update: (theta: number, grad: number, k: number, i: number, t: number) => number): number[][][] {
  const theta = p.init.map((v) => [...v]);
  const history: number[][][] = [];
  for (let t = 1; t <= steps; t++) {
    for (let k = 0; k < theta.length; k++) for (let i = 0; i < theta[k].length; i++) theta[k][i] = update(theta[k][i], gradOf(p, k, i, theta[k][i]), k, i, t);
    history.push(theta.map((v) => [...v]));
  }
  return history;
}

const zerosLike = (p: Problem, fill = 0) => p.init.map((v) => v.map(() => fill));

function referenceAdamW(cfg: AdamWConfig, steps: number, p: Problem = PROBLEM, lrOf: Lr = constant): number[][][] {
  const [b1, b2, eps, wd] = [cfg.beta1 ?? 0.9, cfg.beta2 ?? 0.999, cfg.epsilon ?? 1e-8, cfg.weight_decay ?? 0.01];
  const m = zerosLike(p);
  const v = zerosLike(p);
  return reference(p, steps, (theta, grad, k, i, t) => {
    const lr = lrOf(t - 1, cfg.learning_rate);
    let param = theta;
    if (p.decay[k]) param = param * (1 - lr * wd);
    m[k][i] = torchLerp(m[k][i], grad, 1 - b1);
    v[k][i] = v[k][i] * b2 + (1 - b2) * grad * grad;
    const stepSize = lr / (1 - Math.pow(b1, t));
    const denom = Math.sqrt(v[k][i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
    return param - stepSize * (m[k][i] / denom);
  });
}

function referenceRmsprop(cfg: RmspropConfig, steps: number, p: Problem = PROBLEM, lrOf: Lr = constant): number[][][] {
  const [alpha, eps, wd, mu] = [cfg.alpha ?? 0.99, cfg.epsilon ?? 1e-8, cfg.weight_decay ?? 0, cfg.momentum ?? 0];
  const squareAvg = zerosLike(p);
  const gradAvg = zerosLike(p);
  const buf = zerosLike(p);
  return reference(p, steps, (theta, grad, k, i, t) => {
    const lr = lrOf(t - 1, cfg.learning_rate);
    const g = p.decay[k] && wd !== 0 ? grad + wd * theta : grad;
    squareAvg[k][i] = squareAvg[k][i] * alpha + (1 - alpha) * g * g;
    let avg: number;
    if (cfg.centered) {
      gradAvg[k][i] = torchLerp(gradAvg[k][i], g, 1 - alpha);
      avg = Math.sqrt(squareAvg[k][i] + -1 * gradAvg[k][i] * gradAvg[k][i]) + eps;
    } else {
      avg = Math.sqrt(squareAvg[k][i]) + eps;
    }
    if (mu > 0) {
      buf[k][i] = buf[k][i] * mu + g / avg;
      return theta - lr * buf[k][i];
    }
    return theta - lr * (g / avg);
  });
}

function referenceAdagrad(cfg: AdagradConfig, steps: number, p: Problem = PROBLEM, lrOf: Lr = constant): number[][][] {
  const [lrDecay, eps, wd] = [cfg.lr_decay ?? 0, cfg.epsilon ?? 1e-10, cfg.weight_decay ?? 0];
  const stateSum = zerosLike(p, cfg.initial_accumulator_value ?? 0);
  return reference(p, steps, (theta, grad, k, i, t) => {
    const g = p.decay[k] && wd !== 0 ? grad + wd * theta : grad;
    const clr = lrOf(t - 1, cfg.learning_rate) / (1 + (t - 1) * lrDecay);
    stateSum[k][i] = stateSum[k][i] + g * g;
    const std = Math.sqrt(stateSum[k][i]) + eps;
    return theta - clr * (g / std);
  });
}

/** A learning rate a schedule might set: halved every two steps. */
const halving: Lr = (s, base) => base * 0.5 ** Math.floor(s / 2);

describe('adamw (torch.optim.AdamW)', () => {
  const cases: [string, AdamWConfig][] = [
    ['defaults (lr 0.001, weight decay 0.01)', { type: 'adamw', learning_rate: 0.001 }],
    ['β1 below 0.5', { type: 'adamw', learning_rate: 0.01, beta1: 0.2 }],
    ['strong decay, other betas', { type: 'adamw', learning_rate: 0.05, weight_decay: 0.5, beta1: 0.8, beta2: 0.95, epsilon: 1e-4 }],
    ['no decay (= adam)', { type: 'adamw', learning_rate: 0.02, weight_decay: 0 }],
  ];
  it.each(cases)('%s matches the scalar transcription of torch', (_name, cfg) => {
    expectHistories(runEngine(cfg, STEPS), referenceAdamW(cfg, STEPS));
  });
  it('follows a learning rate changed between steps', () => {
    const cfg: AdamWConfig = { type: 'adamw', learning_rate: 0.05, weight_decay: 0.2 };
    expectHistories(runEngine(cfg, STEPS, PROBLEM, (s) => halving(s, 0.05)), referenceAdamW(cfg, STEPS, PROBLEM, halving));
  });
  it('first step by hand (θ = 1, g = 2, lr 0.1, wd 0.5): θ·(1 − 0.05) − 0.1·2/(2 + ε) = 0.85', () => {
    const p: Problem = { init: [[1]], c: [[2]], t: [[0]], decay: [true] };
    expect(runEngine({ type: 'adamw', learning_rate: 0.1, weight_decay: 0.5 }, 1, p)[0][0][0]).toBeCloseTo(0.85, 8);
  });
  it('is adam with no weight decay, and differs from adam\'s L2 weight decay', () => {
    const adamW = runEngine({ type: 'adamw', learning_rate: 0.02, weight_decay: 0 }, STEPS);
    expect(adamW).toEqual(runEngine({ type: 'adam', learning_rate: 0.02 }, STEPS));
    const decoupled = runEngine({ type: 'adamw', learning_rate: 0.02, weight_decay: 0.1 }, STEPS);
    const l2 = runEngine({ type: 'adam', learning_rate: 0.02, weight_decay: 0.1 }, STEPS);
    expect(decoupled[STEPS - 1][0]).not.toEqual(l2[STEPS - 1][0]);
  });
});

describe('rmsprop (torch.optim.RMSprop)', () => {
  const cases: [string, RmspropConfig][] = [
    ['defaults (lr 0.01, alpha 0.99)', { type: 'rmsprop', learning_rate: 0.01 }],
    ['centered', { type: 'rmsprop', learning_rate: 0.01, centered: true }],
    ['momentum', { type: 'rmsprop', learning_rate: 0.01, momentum: 0.9, alpha: 0.9 }],
    ['centered with α 0.3 (torch\'s lerp takes its other form)', { type: 'rmsprop', learning_rate: 0.01, alpha: 0.3, centered: true }],
    ['centered + momentum + weight decay', { type: 'rmsprop', learning_rate: 0.005, momentum: 0.5, centered: true, weight_decay: 0.1, epsilon: 1e-6 }],
  ];
  it.each(cases)('%s matches the scalar transcription of torch', (_name, cfg) => {
    expectHistories(runEngine(cfg, STEPS), referenceRmsprop(cfg, STEPS));
  });
  it('follows a learning rate changed between steps', () => {
    const cfg: RmspropConfig = { type: 'rmsprop', learning_rate: 0.01, momentum: 0.9 };
    expectHistories(runEngine(cfg, STEPS, PROBLEM, (s) => halving(s, 0.01)), referenceRmsprop(cfg, STEPS, PROBLEM, halving));
  });
  it('first step by hand (θ = 1, g = 2): s = 0.01·4 = 0.04, θ = 1 − 0.01·2/0.2 = 0.9; centered: √(0.04 − 0.02²)', () => {
    const p: Problem = { init: [[1]], c: [[2]], t: [[0]], decay: [true] };
    expect(runEngine({ type: 'rmsprop', learning_rate: 0.01 }, 1, p)[0][0][0]).toBeCloseTo(0.9, 6);
    expect(runEngine({ type: 'rmsprop', learning_rate: 0.01, centered: true }, 1, p)[0][0][0]).toBeCloseTo(1 - 0.02 / Math.sqrt(0.0396), 6);
  });
});

describe('adagrad (torch.optim.Adagrad)', () => {
  const cases: [string, AdagradConfig][] = [
    ['defaults (lr 0.01)', { type: 'adagrad', learning_rate: 0.01 }],
    ['lr_decay, initial accumulator', { type: 'adagrad', learning_rate: 0.1, lr_decay: 0.5, initial_accumulator_value: 0.1 }],
    ['weight decay, epsilon', { type: 'adagrad', learning_rate: 0.1, weight_decay: 0.3, epsilon: 1e-3 }],
  ];
  it.each(cases)('%s matches the scalar transcription of torch', (_name, cfg) => {
    expectHistories(runEngine(cfg, STEPS), referenceAdagrad(cfg, STEPS));
  });
  it('follows a learning rate changed between steps (lr_decay applies on top)', () => {
    const cfg: AdagradConfig = { type: 'adagrad', learning_rate: 0.1, lr_decay: 0.1 };
    expectHistories(runEngine(cfg, STEPS, PROBLEM, (s) => halving(s, 0.1)), referenceAdagrad(cfg, STEPS, PROBLEM, halving));
  });
  it('two steps by hand (θ = 1, c = 2, lr 0.01, lr_decay 0.5): 0.99, then 0.99 − (0.01/1.5)·1.98/√(4 + 1.98²)', () => {
    const p: Problem = { init: [[1]], c: [[2]], t: [[0]], decay: [true] };
    const h = runEngine({ type: 'adagrad', learning_rate: 0.01, lr_decay: 0.5 }, 2, p).map((s) => s[0][0]);
    expect(h[0]).toBeCloseTo(0.99, 9);
    expect(h[1]).toBeCloseTo(0.99 - (0.01 / 1.5) * (1.98 / Math.sqrt(4 + 1.98 ** 2)), 9);
  });
});

describe('defaults are torch\'s', () => {
  const defaults = (name: keyof typeof optimizers) => Object.fromEntries(Object.entries(optimizers[name].settings).map(([k, s]) => [k, s.default]));
  it('adamw, rmsprop, adagrad', () => {
    expect(defaults('adamw')).toEqual({ learning_rate: 0.001, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(defaults('rmsprop')).toEqual({ learning_rate: 0.01, weight_decay: 0, alpha: 0.99, epsilon: 1e-8, momentum: 0, centered: false });
    expect(defaults('adagrad')).toEqual({ learning_rate: 0.01, weight_decay: 0, lr_decay: 0, initial_accumulator_value: 0, epsilon: 1e-10 });
  });
  it('apply when a setting is left out (adamw decays by 0.01 without weight_decay)', () => {
    expectHistories(runEngine({ type: 'adamw', learning_rate: 0.001 }, STEPS), referenceAdamW({ type: 'adamw', learning_rate: 0.001, weight_decay: 0.01 }, STEPS));
  });
});
