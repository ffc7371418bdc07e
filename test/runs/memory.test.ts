// Memory that the user's choices cannot break (issue 22): a run whose arrays would not fit in the wasm kernels'
// memory (2 GiB at most, whatever the machine has) is refused up front with the estimate and the key to change
// (exit 1, never an internal error); the machine's share is divided among --jobs runs; the estimate is an upper
// bound of what a run really takes there; and a sweep's runs in one process give their arrays back, so the
// memory stays at one run's size.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { loadExperiment, runExperiment, trainExperiment } from '../../src/index.js';
import { wasmKernels } from '../../src/kernels/index.js';
import { checkMemory, checkRunsAtOnce, estimateMemory } from '../../src/runner/memory.js';
import { removeTemps, ROOT, tempDir } from './spawn.js';
import { userError } from '../data/helpers.js';

afterAll(removeTemps);

const DIGITS = join(ROOT, 'experiments', 'digits.yaml');

async function cli(...argv: string[]) {
  let stderr = '';
  const io: Io = { out: () => undefined, err: (t) => void (stderr += t) };
  const code = await main(argv, io);
  return { code, stderr };
}

describe('the kernels’ memory limit', () => {
  // The case: batch_size full on 60,000 rows through two 2048-unit layers ended in exit 3
  // (WebAssembly.Memory.grow(): Maximum memory size exceeded) after minutes of evaluating epoch 0. Without dropout
  // it now trains in row chunks (test/training/chunked.test.ts); with dropout, whose masks are drawn over the whole
  // batch, it is refused up front.
  const dir = tempDir();
  const file = join(dir, 'big.yaml');
  writeFileSync(file, [
    'data: { generate: { kind: blobs, samples: 60000, classes: 10 } }',
    'model:',
    '  layers: [{ units: 2048, activation: relu, dropout: 0.1 }, { units: 2048, activation: relu }, { units: 10, activation: softmax }]',
    'loss: cross_entropy',
    'training: { epochs: 1, batch_size: full, optimizer: { type: adam } }',
    '',
  ].join('\n'));

  for (const jobs of [[], ['--jobs', '2', '--sweep', 'seed=0,1']]) {
    it(`a full batch of 60,000 rows through two 2048-unit layers with dropout is refused up front, exit 1 ${jobs.join(' ')}`, async () => {
      const out = join(dir, `out${jobs.length}`);
      const r = await cli('run', file, '--out', out, ...jobs);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      // ≈ 60,000 rows × (4 arrays × 4,106 units + 2 × 2,048 of dropout + inputs and targets) × 8 bytes.
      expect(r.stderr).toMatch(/big\.yaml:\d+:\d+: training\.batch_size: this run's arrays in the kernels' memory would take about 10\.\d+ GB \(9\.\d+ GB for its training batches/);
      const most = Number(/a batch with dropout is not trained in row chunks: set training\.batch_size to (\d+) or less/.exec(r.stderr)?.[1]);
      expect(most).toBeGreaterThan(5000);
      expect(most).toBeLessThan(15000);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('the largest batch_size the refusal names is accepted, and one more is refused with the same number', async () => {
    // It named the most of a generated set's estimate made before the set is drawn, with one input a row (9978 here),
    // and that batch_size was refused once the two inputs were known ('set training.batch_size to 9974 or less').
    const r = await cli('validate', file);
    const most = Number(/set training\.batch_size to (\d+) or less/.exec(r.stderr)?.[1]);
    expect(await cli('validate', file, '--set', `training.batch_size=${most}`)).toEqual({ code: 0, stderr: '' });
    const over = await cli('validate', file, '--set', `training.batch_size=${most + 1}`);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`set training.batch_size to ${most} or less`);
  });

  it('a full batch of a generated set is the training rows its split leaves, not all its rows', async () => {
    // 60,000 rows, 48,000 of them to train: a full batch of 48,000 with dropout fits (1.73 GB), 60,000 would not
    // (2.17 GB). It was refused before the set was drawn, as if every row trained.
    const split = join(dir, 'split.yaml');
    writeFileSync(split, [
      'data: { generate: { kind: blobs, samples: 60000, classes: 2 }, split: { test: 0.2 } }',
      'model: { layers: [{ units: 750, activation: relu, dropout: 0.1 }, { units: 2, activation: softmax }] }',
      'loss: cross_entropy',
      'training: { epochs: 1, batch_size: full, optimizer: { type: adam } }',
      '',
    ].join('\n'));
    expect(await cli('validate', split)).toEqual({ code: 0, stderr: '' });
    expect((await cli('validate', split, '--set', 'data.split.test=0.05')).stderr).toMatch(/split\.yaml:\d+:\d+: training\.batch_size: .* a batch with dropout is not trained in row chunks/);
  });

  it('a network too large for any batch names model.layers', () => {
    const exp = loadExperiment(DIGITS, { set: ['model.layers=[{units: 20000, activation: relu}, {units: 5000, activation: relu}, {units: 10, activation: softmax}]'] });
    const error = userError(() => checkMemory(exp, 1797, 64, { trainRows: 1437, budget: Infinity }));
    expect(error.format()).toMatch(/digits\.yaml:\d+:\d+: model\.layers: this run's arrays in the kernels' memory would take about 5\.\d+ GB .*: use fewer or smaller layers in model\.layers$/);
  });
});

describe('--jobs and the machine’s memory', () => {
  it('N runs at once are refused where one fits, with the total and --jobs in the message', () => {
    const exp = loadExperiment(DIGITS);
    const total = estimateMemory(exp, 1797, 64, 1437).total;
    const budget = 1.5 * total;
    const runs = Array.from({ length: 2 }, () => ({ exp, shape: { rows: 1797, inputs: 64, trainRows: 1437 }, source: 'digits' }));
    expect(() => checkMemory(exp, 1797, 64, { budget, trainRows: 1437 })).not.toThrow();
    expect(userError(() => checkRunsAtOnce(runs, 2, budget)).message).toMatch(/^2 runs at once \(--jobs 2\) would need about .* of memory, each about .*: use fewer --jobs/);
  });
});

describe('what a run takes in the kernels’ memory', () => {
  const heap = wasmKernels()!.heap();
  const cases: string[][] = [
    [],
    ['training.batch_size=full'],
    ['training.batch_size=full', 'training.optimizer={type: rmsprop, centered: true, momentum: 0.9}',
      'model.layers=[{units: 512, activation: tanh, dropout: 0.5}, {units: 256, activation: relu, dropout: 0.2}, {units: 10, activation: softmax}]'],
    ['training.batch_size=100', 'training.optimizer={type: sgd}', 'model.layers=[{units: 1024, activation: relu}, {units: 10, activation: softmax}]'],
  ];
  for (const set of cases) {
    it(`is at most the estimate: ${set.join(' ') || 'digits.yaml'}`, () => {
      const exp = loadExperiment(DIGITS, { set: ['training.epochs=1', ...set] });
      const before = heap.inUse();
      heap.resetPeak();
      trainExperiment(exp);
      const taken = heap.peak() - before;
      const estimate = estimateMemory(exp, 1797, 64, 1437).heap.total; // digits: 1797 rows, 64 features, 80% to train
      expect(taken).toBeLessThanOrEqual(estimate);
      expect(estimate).toBeLessThan(3 * taken + 3e6); // and not far above it (the fixed part: staging blocks)
    });
  }
});

describe('a sweep in one process', () => {
  it('gives each run’s arrays back: eight runs take the memory of one, and leave nothing of theirs in use', async () => {
    const heap = wasmKernels()!.heap();
    const out = tempDir();
    const run = (seed: number) => runExperiment(loadExperiment(DIGITS, { seed, set: ['training.epochs=1'] }), { outDir: join(out, `s${seed}`) });
    await run(0);
    trainExperiment(loadExperiment(DIGITS, { set: ['training.epochs=1'] }));
    const size = heap.memory.buffer.byteLength;
    const inUse = heap.inUse(); // the kernels' own scratch blocks, kept from the first run
    for (let seed = 1; seed < 8; seed++) {
      await run(seed);
      trainExperiment(loadExperiment(DIGITS, { seed, set: ['training.epochs=1'] }));
      // NOTE: a thread pool started again after a rest keeps a 128-byte control block until it is collected.
      expect(heap.inUse() - inUse).toBeLessThanOrEqual(seed * 128);
    }
    expect(heap.memory.buffer.byteLength).toBe(size);
  });
});
