// Data once per invocation (runner/datacache.ts): a sweep's CSV file is read, hashed and parsed once, and split
// and scaled once per distinct seed, however many runs use it and whichever thread trains them, counted by the
// data layer's own counter (data/load.ts countDataWork: sources read, splits made, worker runs that took the main
// thread's data). Workers get the data in shared memory, not a copy, and every run records the bytes first read.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workersOnlyForTests } from '../../src/runner/pool.js';
import { countDataWork, dataKeys, loadData } from '../../src/data/load.js';
import { DataCache } from '../../src/runner/datacache.js';
import { checkRunsAtOnce, estimateMemory } from '../../src/runner/memory.js';
import { dataRequest } from '../../src/runner/prepare.js';
import { loadExperiment, loadPlan, runPlans } from '../../src/index.js';
import { cli, tempDirs } from '../helpers/cli.js';
import { userError } from '../data/helpers.js';

const tempDir = tempDirs('mlplab-data-once');

/** A CSV of 240 rows (3 features, classes a/b/c) and a 6-run sweep over it: 3 learning rates × seeds 0 and 1. */
function sweepFile(epochs = 1000): string {
  const dir = tempDir();
  const rows = Array.from({ length: 240 }, (_, i) => {
    const x = [Math.sin(i), Math.cos(3 * i), ((i * 7) % 11) / 11];
    const label = x[0] + x[1] > 0.5 ? 'a' : x[2] > 0.5 ? 'b' : 'c';
    return `${x.map((v) => v.toFixed(6)).join(',')},${label}`;
  });
  writeFileSync(join(dir, 'rows.csv'), ['f1,f2,f3,label', ...rows].join('\n') + '\n');
  const file = join(dir, 'sweep.yaml');
  writeFileSync(
    file,
    `name: once
seed: 0
data: { csv: { path: rows.csv, target: label }, split: { test: 0.25 }, preprocess: standardize }
model: { layers: [{ units: 16, activation: tanh }, { units: 3, activation: softmax }] }
loss: cross_entropy
training: { epochs: ${epochs}, batch_size: 4, optimizer: { type: sgd, learning_rate: 0.05 } }
sweep:
  training.optimizer.learning_rate: [0.01, 0.03, 0.1]
  seed: [0, 1]
`,
  );
  return file;
}

/** Counts the data layer's work while `work` runs: [sources read, splits made, worker runs given data]. */
async function counted(work: () => Promise<unknown>): Promise<number[]> {
  const counts = new Int32Array(new SharedArrayBuffer(12));
  countDataWork(counts);
  try {
    await work();
  } finally {
    countDataWork(undefined);
  }
  return [...counts];
}

afterEach(() => countDataWork(undefined));

describe('a 6-run sweep over one CSV with 2 seeds', () => {
  it('serially: one read and parse, two splits (validation and training included)', async () => {
    const file = sweepFile(5);
    const out = join(tempDir(), 'out');
    let code = -1;
    const counts = await counted(async () => void ({ code } = await cli('run', file, '--out', out, '--quiet')));
    expect(code).toBe(0);
    expect(counts).toEqual([1, 2, 0]);
  });

  it('with --jobs 2: one read and parse, two splits; the worker trains from the main thread’s data, identical files', async () => {
    const file = sweepFile(20);
    const [serial, pooled] = [join(tempDir(), 'serial'), join(tempDir(), 'pooled')];
    await cli('run', file, '--out', serial, '--quiet');
    let code = -1;
    // Every run on the worker (pool.ts workersOnlyForTests): whether a worker starts otherwise depends on how fast the runs are.
    Object.assign(workersOnlyForTests, { on: true, answered: 0 });
    let counts: number[];
    try {
      counts = await counted(async () => void ({ code } = await cli('run', file, '--out', pooled, '--quiet', '--jobs', '2')));
      expect(workersOnlyForTests.answered, 'runs the worker answered').toBe(6);
    } finally {
      Object.assign(workersOnlyForTests, { on: false, answered: 0 });
    }
    expect(code).toBe(0);
    expect(counts.slice(0, 2)).toEqual([1, 2]);
    expect(counts[2], 'runs a worker trained from shared data').toBeGreaterThan(0);
    for (const id of ['learning_rate=0.01,seed=0', 'learning_rate=0.1,seed=1']) {
      for (const name of ['loss.csv', 'model.json']) {
        expect(readFileSync(join(pooled, 'once', id, name), 'utf8'), `${id}/${name}`).toBe(readFileSync(join(serial, 'once', id, name), 'utf8'));
      }
    }
  });

  it('through the library (runPlans, no validation first), serially and with jobs 2: one read, two splits', async () => {
    for (const jobs of [1, 2]) {
      const file = sweepFile(5);
      const counts = await counted(() => runPlans([loadPlan(file)], { out: join(tempDir(), 'out'), jobs }));
      expect(counts.slice(0, 2), `jobs ${jobs}`).toEqual([1, 2]);
    }
  });

  it('two single-run files of one data set and seed (runPlans and mlplab run): one read, one split, the same files as run alone', async () => {
    const file = sweepFile(5);
    const text = readFileSync(file, 'utf8').replace(/\nsweep:[\s\S]*$/, '\n');
    const [a, b] = ['a', 'b'].map((name) => {
      const f = join(dirname(file), `${name}.yaml`);
      writeFileSync(f, text.replace('name: once', `name: ${name}`));
      return f;
    });
    const both = join(tempDir(), 'out');
    expect(await counted(() => runPlans([loadPlan(a), loadPlan(b)], { out: both }))).toEqual([1, 1, 0]);
    expect((await counted(() => cli('run', a, b, '--out', join(tempDir(), 'cli'), '--quiet'))).slice(0, 2)).toEqual([1, 1]);
    const alone = join(tempDir(), 'alone');
    await runPlans([loadPlan(b)], { out: alone });
    for (const name of ['loss.csv', 'model.json']) expect(readFileSync(join(both, 'b', name), 'utf8'), name).toBe(readFileSync(join(alone, 'b', name), 'utf8'));
  });
});

describe('the cache', () => {
  it('gives the data loadData makes, the same arrays to every run of a key, in shared memory', () => {
    const exp = loadExperiment(sweepFile());
    const { spec, ctx } = dataRequest(exp);
    const cache = new DataCache();
    const a = cache.data(spec, ctx);
    expect(cache.data(spec, ctx)).toBe(a);
    const fresh = loadData(spec, ctx);
    for (const part of ['train', 'test'] as const) {
      expect(a[part]!.x.data).toEqual(fresh[part]!.x.data);
      expect(a[part]!.y.data).toEqual(fresh[part]!.y.data);
      expect(a[part]!.x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect(a.read).toEqual(fresh.read);
    expect(a.scaler).toEqual(fresh.scaler);
  });

  it('a worker’s cache takes what it is given without reading, its arrays the same memory after a structured clone', async () => {
    const exp = loadExperiment(sweepFile());
    const { spec, ctx } = dataRequest(exp);
    const main = new DataCache();
    const made = main.data(spec, ctx);
    const worker = new DataCache(0, structuredClone(main.shared()));
    const counts = await counted(async () => {
      const given = worker.data(spec, ctx);
      given.train.x.data[0] += 1; // the same memory: seen by the main thread's copy
    });
    expect(counts).toEqual([0, 0, 1]);
    expect(made.train.x.data[0]).toBe(loadData(spec, ctx).train.x.data[0] + 1);
  });

  it('keeps the file as first read for every later run, though the file changes', () => {
    const file = sweepFile();
    const exp = loadExperiment(file);
    const { spec, ctx } = dataRequest(exp);
    const cache = new DataCache();
    const first = cache.data(spec, ctx);
    const csv = join(file, '..', 'rows.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('f1,', 'g1,'));
    const later = cache.data(spec, { ...ctx, seed: 1 });
    expect(later.featureNames).toEqual(['f1', 'f2', 'f3']);
    expect(later.read).toEqual(first.read);
  });

  it('lets the least recently used split go past its budget and makes it again from the source kept, not the file', async () => {
    const exp = loadExperiment(sweepFile());
    const { spec, ctx } = dataRequest(exp);
    const cache = new DataCache(1); // a byte: only the last split made is kept
    const counts = await counted(async () => {
      const a = cache.data(spec, ctx);
      cache.data(spec, { ...ctx, seed: 1 });
      const again = cache.data(spec, ctx);
      expect(again).not.toBe(a);
      expect(again.train.x.data).toEqual(a.train.x.data);
    });
    expect(counts).toEqual([1, 3, 0]);
  });
});

describe('the memory estimate of runs at once', () => {
  it('counts their shared data once, and the rest and a split of their own (other seeds split anew) once per run', () => {
    const exp = loadExperiment(sweepFile());
    const e = estimateMemory(exp, 240, 3, 180);
    const own = e.network + e.buffers;
    expect(e.split * 3).toBe(e.data);
    const runs = Array.from({ length: 3 }, () => ({ exp, shape: { rows: 240, inputs: 3, trainRows: 180 }, source: 'one' }));
    expect(() => checkRunsAtOnce(runs, 3, e.data + 3 * own + 2 * e.split)).not.toThrow();
    const refused = userError(() => checkRunsAtOnce(runs, 3, e.data + 3 * own + 2 * e.split - 1));
    expect(refused.message).toMatch(/^3 runs at once \(--jobs 3\) would need about .* of memory, each about .* besides the data they share \(data /);
  });
});

describe('sharing with workers', () => {
  it('makes before the workers start only the data not made yet: a split let go under the budget is left to them', async () => {
    const exp = loadExperiment(sweepFile());
    const { spec, ctx } = dataRequest(exp);
    const cache = new DataCache(1);
    cache.data(spec, ctx);
    cache.data(spec, { ...ctx, seed: 1 }); // seed 0's split let go
    const counts = await counted(async () => {
      cache.prepare(spec, ctx);
      cache.prepare(spec, { ...ctx, seed: 1 });
    });
    expect(counts).toEqual([0, 0, 0]);
    const shared = cache.shared();
    expect(shared.splits.map(([key]) => key)).toEqual([dataKeys(spec, { ...ctx, seed: 1 }).split]);
    expect(shared.sources).toHaveLength(1); // a worker splits seed 0 from it, reading no file
    const worker = new DataCache(0, structuredClone(shared));
    const again = await counted(async () => void worker.data(spec, ctx));
    expect(again).toEqual([0, 1, 0]);
  });
});
