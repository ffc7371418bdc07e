// What writers killed while taking a folder's lock leave beside it (files/lockleftovers.ts): takeover guards
// `.NAME.lock.takeover-HASH` (and a guard's own guard) and lock files written aside `….new-PID-THREAD-HEX`. The
// next writer of the folder removes those of dead holders (recover.ts recover: a single run, a sweep's runs
// serially and with --jobs), and so does a sweep once its runs are done (clearStaleLocks: a sweep run again
// skips its completed runs). A live holder's (this process's, a live child's), another host's, a link and a
// folder of such a name stay, untouched. Dead holders are planted as locks.test.ts plants them: a process id
// that does not exist, this host, this boot. One killed before writing any lock text is judged by its name, which
// carries a tag of the host and boot that wrote it (lock.ts LOCK_WRITE_TAG): a process of this boot, gone.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from '../helpers/cli.js';
import { loadPlan, runPlans, type Finished } from '../../src/index.js';
import { workersOnlyForTests } from '../../src/runner/pool.js';
import { LOCK_WRITE_TAG } from '../../src/files/lock.js';
import { BOOT, liveProcess as liveChild, startOf } from './lock-helpers.js';

const tempDir = tempDirs('mlplab-lock-leftovers');

const record = (fields: Record<string, unknown>) => JSON.stringify({ mlplab: 'lock', host: hostname(), pid: 99999999, thread: 0, boot: BOOT, nonce: 'n1', ...fields }) + '\n';
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const FILES = ['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json'];
/** A sweep's run draws no chart (log.charts). */
const SWEEP_FILES = FILES.filter((f) => !f.startsWith('loss.') || f === 'loss.csv');

/** Plants, beside folder NAME in dir, what writers of dead processes left while taking its lock; returns the entries. */
function plantDead(dir: string, name: string): string[] {
  const guard = `.${name}.lock.takeover-${hash(record({ nonce: `stale ${name}` }))}`; // the stale lock itself removed, then killed
  const files: Record<string, string> = {
    [guard]: record({ nonce: 'guard' }),
    [`${guard}.takeover-${hash(record({ nonce: 'guard' }))}`]: record({ nonce: 'guard of guard' }),
    [`.${name}.lock.new-99999999-0-0badf00d`]: record({ nonce: 'written aside' }),
    [`${guard}.new-99999999-3-deadbeef`]: record({ nonce: 'guard written aside' }),
    // killed before its text was written (empty, or cut), named with this host's and boot's tag: its process judged
    [`.${name}.lock.new-99999999-0-${LOCK_WRITE_TAG}0123456789ab0001`]: '',
    [`.${name}.lock.new-99999999-0-${LOCK_WRITE_TAG}0123456789ab0002`]: '{"mlplab":"lo',
  };
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return Object.keys(files);
}

/** Plants, beside folder NAME in dir, leftovers that must stay; returns each entry with what it is (text or link target). */
function plantKept(dir: string, name: string, outside: string): Record<string, string> {
  const guard = (what: string) => `.${name}.lock.takeover-${hash(what)}`;
  const child = liveChild();
  const texts: Record<string, string> = {
    [guard('mine')]: record({ pid: process.pid, start: startOf(process.pid) }),
    [guard('child')]: record({ pid: child, start: startOf(child) }),
    [guard('other host')]: record({ host: 'node7.cluster' }),
    [`.${name}.lock.new-99999999-0-0000aaaa`]: record({ host: 'node7.cluster' }),
    [`.${name}.lock.new-${child}-0-0000bbbb`]: record({ pid: child, start: startOf(child) }),
    // no lock text, less than a minute old: another host's tag (or none), or a live process of this host
    [`.${name}.lock.new-99999999-0-0123abcd0123456789ab0003`]: '',
    [`.${name}.lock.new-${child}-0-${LOCK_WRITE_TAG}0123456789ab0004`]: '',
  };
  for (const [f, text] of Object.entries(texts)) writeFileSync(join(dir, f), text);
  const target = join(outside, `dead-${name}`);
  writeFileSync(target, record({ nonce: 'behind a link' }));
  symlinkSync(target, join(dir, guard('link')));
  mkdirSync(join(dir, guard('folder')));
  return { ...texts, [guard('link')]: `-> ${target}`, [guard('folder')]: 'folder' };
}

/** The hidden entries of dir, each with its text (or link target, or 'folder'). */
function hidden(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true }).filter((e) => e.name.startsWith('.'))) {
    const path = join(dir, e.name);
    out[e.name] = e.isSymbolicLink() ? `-> ${readlinkSync(path)}` : e.isDirectory() ? 'folder' : readFileSync(path, 'utf8');
  }
  return out;
}

/** A run folder whole: its files (a run alone's six, a sweep's run's four), completed. */
function whole(dir: string, files = FILES): void {
  expect(readdirSync(dir).sort(), dir).toEqual(files);
  expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status, dir).toBe('completed');
}

const experiment = (seeds?: number[]) => `name: xs
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }
model: { layers: [{ units: 2, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 3, batch_size: 4, optimizer: { type: sgd, learning_rate: 0.5 } }
${seeds === undefined ? '' : `sweep: { seed: [${seeds.join(', ')}] }\n`}`;

/** A fresh experiment file and --out folder (made, so that leftovers can be planted in it first). */
function setUp(seeds?: number[]): { file: string; out: string; outside: string } {
  const dir = tempDir();
  const file = join(dir, 'xs.yaml');
  writeFileSync(file, experiment(seeds));
  mkdirSync(join(dir, 'out'));
  mkdirSync(join(dir, 'outside'));
  return { file, out: join(dir, 'out'), outside: join(dir, 'outside') };
}

describe('a single run removes the lock leftovers of dead writers beside its folder, and only those', () => {
  for (const how of ['the CLI', 'the library'] as const) {
    it(`through ${how}`, async () => {
      const { file, out, outside } = setUp();
      const dead = plantDead(out, 'xs');
      const kept = plantKept(out, 'xs', outside);
      if (how === 'the CLI') expect((await cli('run', file, '--out', out, '--quiet')).code).toBe(0);
      else expect((await runPlans([loadPlan(file)], { out })).map((f) => ('run' in f ? f.run.status : f.error))).toEqual(['completed']);
      whole(join(out, 'xs'));
      expect(dead.filter((f) => existsSync(join(out, f)))).toEqual([]);
      expect(hidden(out)).toEqual(kept);
      expect(readdirSync(outside)).toEqual(['dead-xs']); // the link's target untouched
    });
  }
});

describe("a sweep removes the lock leftovers of dead writers beside its runs and its summary, and only those", () => {
  const SEEDS = [1, 2, 3, 4];
  for (const jobs of [1, 2]) {
    it(`its runs written ${jobs === 1 ? 'serially' : 'with --jobs 2, on the worker'}`, async () => {
      const { file, out, outside } = setUp(SEEDS);
      const root = join(out, 'xs');
      mkdirSync(root);
      const deadOf = Object.fromEntries([...SEEDS.map((s) => `seed=${s}`), 'summary.csv'].map((name) => [name, plantDead(root, name)]));
      const dead = Object.values(deadOf).flat();
      const kept = { ...plantKept(root, 'seed=1', outside), ...plantKept(root, 'summary.csv', outside) };
      Object.assign(workersOnlyForTests, { on: jobs === 2, answered: 0 }); // with --jobs 2 every run on the worker (its own listing)
      let finished: Finished[];
      // Each run's writer removed its own leftovers (recover), before the sweep's end clears the folder (clearStaleLocks).
      const leftAtItsEnd: Record<string, string[]> = {};
      const onFinished = (f: Finished) => void (leftAtItsEnd[f.task.outDir.split('/').pop()!] = deadOf[f.task.outDir.split('/').pop()!].filter((e) => existsSync(join(root, e))));
      try {
        finished = await runPlans([loadPlan(file)], { out, jobs, onFinished });
        if (jobs === 2) expect(workersOnlyForTests.answered, 'runs the worker answered').toBe(SEEDS.length);
      } finally {
        Object.assign(workersOnlyForTests, { on: false, answered: 0 });
      }
      expect(finished.map((f) => ('run' in f ? f.run.status : f.error))).toEqual(SEEDS.map(() => 'completed'));
      for (const s of SEEDS) whole(join(root, `seed=${s}`), SWEEP_FILES);
      expect(readFileSync(join(root, 'summary.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(SEEDS.length + 1);
      expect(leftAtItsEnd).toEqual(Object.fromEntries(SEEDS.map((s) => [`seed=${s}`, []])));
      expect(dead.filter((f) => existsSync(join(root, f)))).toEqual([]);
      expect(hidden(root)).toEqual(kept);
    });
  }

  it('its runs all completed already (skipped when run again): cleared once the sweep is done', async () => {
    const { file, out, outside } = setUp(SEEDS);
    const root = join(out, 'xs');
    await runPlans([loadPlan(file)], { out });
    const runs = Object.fromEntries(SEEDS.map((s) => [s, readFileSync(join(root, `seed=${s}`, 'run.json'), 'utf8')]));
    const dead = ['seed=1', 'seed=4', 'summary.csv'].flatMap((name) => plantDead(root, name));
    writeFileSync(join(root, '.seed=3.lock'), record({ nonce: 'killed after its rename' })); // a dead writer's lock, too
    dead.push('.seed=3.lock');
    const kept = plantKept(root, 'seed=2', outside);
    expect(await runPlans([loadPlan(file)], { out })).toEqual([]); // every run skipped
    for (const s of SEEDS) expect(readFileSync(join(root, `seed=${s}`, 'run.json'), 'utf8')).toBe(runs[s]);
    expect(dead.filter((f) => existsSync(join(root, f)))).toEqual([]);
    expect(hidden(root)).toEqual(kept);
  });
});

describe('a lock that cannot be written', () => {
  it('a file-size limit (ulimit -f 0, as a full disk) failing the lock text: exit 1 naming the lock file, no lock file left aside', () => {
    const out = tempDir();
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'mlplab.js');
    const xor = join(import.meta.dirname, '..', '..', 'experiments', 'xor-softmax.yaml');
    const r = spawnSync('/bin/sh', ['-c', `ulimit -f 0; exec "${process.execPath}" "${bin}" run "${xor}" --out "${out}" --quiet`], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\.xor-softmax\.lock: cannot create the lock file: the file would exceed the file-size limit \(ulimit -f\)/);
    expect(readdirSync(out)).toEqual([]); // was: an empty .xor-softmax.lock.new-PID-0-HEX
  });
});
