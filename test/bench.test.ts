// The benchmark's workloads stay loadable as the experiments and their checks change (npm test does not run
// the benchmark itself): each makes its data with the shapes issue 11 names, and the experiment file the memory
// benchmark writes for mnist-shape is a valid one that trains what the workload trains.

import { describe, expect, it } from 'vitest';
import { experimentFromObject } from '../src/config/load.js';
import { experiment } from '../bench/memory.js';
import { SEED, WORKLOADS } from '../bench/workloads.js';

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

describe('the memory benchmark', () => {
  it("writes mnist-shape as a valid experiment file with the workload's layers, init, seed, loss, optimizer, batches and epochs", () => {
    const w = WORKLOADS.find((v) => v.name === 'mnist-shape')!;
    const { config } = experimentFromObject(JSON.parse(experiment(w, 'data.csv', w.data())));
    expect(config.model.layers.map((l) => [l.units, l.activation])).toEqual(w.layers.map((l) => [l.units, l.activation]));
    expect([config.seed, config.model.init.scheme, config.loss, config.training.batch_size, config.training.epochs]).toEqual([SEED, w.init, w.loss, w.batchSize, w.epochs]);
    expect(config.training.optimizer).toMatchObject(w.optimizer);
    expect(config.data).toMatchObject({ csv: { path: 'data.csv', target: 'label' } });
  });
});
