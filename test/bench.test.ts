// The benchmark's workloads stay loadable as the experiments and their checks change (npm test does not run
// the benchmark itself): each makes its data with the shapes issue 11 names.

import { describe, expect, it } from 'vitest';
import { WORKLOADS } from '../bench/workloads.js';

const SHAPES: Record<string, [rows: number, inputs: number, outputs: number]> = {
  xor: [4, 2, 2],
  digits: [1797, 64, 10],
  'digits-deep': [1797, 64, 10],
  'mnist-shape': [10_000, 784, 10],
  regression: [20_000, 8, 1],
};

describe('bench workloads', () => {
  it('are the five of issue 11, each with its data', () => {
    expect(WORKLOADS.map((w) => w.name)).toEqual(Object.keys(SHAPES));
    for (const w of WORKLOADS) {
      const { x, y } = w.data();
      expect([x.rows, x.cols, y.cols], w.name).toEqual(SHAPES[w.name]);
      expect(w.layers[w.layers.length - 1].units, w.name).toBe(y.cols);
    }
  });
});
