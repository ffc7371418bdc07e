// The network a single run's plan is prepared with (prepare-plans.ts: kept for the run, so its data are not made
// twice) takes nothing of the kernels' memory. It was allocated there and never given back (only a sweep's were):
// each runPlans call of a one-run plan left its network in use (digits: 38 kB a call, without bound), and the CLI
// held every file's network there at once before the first run trained, so six files whose runs each fit alone
// (two 5500-unit layers, Adam) ended in an internal error, exit 3 ('the wasm kernels' memory cannot hold 242000000
// more bytes'), where each file alone trains.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment, loadPlan, prepare, runPlans, type PlannedRun, type Prepared } from '../../src/index.js';
import { wasmKernels } from '../../src/kernels/index.js';
import { DataCache } from '../../src/runner/datacache.js';
import { preparePlan } from '../../src/runner/prepare-plans.js';
import { removeTemps, tempDir } from './spawn.js';

afterAll(removeTemps);

const hasWasm = wasmKernels() !== null;

/** A one-run experiment whose network takes about 12 kB (256 hidden units). */
function experiment(dir: string): string {
  const file = join(dir, 'wide.yaml');
  writeFileSync(file, [
    'name: wide',
    'data: { generate: { kind: blobs, samples: 40, classes: 3 } }',
    'model: { layers: [{ units: 256, activation: relu }, { units: 3, activation: softmax }] }',
    'loss: cross_entropy',
    'training: { epochs: 2, batch_size: 8, optimizer: { type: adam } }',
    '',
  ].join('\n'));
  return file;
}

const NETWORK_BYTES = 8 * (2 * 256 + 256 + 256 * 3 + 3);

describe.runIf(hasWasm)('a single run’s prepared network and the kernels’ memory', () => {
  it('preparing a one-run plan leaves the kernels’ memory as it was, the network kept with its values', () => {
    const heap = wasmKernels()!.heap();
    const file = experiment(tempDir());
    const expected = prepare(loadExperiment(file)).network;
    const before = heap.inUse();
    const prepared = new Map<PlannedRun, Prepared>();
    for (let k = 0; k < 5; k++) preparePlan(loadPlan(file), new DataCache(), prepared);
    expect(heap.inUse() - before).toBeLessThan(NETWORK_BYTES);
    for (const p of prepared.values()) {
      expect(p.network.layers.map((l) => [Array.from(l.w), Array.from(l.b)])).toEqual(expected.layers.map((l) => [Array.from(l.w), Array.from(l.b)]));
    }
  });

  it('runPlans called again and again with a one-run plan: the memory in use does not grow', async () => {
    const heap = wasmKernels()!.heap();
    const dir = tempDir();
    const file = experiment(dir);
    const once = (k: number) => runPlans([loadPlan(file, { seed: k })], { out: join(dir, `out${k}`) });
    await once(0);
    const inUse = heap.inUse(); // the kernels' own scratch blocks, kept from the first run
    for (let k = 1; k <= 20; k++) {
      const [f] = await once(k);
      expect('run' in f && f.run.status).toBe('completed');
    }
    // NOTE: a thread pool started again after a rest keeps a 128-byte control block until it is collected.
    expect(heap.inUse() - inUse).toBeLessThanOrEqual(20 * 128);
  });
});
