// The optimizer tests' problem: L = ½ Σ_i c_i (θ_i − t_i)² over two parameter arrays ("weights", decayed, and
// "biases", not), and running the engine's optimizer on it. The expected values are each test file's own.

import { expect } from 'vitest';
import { createOptimizer, type OptimizerConfig, type Param } from '../../src/training/optimizers/index.js';

export interface Problem {
  /** initial values, curvatures and targets per parameter array */
  init: number[][];
  c: number[][];
  t: number[][];
  decay: boolean[];
}

export const PROBLEM: Problem = {
  init: [[1.5, -0.75, 0.2], [0.3, -2]],
  c: [[2, 0.5, 10], [1, 3]],
  t: [[0.25, 1, -0.5], [-1, 0.5]],
  decay: [true, false], // weights, biases
};

export const gradOf = (p: Problem, k: number, i: number, theta: number): number => p.c[k][i] * (theta - p.t[k][i]);

/**
 * Runs the engine's optimizer for `steps` steps; returns the parameter values after each step. lrAt(s), when
 * given, sets the learning rate before step s (0-based), as a schedule does between epochs.
 */
export function runEngine(cfg: OptimizerConfig, steps: number, p: Problem = PROBLEM, lrAt?: (s: number) => number): number[][][] {
  const params: Param[] = p.init.map((v, k) => ({ value: Float64Array.from(v), grad: new Float64Array(v.length), decay: p.decay[k] }));
  const opt = createOptimizer(cfg, params);
  const history: number[][][] = [];
  for (let s = 0; s < steps; s++) {
    params.forEach((q, k) => q.value.forEach((theta, i) => (q.grad[i] = gradOf(p, k, i, theta))));
    if (lrAt) opt.learningRate = lrAt(s);
    opt.step();
    history.push(params.map((q) => Array.from(q.value)));
  }
  return history;
}

export function expectHistories(actual: number[][][], expected: number[][][], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((step, s) =>
    step.forEach((arr, k) => arr.forEach((x, i) => expect(x, `step ${s + 1}, array ${k}, index ${i}`).toBeCloseTo(expected[s][k][i], digits))),
  );
}


/** torch.lerp as its CPU kernel computes it (aten/src/ATen/native/Lerp.h): the formula depends on the weight. */
export function torchLerp(start: number, end: number, weight: number): number {
  if (Math.abs(weight) < 0.5) return start + weight * (end - start);
  return end - (end - start) * (1 - weight);
}
