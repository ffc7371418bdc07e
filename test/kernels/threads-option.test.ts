// --threads N: the same bytes as --threads 1 on digits with batches of 256 (its 256×64×64 products reach the
// 2^20 multiply-adds from which products are split), in this thread and on --jobs workers; bad values are usage
// errors naming the option; it overrides MLPLAB_THREADS; auto is one thread per core. MLPLAB_THREADS takes what
// --threads takes, by the same rule (it took 1e1, as Number reads it, and refused auto), its errors naming it.

import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { threadsOption } from '../../src/commands/command.js';
import { setKernelThreads, wasmKernels } from '../../src/kernels/index.js';
import { cli, tempDirs } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIGITS = join(ROOT, 'experiments/digits.yaml');
const XOR = join(ROOT, 'experiments/xor-softmax.yaml');
const tempDir = tempDirs('mlplab-threads');
const SMALL = ['--set', 'training.epochs=3', '--set', 'training.batch_size=256', '--quiet'];

/** Every file under dir by its relative path; run.json without its times, summary.csv without its durations. */
function tree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files.map((e) => {
      const path = join(e.parentPath, e.name);
      let text = readFileSync(path, 'utf8');
      if (e.name === 'run.json') text = JSON.stringify({ ...JSON.parse(text), started: 0, ended: 0, duration_ms: 0 });
      if (e.name === 'summary.csv') text = text.replace(/,(duration_ms|\d+)$/gm, ''); // its last column
      return [path.slice(dir.length), text];
    }),
  );
}

afterEach(() => setKernelThreads(undefined));

// NOTE: with MLPLAB_KERNELS=scalar no product is split, so the helper threads are never seen to start.
describe.skipIf(!wasmKernels() || process.env.MLPLAB_KERNELS === 'scalar')('--threads N on split products', () => {
  it('writes the bytes --threads 1 writes, and the helper threads did run', async () => {
    const [one, two] = [tempDir(), tempDir()];
    expect(await cli('run', DIGITS, '--seed', '2', ...SMALL, '--out', one, '--threads', '1')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cli('run', DIGITS, '--seed', '2', ...SMALL, '--out', two, '--threads', '2')).toEqual({ code: 0, stdout: '', stderr: '' });
    // main left --threads 2 set: these kernels split the products, and rested their helpers after the run
    expect(wasmKernels()!.threadStarts()).toBeGreaterThan(0);
    expect(wasmKernels()!.threadPool()).toBeNull();
    expect(Object.keys(tree(two))).toContain('/digits/epochs=3,batch_size=256/seed=2/model.json');
    expect(tree(two)).toEqual(tree(one));
  });

  it('with --jobs 2 and --threads 3: the bytes of a serial run', async () => {
    const [serial, jobs] = [tempDir(), tempDir()];
    const sweep = ['--sweep', 'seed=1,2', ...SMALL];
    expect((await cli('run', DIGITS, ...sweep, '--out', serial, '--threads', '1')).code).toBe(0);
    expect((await cli('run', DIGITS, ...sweep, '--out', jobs, '--threads', '3', '--jobs', '2')).code).toBe(0);
    expect(Object.keys(tree(jobs))).toHaveLength(2 * 4 + 1); // two runs of four files (a sweep's run draws no chart), and summary.csv
    expect(tree(jobs)).toEqual(tree(serial));
  });

  it('overrides MLPLAB_THREADS (a bad value there is not even read)', async () => {
    const before = process.env.MLPLAB_THREADS;
    process.env.MLPLAB_THREADS = 'lots';
    try {
      const without = await cli('run', XOR, '--out', tempDir(), '--quiet');
      expect(without.code).not.toBe(0);
      expect(without.stderr).toContain('MLPLAB_THREADS expects a number of threads from 1 to 64 or auto, found "lots"');
      expect(await cli('run', XOR, '--out', tempDir(), '--quiet', '--threads', '1')).toEqual({ code: 0, stdout: '', stderr: '' });
    } finally {
      if (before === undefined) delete process.env.MLPLAB_THREADS;
      else process.env.MLPLAB_THREADS = before;
    }
  });
});

describe('--threads', () => {
  it('refuses anything but a whole number from 1 to 64 or auto, naming the option and the value', async () => {
    for (const bad of ['0', '65', '1.5', '-1', '0x2', '2e0', 'many', '']) {
      for (const command of [['run', XOR, '--out', tempDir()], ['evaluate', 'model.json', 'data.csv']]) {
        const r = await cli(...command, `--threads=${bad}`); // the = form: parseArgs takes no value starting with -
        expect(r.code, `${command[0]} --threads ${bad}`).toBe(2);
        expect(r.stderr).toContain(`--threads expects a number of threads from 1 to 64 or auto, found "${bad}"`);
        expect(r.stderr).not.toContain('    at ');
      }
    }
  });

  it('auto is one thread per core (at most 64); 1 and 64 are accepted', () => {
    expect(threadsOption({ threads: 'auto' })).toBe(Math.min(availableParallelism(), 64));
    expect(threadsOption({ threads: '1' })).toBe(1);
    expect(threadsOption({ threads: '64' })).toBe(64);
    expect(threadsOption({})).toBeUndefined();
  });

  it('setKernelThreads takes a whole number from 1 to 64, or undefined', () => {
    for (const bad of [0, 65, 1.5, NaN]) expect(() => setKernelThreads(bad)).toThrow(RangeError);
    expect(() => setKernelThreads(64)).not.toThrow();
  });
});

describe('MLPLAB_THREADS', () => {
  const before = process.env.MLPLAB_THREADS;
  afterEach(() => {
    if (before === undefined) delete process.env.MLPLAB_THREADS;
    else process.env.MLPLAB_THREADS = before;
  });
  /** What the kernels make of MLPLAB_THREADS=text (read as they are made: wasmKernels), as --threads=text's error or value. */
  const threadsFrom = (text: string) => {
    process.env.MLPLAB_THREADS = text;
    setKernelThreads(undefined);
    try {
      wasmKernels();
      return 'accepted';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('refuses what --threads refuses, naming MLPLAB_THREADS and the value', () => {
    for (const bad of ['0', '65', '1.5', '-1', '0x2', '2e0', '1e1', 'many']) {
      expect(threadsFrom(bad), bad).toBe(`MLPLAB_THREADS expects a number of threads from 1 to 64 or auto, found "${bad}"`);
      expect(() => threadsOption({ threads: bad }), bad).toThrow(`--threads expects a number of threads from 1 to 64 or auto, found "${bad}"`);
    }
  });

  it('takes auto, 1 and 64 as --threads does; unset or empty is one thread per core', () => {
    for (const good of ['auto', '1', '64', '']) expect(threadsFrom(good), good).toBe('accepted');
  });
});
