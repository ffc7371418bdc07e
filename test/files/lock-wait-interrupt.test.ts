// Waiting for summary.csv's lock held by another process does not block Ctrl-C: the wait was Atomics.wait, up to
// 60 s, during which no signal handler ran (a SIGINT did nothing, and the command then failed on the lock, exit 1).
// Now the wait lets the event loop turn (files/lock.ts takeLockWaiting): Ctrl-C ends it with exit 130, one line saying
// summary.csv was left as it was, and summary.csv untouched; the library's runPlans reports it (onSummaryLeft).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan, runPlans } from '../../src/index.js';
import { lockPath, takeLockWaiting } from '../../src/files/lock.js';
import { removeTemps, spawnBin, tempDir, until, XOR } from '../runs/spawn.js';
import { BOOT, liveProcess, startOf } from './lock-helpers.js';

afterAll(removeTemps);

/** Writes the lock of `file` as held by another live process of this host (a sleeping child). */
function holdLock(file: string): void {
  const pid = liveProcess();
  const start = BOOT === undefined ? undefined : startOf(pid);
  writeFileSync(lockPath(file), JSON.stringify({ mlplab: 'lock', host: hostname(), pid, thread: 0, boot: BOOT, start, nonce: 'other' }) + '\n');
}

/** A two-run XOR sweep's output folder with its summary.csv's lock held by another process. */
function sweepWithSummaryHeld() {
  const out = tempDir();
  const root = join(out, 'xor-softmax', 'epochs=5');
  mkdirSync(root, { recursive: true });
  holdLock(join(root, 'summary.csv'));
  const done = () => ['seed=0', 'seed=1'].every((r) => existsSync(join(root, r, 'run.json')));
  return { out, root, done, args: [XOR, '--sweep', 'seed=0,1', '--set', 'training.epochs=5'] };
}

describe('Ctrl-C while waiting for summary.csv’s lock', () => {
  it('a spawned run exits 130 at once with one line, summary.csv not written, the other writer’s lock left', async () => {
    const { out, root, done, args } = sweepWithSummaryHeld();
    const held = readFileSync(lockPath(join(root, 'summary.csv')), 'utf8');
    const child = spawnBin(['run', ...args, '--out', out, '--quiet']);
    await until(done, 'both runs to complete');
    await new Promise((r) => setTimeout(r, 200)); // into the wait
    child.kill('SIGINT');
    const r = await child.done;
    expect(r.code).toBe(130); // it was 1, after 60 s: the lock's 'another mlplab process ... is writing'
    expect(r.stderr).toBe(`mlplab: SIGINT: stopped waiting for another mlplab process writing ${join(root, 'summary.csv')}; left it as it was: run the same command again to rewrite it (the runs completed are skipped)\n`);
    expect(existsSync(join(root, 'summary.csv'))).toBe(false);
    expect(readFileSync(lockPath(join(root, 'summary.csv')), 'utf8')).toBe(held);
  }, 90_000);

  it('runPlans: an interrupt during the wait ends it, calls onSummaryLeft, and resolves with the runs', async () => {
    const { out, root, args } = sweepWithSummaryHeld();
    const plan = loadPlan(args[0], { sweep: ['seed=0,1'], set: ['training.epochs=5'] });
    let finished = 0;
    const left: string[] = [];
    const runs = await runPlans([plan], {
      out,
      interrupt: () => (finished === 2 ? 'SIGINT' : undefined),
      onFinished: () => void finished++,
      onSummaryLeft: (file, reason) => void left.push(`${reason} ${file}`),
    });
    expect(runs.map((f) => 'run' in f && f.run.status)).toEqual(['completed', 'completed']);
    expect(left).toEqual([`SIGINT ${join(root, 'summary.csv')}`]);
    expect(existsSync(join(root, 'summary.csv'))).toBe(false);
  }, 90_000);

  it('runs stopped by an interrupt before the wait still get summary.csv rebuilt once the other writer lets it go', async () => {
    // Ctrl-C to two shards at once stops both; each then rewrites summary.csv, one waiting for the other's lock.
    // The interrupt is sticky, so the waiting one gave up at once ('stopped waiting …'), and summary.csv lacked the
    // runs of whichever shard published last (2 of 6 tries with two real shards interrupted together).
    const { out, root, args } = sweepWithSummaryHeld();
    const plan = loadPlan(args[0], { sweep: ['seed=0,1,2,3'], set: ['training.epochs=5'] });
    let finished = 0;
    const left: string[] = [];
    const runs = await runPlans([plan], {
      out,
      interrupt: () => (finished >= 1 ? 'SIGINT' : undefined),
      onFinished: () => {
        if (finished++ === 0) setTimeout(() => rmSync(lockPath(join(root, 'summary.csv'))), 300); // the other shard's write ends
      },
      onSummaryLeft: (file, reason) => void left.push(`${reason} ${file}`),
    });
    expect(runs.length).toBeLessThan(4); // the interrupt stopped the sweep
    expect(left).toEqual([]);
    const rows = readFileSync(join(root, 'summary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    const present = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    expect(rows.length).toBe(runs.length);
    expect(rows).toEqual(present.sort());
    expect(existsSync(lockPath(join(root, 'summary.csv')))).toBe(false);
  }, 90_000);

  it('without an interrupt the wait takes the lock once its holder lets it go', async () => {
    const file = join(tempDir(), 'summary.csv');
    holdLock(file);
    setTimeout(() => rmSync(lockPath(file)), 150);
    const lock = await takeLockWaiting(file, 20_000, () => undefined);
    expect(lock).toBeDefined();
    expect(JSON.parse(readFileSync(lockPath(file), 'utf8')).pid).toBe(process.pid);
    lock!.release();
    expect(existsSync(lockPath(file))).toBe(false);
  });
});
