// The benchmark's workloads stay loadable as the experiments and their checks change (npm test does not run
// the benchmark itself): each makes its data with the shapes issue 11 names; peers' output merges as the table needs;
// the experiment file the memory benchmark writes for mnist-shape is a valid one that trains what the workload trains.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePeerOutput } from '../bench/peer-results.js';
import { experimentFromObject } from '../src/config/load.js';
import { experiment, peakMemory } from '../bench/memory.js';
import { OPTIMIZER_TYPES, SEED, WORKLOADS, withOptimizer } from '../bench/workloads.js';

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

describe('bench optimizers', () => {
  it('time every workload with plain SGD and with Adam, keeping its own optimizer where it is of that type', () => {
    expect(OPTIMIZER_TYPES).toEqual(['sgd', 'adam']);
    for (const w of WORKLOADS) {
      for (const type of OPTIMIZER_TYPES) {
        const v = withOptimizer(w, type);
        expect(v.optimizer.type, `${w.name} ${type}`).toBe(type);
        expect([v.name, v.layers, v.batchSize, v.epochs], `${w.name} ${type}`).toEqual([w.name, w.layers, w.batchSize, w.epochs]);
        if (w.optimizer.type === type) expect(v).toBe(w);
        else if (type === 'sgd') expect(v.optimizer).toEqual({ type: 'sgd', learning_rate: 0.05 }); // plain: no momentum
      }
    }
  });
});

describe('bench peer output', () => {
  it('merges results, turns skips and short runs into notes, and ignores lines that are not JSON objects', () => {
    const out = [
      'Hi there: a library banner',
      JSON.stringify({ peer: 'tfjs-cpu', workload: 'xor', seconds: [2.1, 2.3, 2.2], loss: 9.4e-5, accuracy: 1 }),
      JSON.stringify({ peer: 'tfjs-cpu', workload: 'mnist-shape', seconds: [17.6], loss: 2.3007, accuracy: 0.1095 }),
      JSON.stringify({ peer: 'tfjs-wasm', skipped: 'no wasm' }),
      JSON.stringify({ peer: 'sklearn', workload: 'digits-deep', skipped: 'ValueError: one activation' }),
      '',
    ].join('\n');
    const { results, notes } = parsePeerOutput(out, 3, 'budget spent');
    expect(results.map((r) => [r.peer, r.workload, r.seconds?.length])).toEqual([['tfjs-cpu', 'xor', 3], ['tfjs-cpu', 'mnist-shape', 1]]);
    expect(notes).toEqual([
      'tfjs-cpu on mnist-shape: 1 of 3 repetitions (budget spent)',
      'tfjs-wasm skipped: no wasm',
      'sklearn on digits-deep skipped: ValueError: one activation',
    ]);
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

  it('measures both ways on xor: train() bundled into a child process, and `mlplab run` of the CSV (same final loss)', async (ctx) => {
    ctx.skip(!existsSync(new URL('../dist/mlplab.cjs', import.meta.url)), 'dist/ is missing: run `npm run build` first');
    const m = await peakMemory(WORKLOADS.find((v) => v.name === 'xor')!);
    expect(m.losses[0]).toBe(m.losses[1]);
    for (const peak of [m.train, m.run]) expect(peak).toBeGreaterThan(10 * 2 ** 20); // a Node process at least
  }, 60_000);
});

describe('the whole-process timing (bench/process-times.cjs)', () => {
  it('times `mlplab run` and `node -e 0`, the environment as is and without NODE_EXTRA_CA_CERTS when set', (ctx) => {
    ctx.skip(!existsSync(new URL('../dist/mlplab.cjs', import.meta.url)), 'dist/ is missing: run `npm run build` first');
    const times = JSON.parse(execFileSync(process.execPath, ['bench/process-times.cjs', 'experiments/xor-softmax.yaml', '2'], { encoding: 'utf8' }));
    expect(times.map((t: { label: string }) => t.label)).toEqual(process.env.NODE_EXTRA_CA_CERTS ? ['as is', 'without NODE_EXTRA_CA_CERTS'] : ['as is']);
    for (const t of times) for (const ms of [...t.run, ...t.node]) expect(ms).toBeGreaterThan(1);
    for (const t of times) expect([t.run.length, t.node.length]).toEqual([2, 2]);
  }, 60_000);
});
