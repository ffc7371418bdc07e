// Crash safety of the atomic folder writer, proven with SIGKILL: a run is paused at each step of its write
// (MLPLAB_TEST_PAUSE, see files/fsfail.ts testPause) and killed there; the experiment's results are then the
// old complete set or the new complete set once recovered without help, and the next run leaves nothing behind.
// Also: one writer per folder (a lock), output folders checked before training, failures named, never exit 3.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recover } from '../../src/files/recover.js';
import { StagedFolder } from '../../src/files/outputs.js';
import { LONG_XOR, removeTemps, snapshot, spawnBin, staging, tempDir, until, variant, XOR } from './spawn.js';

afterAll(removeTemps);

const NAME = 'xor-softmax';
const FILES = ['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json'];
/** xor-softmax at seed 2: the same results folder, other results. */
let SEED2 = '';

/** The complete results of seed 1 (copied into each test's out folder) and the loss log seed 2 writes. */
const made = { old: '', fresh: '' };
beforeAll(async () => {
  SEED2 = variant(XOR, ['seed: 1', 'seed: 2']);
  made.old = tempDir();
  const ref = tempDir();
  expect((await spawnBin(['run', XOR, '--out', made.old, '--quiet']).done).code).toBe(0);
  expect((await spawnBin(['run', SEED2, '--out', ref, '--quiet']).done).code).toBe(0);
  made.fresh = readFileSync(join(ref, NAME, 'loss.csv'), 'utf8');
});

/** An out folder holding the old complete results; their snapshot; the new loss log. */
function oldAndNew() {
  const out = tempDir();
  cpSync(join(made.old, NAME), join(out, NAME), { recursive: true });
  return { out, old: snapshot(join(out, NAME)), fresh: made.fresh };
}

/** Kills a seed-2 run with SIGKILL at `step` of its write. */
async function killAt(out: string, step: string): Promise<void> {
  const marker = join(tempDir(), 'paused');
  const child = spawnBin(['run', SEED2, '--out', out, '--quiet'], { MLPLAB_TEST_PAUSE: `${step}:${marker}` });
  await until(() => existsSync(marker), `the writer to pause at ${step}`);
  child.kill('SIGKILL');
  expect((await child.done).signal).toBe('SIGKILL');
}

describe('SIGKILL during the write: always the old or the new complete set', () => {
  for (const step of ['staged', 'between-renames', 'renamed']) {
    it(`killed at "${step}": recovered without help, then the next run leaves nothing stray`, async () => {
      const { out, old, fresh } = oldAndNew();
      await killAt(out, step);
      recover(join(out, NAME)); // what the next run does first, holding the lock
      const now = snapshot(join(out, NAME));
      expect(Object.keys(now).map((f) => f.slice(1)).sort()).toEqual(FILES);
      const isOld = JSON.stringify(now) === JSON.stringify(old);
      const isNew = readFileSync(join(out, NAME, 'loss.csv'), 'utf8') === fresh;
      expect(isOld || isNew, `${step}: neither the old nor the new set`).toBe(true);
      expect(isOld).toBe(step !== 'renamed'); // before the second rename, the old set is the one restored
      expect((await spawnBin(['run', XOR, '--out', out, '--quiet']).done).code).toBe(0);
      expect(readdirSync(out)).toEqual([NAME]); // no staging, old folder or lock left
    });
  }

  it('killed while training: the old set untouched; the next run removes the dead staging folder and lock', async () => {
    const { out, old } = oldAndNew();
    const child = spawnBin(['run', LONG_XOR(), '--out', out, '--quiet']);
    await until(() => staging(out, NAME), 'training to start');
    child.kill('SIGKILL');
    await child.done;
    expect(snapshot(join(out, NAME))).toEqual(old);
    expect(readdirSync(out).sort()).toEqual([`.${NAME}.lock`, NAME, ...readdirSync(out).filter((f) => f.includes('.partial-'))].sort());
    expect((await spawnBin(['run', XOR, '--out', out, '--quiet']).done).code).toBe(0);
    expect(readdirSync(out)).toEqual([NAME]);
  });
});

describe('one writer per experiment, outputs checked before training', () => {
  it('a second process writing the same experiment is refused with a clear message naming the first', async () => {
    const out = tempDir();
    const marker = join(tempDir(), 'paused');
    const first = spawnBin(['run', XOR, '--out', out, '--quiet'], { MLPLAB_TEST_PAUSE: `staged:${marker}` });
    await until(() => existsSync(marker), 'the first writer to hold the lock');
    const second = await spawnBin(['run', XOR, '--out', out, '--quiet']).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another mlplab process (pid ${first.pid}) is writing ${join(out, NAME)}; wait for it to finish`);
    first.kill('SIGKILL');
    await first.done;
  });

  const cases: [string, (dir: string) => string, RegExp][] = [
    ['--out is a file', (d) => (writeFileSync(join(d, 'f'), ''), join(d, 'f')), /: cannot write into this folder: a part of the path is a file, not a folder \(ENOTDIR\)/],
    ['results/NAME is a file', (d) => (writeFileSync(join(d, NAME), ''), d), /xor-softmax: cannot write the results here: it is a file, not a folder/],
    ['--out under /proc (no hang)', () => '/proc/mlplab-x', /^\/proc\/mlplab-x: cannot create the folder: .*\(ENOENT\)/],
  ];
  for (const [what, make, message] of cases) {
    it(`${what}: exit 1 before training, naming the path`, async () => {
      const r = await spawnBin(['run', LONG_XOR(), '--out', make(tempDir())]).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    });
  }

  it('a read-only folder: exit 1 naming it (skipped as root, who may write anywhere)', async ({ skip }) => {
    if (process.getuid?.() === 0) skip('running as root: permissions do not apply');
    const d = tempDir();
    mkdirSync(join(d, 'ro'));
    chmodSync(join(d, 'ro'), 0o555);
    const r = await spawnBin(['run', XOR, '--out', join(d, 'ro')]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ro: cannot write into this folder: permission denied/);
  });

  it('a full disk while the log streams: exit 1 naming the file, the staging folder and lock removed (needs root to mount)', async ({ skip }) => {
    const d = tempDir();
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d]).status === 0;
    if (!mounted) skip('cannot mount a 64 kB tmpfs here (needs root)');
    try {
      const r = await spawnBin(['run', variant(XOR, ['epochs: 2000', 'epochs: 100000'], ['every: 100', 'every: 1']), '--out', d]).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${join(d, NAME, 'loss.csv')}: cannot write: no space left on the device (ENOSPC)\n`);
      expect(readdirSync(d)).toEqual([]);
    } finally {
      spawnSync('umount', [d]);
    }
  });

  it('an abandoned write removes its own staging folder and lock', () => {
    const d = tempDir();
    const folder = StagedFolder.open(join(d, 'x'));
    folder.append('loss.csv', 'a,b\n');
    expect(readdirSync(d).length).toBe(2);
    folder.close();
    expect(readdirSync(d)).toEqual([]);
  });
});
