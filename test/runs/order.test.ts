// --jobs starts the dearest runs first (runner/order.ts): the estimate, the order (ties keep the grid's), and a
// sweep on the worker taking its runs in that order while writing what a serial run writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, loadPlan, runPlans } from '../../src/index.js';
import { dearestFirst, trainingCost } from '../../src/runner/order.js';
import { executeTasks, tasksOf } from '../../src/runner/execute.js';
import { workersOnlyForTests } from '../../src/runner/pool.js';
import { DataCache } from '../../src/runner/datacache.js';
import { dataRequest } from '../../src/runner/prepare.js';
import { loadData } from '../../src/data/load.js';
import { tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-order');

const SWEEP = `name: order
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } }
model: { layers: [{ units: 2, activation: tanh }, { units: 1, activation: linear }] }
loss: mse
training: { epochs: 6, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.1 } }
sweep:
  model.layers[0].units: [2, 9, 4]
  seed: [1, 2]
`;

describe('serial runs', () => {
  it('are reported in the grid\'s order, also when one fails at once while the one before still writes its files', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.yaml');
    writeFileSync(file, `name: mixed
data: { generate: { kind: moons, samples: 200 } }
model: { layers: [{ units: 3, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 30, batch_size: 8, optimizer: { type: adam } }
sweep:
  data.generate.samples: [200, 1000000000000]
  model.layers[0].units: [3, 7]
`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const reported: string[] = [];
      // NOTE: executeTasks, not runPlans: runPlans (as `mlplab run`) refuses the plan up front (its memory check), and
      // a run failing at once when it starts is what this is about (a file gone since, a check only a run can make).
      await executeTasks(tasksOf([loadPlan(file)], join(dir, `out${attempt}`)), { onFinished: (f) => reported.push(f.task.outDir.split('/').pop()!) });
      expect(reported).toEqual(['samples=200,units=3', 'samples=200,units=7', 'samples=1000000000000,units=3', 'samples=1000000000000,units=7']);
    }
  });
});

describe('dearest first', () => {
  it('trainingCost: epochs × rows × Σ inputs·units', () => {
    const dir = tempDir();
    const file = join(dir, 'one.yaml');
    writeFileSync(file, SWEEP.replace(/sweep:[^]*$/, ''));
    const exp = loadExperiment(file);
    expect(trainingCost(exp, { rows: 4, inputs: 2 })).toBe(6 * 4 * (2 * 2 + 2 * 1));
    expect(trainingCost(exp, undefined)).toBe(6 * (1 * 2 + 2 * 1));
  });

  it("the data cache knows a split's training shape after letting it go (a single run's data put there too)", () => {
    const dir = tempDir();
    const file = join(dir, 'one.yaml');
    writeFileSync(file, SWEEP.replace(/sweep:[^]*$/, '').replace(/data: .*/, 'data: { generate: { kind: moons, samples: 50 }, split: { test: 0.2 } }'));
    const cache = new DataCache(1); // a byte: every split but the last is let go
    const a = dataRequest(loadExperiment(file, { seed: 1 }));
    const b = dataRequest(loadExperiment(file, { seed: 2 }));
    cache.put(a.spec, a.ctx, loadData(a.spec, a.ctx));
    cache.data(b.spec, b.ctx);
    expect(cache.trainShape(a.spec, a.ctx)).toEqual({ rows: 40, inputs: 2 });
    expect(cache.trainShape(b.spec, b.ctx)).toEqual({ rows: 40, inputs: 2 });
  });

  it('dearestFirst: by cost, descending; equal costs keep their order', () => {
    const items = ['a1', 'b3', 'c2', 'd3', 'e1'];
    expect(dearestFirst(items, (s) => Number(s[1]))).toEqual(['b3', 'd3', 'c2', 'a1', 'e1']);
    expect(dearestFirst([], () => 0)).toEqual([]);
  });

  it('--jobs 2 (every run on the worker): the runs start dearest first, and the files are the serial run\'s', async () => {
    const dir = tempDir();
    const file = join(dir, 'order.yaml');
    writeFileSync(file, SWEEP);
    const serialOut = join(dir, 'serial');
    await runPlans([loadPlan(file)], { out: serialOut });
    const started: string[] = [];
    Object.assign(workersOnlyForTests, { on: true, answered: 0 });
    try {
      const out = join(dir, 'jobs');
      await runPlans([loadPlan(file)], { out, jobs: 2, onStart: (t) => started.push(t.outDir.slice(out.length + 1)) });
      expect(workersOnlyForTests.answered).toBe(6);
      expect(started).toEqual(['order/units=9,seed=1', 'order/units=9,seed=2', 'order/units=4,seed=1', 'order/units=4,seed=2', 'order/units=2,seed=1', 'order/units=2,seed=2']);
      const table = (root: string) => readFileSync(join(root, 'order', 'summary.csv'), 'utf8').replace(/,\d+\n/g, ',0\n'); // less duration_ms
      expect(table(out)).toBe(table(serialOut));
      expect(table(out).split('\n')[1]).toMatch(/^"units=2,seed=1"/); // the summary in the grid's order
      for (const name of ['units=2,seed=1', 'units=9,seed=2']) {
        expect(readFileSync(join(out, 'order', name, 'loss.csv'), 'utf8')).toBe(readFileSync(join(serialOut, 'order', name, 'loss.csv'), 'utf8'));
        expect(readFileSync(join(out, 'order', name, 'model.json'), 'utf8')).toBe(readFileSync(join(serialOut, 'order', name, 'model.json'), 'utf8'));
      }
    } finally {
      Object.assign(workersOnlyForTests, { on: false, answered: 0 });
    }
  });
});
