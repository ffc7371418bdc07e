// A run whose training batch does not fit the kernels' memory trains it in row chunks from end to end (the
// session takes memory.ts's chunkRows): with the kernels' memory a run may use made small (heapBudgetForTests), a
// full batch of 240 rows goes in chunks of 37, and the run writes the files of the run trained in one pass, byte
// for byte (run.json's times aside), in less of the kernels' memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadExperiment, runExperiment } from '../../src/index.js';
import { wasmKernels } from '../../src/kernels/index.js';
import { prepare } from '../../src/runner/prepare.js';
import { estimateMemory, heapBudgetForTests, trainingChunkRows } from '../../src/runner/memory.js';
import { tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-chunked-run');

const EXPERIMENT = `name: moons-full
data: { generate: { kind: moons, samples: 300, noise: 0.2 }, split: { test: 0.2 }, preprocess: standardize }
model: { layers: [{ units: 12, activation: relu }, { units: 6, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 40, batch_size: full, optimizer: { type: adam, learning_rate: 0.02 }, clip_grad_norm: 1 }
log: { every: 5 }
`;

const files = (dir: string) =>
  Object.fromEntries(['loss.csv', 'model.json', 'config.json', 'run.json'].map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    return [f, f === 'run.json' ? JSON.stringify({ ...JSON.parse(text), started: 0, ended: 0, duration_ms: 0 }) : text];
  }));

afterEach(() => void delete heapBudgetForTests.bytes);

describe('a run in row chunks, end to end', () => {
  it('chunks of 37 rows of a full batch of 240: the files of one pass', async () => {
    const dir = tempDir();
    const file = join(dir, 'moons.yaml');
    writeFileSync(file, EXPERIMENT);
    const exp = loadExperiment(file);
    const { data } = prepare(exp);
    expect(data.train.x.rows).toBe(240);
    expect(trainingChunkRows(exp, data)).toBe(240); // fits: one pass
    // The kernels' memory a run took at most: less by the 203 rows' training arrays when in chunks (it did chunk).
    const heap = wasmKernels()!.heap();
    const peakOf = async (run: () => Promise<unknown>) => {
      const before = heap.inUse();
      heap.resetPeak();
      await run();
      return heap.peak() - before;
    };
    let whole!: Awaited<ReturnType<typeof runExperiment>>;
    const wholePeak = await peakOf(async () => (whole = await runExperiment(exp, { outDir: join(dir, 'whole') })));

    const e = estimateMemory(exp, 300, 2, 240);
    heapBudgetForTests.bytes = e.heap.fixed + 37.5 * e.heap.perRow;
    expect(trainingChunkRows(exp, data)).toBe(37);
    let chunked!: Awaited<ReturnType<typeof runExperiment>>;
    const chunkedPeak = await peakOf(async () => (chunked = await runExperiment(loadExperiment(file), { outDir: join(dir, 'chunked') })));
    expect(wholePeak - chunkedPeak).toBeGreaterThanOrEqual(0.9 * (240 - 37) * e.heap.perRow);
    expect(chunked.run.status).toBe('completed');
    expect(chunked.run.final).toEqual(whole.run.final);
    expect(files(join(dir, 'chunked'))).toEqual(files(join(dir, 'whole')));
  });
});
