// What durability costs a run's folder, by design: the six files of a run (their sizes as xor-softmax's) written
// into a staging folder and renamed into a sweep folder, N times, with the data flushed (a) not at all, (b) file
// after file, (c) all files and the staging folder side by side (safefs.ts syncAll, what StagedFolder does),
// each with or without the sweep folder's fsync after the rename; and StagedFolder itself (lock and checks
// included) as a single run (parent synced) and as a sweep run (the parent left to summary.csv). Variants alternate,
// so a busy machine disturbs them alike. Usage: tsx bench/files-commit.ts [N] [ROUNDS] [FOLDER]. Prints the
// median milliseconds a run folder over the rounds.
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedFolder } from '../src/files/outputs.js';
import { syncAll, syncFolder, writeAll } from '../src/files/safefs.js';

const N = Number(process.argv[2] ?? 100);
const ROUNDS = Number(process.argv[3] ?? 5);
const base = process.argv[4] ?? tmpdir();
const FILES = Object.entries({ 'loss.csv': 731, 'model.json': 553, 'config.json': 1375, 'run.json': 1235, 'loss.svg': 6096, 'loss.vl.json': 3352 }).map(([n, size]) => [n, 'x'.repeat(size)] as const);

type Sync = 'none' | 'serial' | 'together';
async function folderBy(root: string, i: number, sync: Sync, parent: boolean): Promise<void> {
  const staging = join(root, `.run${i}.partial`);
  mkdirSync(staging);
  const fds = FILES.map(([name, text]) => {
    const fd = openSync(join(staging, name), 'wx');
    writeAll(fd, text);
    return fd;
  });
  if (sync === 'serial') {
    for (const fd of fds) fdatasyncSync(fd);
    syncFolder(staging);
  } else if (sync === 'together') await syncAll(fds, staging);
  fds.forEach((fd) => closeSync(fd));
  renameSync(staging, join(root, `run${i}`));
  if (parent) syncFolder(root);
}

async function staged(root: string, i: number, syncParent: boolean): Promise<void> {
  const folder = StagedFolder.open(join(root, `run${i}`));
  for (const [name, text] of FILES) folder.write(name, text);
  await folder.commit(undefined, undefined, { syncParent });
  folder.close();
}

const variants: [string, (root: string, i: number) => Promise<void>][] = [
  ['no sync', (r, i) => folderBy(r, i, 'none', false)],
  ['file after file + folder', (r, i) => folderBy(r, i, 'serial', false)],
  ['file after file + folder + parent', (r, i) => folderBy(r, i, 'serial', true)],
  ['side by side + folder', (r, i) => folderBy(r, i, 'together', false)],
  ['side by side + folder + parent', (r, i) => folderBy(r, i, 'together', true)],
  ['StagedFolder: a single run (side by side, parent)', (r, i) => staged(r, i, true)],
  ['StagedFolder: a sweep run (side by side)', (r, i) => staged(r, i, false)],
];
const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, make] of variants) {
    const root = mkdtempSync(join(base, 'mlplab-bench-commit-'));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await make(root, i);
    times.get(name)!.push(Number(process.hrtime.bigint() - t0) / 1e6 / N);
    rmSync(root, { recursive: true, force: true });
  }
}
for (const [name, ms] of times) {
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(52)} ${ms[ms.length >> 1].toFixed(2)} ms a run folder (min ${ms[0].toFixed(2)}, max ${ms[ms.length - 1].toFixed(2)})`);
}
