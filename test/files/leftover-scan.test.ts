// A sweep's folder is listed for killed writers' leftovers once per invocation (files/recover.ts LeftoverScan),
// not once per run: the number of listings of the sweep folder is the same for 2 runs as for 6 (it grew with the
// runs before). What a writer that died holding a run folder's lock left after the listing is still repaired: the
// lock taken over makes the folder be listed again.
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const listed: string[] = [];
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  const readdirSync = ((path: fs.PathLike, ...rest: unknown[]) => (listed.push(String(path)), (real.readdirSync as (...a: unknown[]) => unknown)(path, ...rest))) as typeof real.readdirSync;
  return { ...real, readdirSync, default: { ...real, readdirSync } };
});

const { loadPlan, runPlans } = await import('../../src/index.js');
const { StagedFolder } = await import('../../src/files/outputs.js');
const { clearStaleLocks, LeftoverScan } = await import('../../src/files/recover.js');
const { lockPath, takeLock } = await import('../../src/files/lock.js');

const root = mkdtempSync(join(tmpdir(), 'mlplab-leftover-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const xor = (seeds: number[]) => `name: xs
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }
model: { layers: [{ units: 2, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 3, batch_size: 4, optimizer: { type: sgd, learning_rate: 0.5 } }
sweep: { seed: [${seeds.join(', ')}] }
`;

/** Runs a sweep of these seeds into a fresh --out, serially; the listings of its sweep folder. */
async function listingsOfSweep(seeds: number[], name: string): Promise<number> {
  const file = join(root, `${name}.yaml`);
  writeFileSync(file, xor(seeds));
  const out = join(root, name);
  listed.length = 0;
  const finished = await runPlans([loadPlan(file)], { out });
  expect(finished.map((f) => ('run' in f ? f.run.status : f.error))).toEqual(seeds.map(() => 'completed'));
  expect(readdirSync(join(out, 'xs')).filter((e) => e.startsWith('.'))).toEqual([]);
  return listed.filter((p) => p === join(out, 'xs')).length;
}

describe('the sweep folder listed once per invocation', () => {
  it('as many listings of the sweep folder for 6 runs as for 2', async () => {
    const two = await listingsOfSweep([1, 2], 'two');
    const six = await listingsOfSweep([1, 2, 3, 4, 5, 6], 'six');
    expect(six).toBe(two);
    expect(two).toBeLessThanOrEqual(5); // the leftovers', the completed runs' (resume.ts), the dead writers' locks', summary.csv's abandoned partial copies' and summary.csv's
  });

  it('LeftoverScan lists a folder once for all its entries, and again after forget', () => {
    const dir = join(root, 'unit');
    mkdirSync(dir);
    mkdirSync(join(dir, '.a.old-99999999-5'));
    const calls: string[] = [];
    const scan = new LeftoverScan((d) => (calls.push(d), fs.readdirSync(d, { withFileTypes: true })));
    expect(scan.of(join(dir, 'a')).map((e) => e.f)).toEqual(['.a.old-99999999-5']);
    expect(scan.of(join(dir, 'b'))).toEqual([]);
    expect(scan.of(join(dir, 'a'))).toEqual([]); // handed over once: what is left is this process's, or made after
    expect(calls).toEqual([dir]);
    scan.forget(join(dir, 'a'));
    expect(scan.of(join(dir, 'a')).map((e) => e.f)).toEqual(['.a.old-99999999-5']);
    expect(calls).toEqual([dir, dir]);
  });

  it("a writer that died holding a folder's lock after the listing: its previous results are put back, its staging folder removed", async () => {
    const sweep = join(root, 'died');
    mkdirSync(sweep);
    const scan = new LeftoverScan();
    const a = StagedFolder.open(join(sweep, 'seed=1'), scan); // lists the sweep folder
    a.write('x.txt', 'a');
    await a.commit(join(sweep, 'seed=1'), undefined, { syncParent: false });
    // Then a writer of seed=2 (a dead process) moved its previous results aside and died mid-write, holding the lock.
    mkdirSync(join(sweep, '.seed=2.old-99999999-100'));
    writeFileSync(join(sweep, '.seed=2.old-99999999-100', 'x.txt'), 'previous');
    mkdirSync(join(sweep, '.seed=2.partial-99999999-101'));
    writeFileSync(lockPath(join(sweep, 'seed=2')), JSON.stringify({ mlplab: 'lock', host: hostname(), pid: 99999999, thread: 0, nonce: 'n' }) + '\n');
    const b = StagedFolder.open(join(sweep, 'seed=2'), scan);
    expect(fs.readFileSync(join(sweep, 'seed=2', 'x.txt'), 'utf8')).toBe('previous'); // restored before this write
    b.write('x.txt', 'new');
    await b.commit(join(sweep, 'seed=2'), undefined, { syncParent: false });
    expect(fs.readFileSync(join(sweep, 'seed=2', 'x.txt'), 'utf8')).toBe('new');
    expect(readdirSync(sweep).sort()).toEqual(['seed=1', 'seed=2']);
  });
});

describe("clearStaleLocks: a sweep's dead writers' locks beside its run folders", () => {
  it('removes a dead writer\'s lock beside a run folder and a lock it was writing aside; leaves a live lock, and a lock with no folder', () => {
    const old = new Date(Date.now() - 120_000);
    const dir = join(root, 'locks');
    const dead = JSON.stringify({ mlplab: 'lock', host: hostname(), pid: 99999999, thread: 0, nonce: 'n' }) + '\n';
    for (const run of ['seed=1', 'seed=3']) mkdirSync(join(dir, run), { recursive: true });
    writeFileSync(lockPath(join(dir, 'seed=1')), dead); // killed after its rename: removed
    writeFileSync(lockPath(join(dir, 'seed=2')), dead); // no folder: the run's next writer takes it over
    const live = takeLock(join(dir, 'seed=3')); // this process, writing: left
    writeFileSync(join(dir, '.seed=4.lock.new-99999999-0-0a1b2c3d'), dead); // a dead writer's, whole: removed
    writeFileSync(join(dir, '.seed=6.lock.new-99999999-0-0a1b2c3d'), dead.slice(0, 9)); // killed while writing it, 2 min ago: removed
    utimesSync(join(dir, '.seed=6.lock.new-99999999-0-0a1b2c3d'), old, old);
    writeFileSync(join(dir, '.seed=7.lock.new-99999999-0-0a1b2c3d'), dead.slice(0, 9)); // no whole text yet, just now: left
    const elsewhere = dead.replace(hostname(), 'another-host');
    writeFileSync(join(dir, '.seed=8.lock.new-99999999-0-0a1b2c3d'), elsewhere); // another host's writer, its PID dead here: left
    writeFileSync(join(dir, `.seed=5.lock.new-${process.pid}-0-0a1b2c3d`), ''); // being written now
    clearStaleLocks(dir);
    expect(readdirSync(dir).filter((e) => e.startsWith('.')).sort()).toEqual([
      '.seed=2.lock', '.seed=3.lock', `.seed=5.lock.new-${process.pid}-0-0a1b2c3d`, '.seed=7.lock.new-99999999-0-0a1b2c3d', '.seed=8.lock.new-99999999-0-0a1b2c3d',
    ]);
    live.release();
  });
});
