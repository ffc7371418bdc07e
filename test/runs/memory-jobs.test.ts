// The --jobs memory check counts the runs that can be under way at once in the invocation: runs of several files
// go side by side (three one-run files at --jobs 3 were never checked together: each file's run count was the cap),
// and a shard runs only its share (--shard 1/5 of ten runs at --jobs 4 was refused for four runs at once, though it
// runs two). The machine's memory is a stand-in here (node:os totalmem), so the tests need none of it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { loadExperiment, loadPlan, runPlans } from '../../src/index.js';
import { estimateMemory } from '../../src/runner/memory.js';
import { layout } from '../../src/runner/layout.js';
import { DataCache } from '../../src/runner/datacache.js';
import { checkJobsMemory, preparePlan } from '../../src/runner/prepare-plans.js';
import type { MemoryShape } from '../../src/runner/memory.js';
import type { PlannedRun } from '../../src/config/plan.js';
import { removeTemps, ROOT, tempDir } from './spawn.js';
import { userError } from '../data/helpers.js';
import { UserErrors } from '../../src/errors.js';

const machine = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os') & { default: typeof import('node:os') }>();
  const totalmem = () => machine.bytes || os.totalmem();
  return { ...os, totalmem, default: { ...os.default, totalmem } };
});

afterAll(removeTemps);
afterEach(() => void (machine.bytes = 0));

const DIGITS = join(ROOT, 'experiments', 'digits.yaml');
const SHARE = 0.6; // memory.ts: the share of the machine's memory the runs may use

/** The memory n digits runs at once need (memory.ts: the data once, each run's network and buffers, a split per run beyond the first). */
function need(n: number): number {
  const e = estimateMemory(loadExperiment(DIGITS), 1797, 64, 1437); // 1797 rows, 64 features, 80% to train
  return e.data + n * (e.network + e.buffers) + (n - 1) * e.split;
}
/** A machine whose share holds `bytes`. */
const machineFor = (bytes: number) => (machine.bytes = bytes / SHARE);

async function cli(...argv: string[]) {
  let stderr = '';
  const io: Io = { out: () => undefined, err: (t) => void (stderr += t) };
  const code = await main(argv, io);
  return { code, stderr };
}

/** Three one-run files of the digits data (one source), told apart by name. */
function threeFiles(): string[] {
  const dir = tempDir();
  return ['a', 'b', 'c'].map((name) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, [
      `name: ${name}`,
      `data: { csv: { path: ${join(ROOT, 'data', 'digits.csv')}, target: digit }, split: { test: 0.2 }, preprocess: standardize }`,
      'model: { layers: [{ units: 64, activation: relu }, { units: 10, activation: softmax }] }',
      'loss: cross_entropy',
      'training: { epochs: 1, batch_size: 32, optimizer: { type: adam } }',
      '',
    ].join('\n'));
    return file;
  });
}

describe('the runs under way at once', () => {
  it('three one-run files at --jobs 3 are checked together, on the command and in runPlans, and nothing is written', async () => {
    const files = threeFiles();
    machineFor((need(2) + need(3)) / 2);
    const out = join(tempDir(), 'out');
    const r = await cli('run', ...files, '--out', out, '--jobs', '3');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^.*a\.yaml:\d+:\d+: model\.layers: 3 runs at once \(--jobs 3\) would need about 31\.\d MB of memory, each about 9\.\d+ MB besides the data they share .*: use fewer --jobs, /);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(out)).toBe(false);
    const rejected = await runPlans(files.map((f) => loadPlan(f)), { out, jobs: 3 }).then(() => 'ran', (e: Error) => e);
    expect(rejected).toBeInstanceOf(UserErrors); // as every refusal before training (guide 9); it was a bare UserError
    expect(r.stderr).toContain((rejected as UserErrors).message);
    expect(existsSync(out)).toBe(false);
  });

  it('a shard is checked for the runs it runs: --shard 1/5 of ten at --jobs 4 is two runs at once', async () => {
    machineFor((need(2) + need(3)) / 2);
    const out = join(tempDir(), 'out');
    const all = await cli('run', DIGITS, '--set', 'training.epochs=1', '--out', out, '--jobs', '4');
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/digits\.yaml:\d+:\d+: model\.layers: 4 runs at once \(--jobs 4\) would need about/);
    const shard = await cli('run', DIGITS, '--set', 'training.epochs=1', '--out', out, '--jobs', '4', '--shard', '1/5', '--quiet');
    expect(shard).toEqual({ code: 0, stderr: '' });
    // and the same shard of one more run at once is refused, with the runs at once counted and --jobs as given
    machineFor((need(1) + need(2)) / 2);
    const over = await cli('run', DIGITS, '--set', 'training.epochs=1', '--out', join(tempDir(), 'out'), '--jobs', '4', '--shard', '2/5');
    expect(over.stderr).toMatch(/2 runs at once \(--jobs 4\) would need about/);
  });
});

describe('checkJobsMemory', () => {
  /** The tasks and data shapes of these files, as the run command has them. */
  function prepared(files: string[], set: string[][]) {
    const data = new DataCache();
    const shapes = new Map<PlannedRun, MemoryShape>();
    const plans = files.map((f, k) => loadPlan(f, { set: set[k] }));
    for (const plan of plans) preparePlan(plan, data, new Map(), shapes);
    return { tasks: layout(plans, tempDir()), shapes };
  }

  it('runs of other sizes count as they are: a large run beside a small one is not two large ones', () => {
    const [a, b] = threeFiles();
    const wide = 'model.layers=[{units: 2048, activation: relu}, {units: 10, activation: softmax}]';
    const { tasks, shapes } = prepared([a, b], [[wide], []]);
    const large = estimateMemory(tasks[0].run.exp, 1797, 64, 1437);
    const small = estimateMemory(tasks[1].run.exp, 1797, 64, 1437);
    const both = large.data + large.network + large.buffers + small.network + small.buffers + small.split;
    expect(() => checkJobsMemory(tasks, 2, shapes, both)).not.toThrow();
    const error = userError(() => checkJobsMemory(tasks, 2, shapes, both - 1));
    expect(error.message).toMatch(/^2 runs at once \(--jobs 2\) would need about .* of memory, the largest about .* besides the data/);
    expect(error.place.file).toBe(a);
    // one at a time: each was checked alone as it was prepared
    expect(() => checkJobsMemory(tasks, 1, shapes, 1)).not.toThrow();
  });

  it('runs of one source share its read and parsed copies: two files of the digits CSV (other seeds) at --jobs 2', () => {
    const [a, b] = threeFiles();
    const { tasks, shapes } = prepared([a, b], [[], ['seed=5']]);
    expect(() => checkJobsMemory(tasks, 2, shapes, need(2))).not.toThrow();
    expect(() => checkJobsMemory(tasks, 2, shapes, need(2) - 1)).toThrow(/2 runs at once \(--jobs 2\) would need about .* each about/);
  });
});
