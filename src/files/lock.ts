// One writer per results folder: a lock file `.NAME.lock` beside it holds the writing process's id. A second
// process is refused with a clear message while the first lives; a lock left by a dead process is taken over.
// Holding the lock, a writer also recovers what killed writers left behind (recover()).

import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { onOutput } from './fsfail.js';

/** Is a process with this id running (or at least existing, even if not ours)? */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
}

/** Takes `.NAME.lock` beside dir, or throws a UserError naming the process that holds it. */
export function takeLock(dir: string): Lock {
  const path = join(dirname(dir), `.${basename(dir)}.lock`);
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw onOutput(path, 'create the lock file', () => { throw e; });
      const holder = Number(readText(path).trim());
      if (processAlive(holder) && holder !== process.pid) {
        throw new UserError('io', `another mlplab process (pid ${holder}) is writing ${dir}; wait for it to finish, or delete ${path} if that process is not mlplab`, { file: dir });
      }
      removeFile(path); // left by a dead process
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return { release: () => removeFile(path) };
  }
}

/** Deletes a file if it is there. NOTE: not rmSync: in Node 20 every rmSync loads Node's rimraf (≈1 ms a start). */
function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Repairs what a writer killed mid-replace leaves beside dir (call it holding dir's lock): when dir is missing,
 * the newest `.NAME.old-*` (the previous complete results, moved aside) is renamed back; other old folders
 * are removed, and so are staging folders `.NAME.partial-PID-*` of processes no longer running.
 */
export function recover(dir: string): void {
  const parent = dirname(dir);
  const pattern = new RegExp(`^\\.${escape(basename(dir))}\\.(old|partial)-(\\d+)-(\\d+)$`);
  const found = readdirSync(parent).map((f) => ({ f, m: pattern.exec(f) })).filter((e) => e.m !== null);
  const olds = found.filter((e) => e.m![1] === 'old').sort((a, b) => Number(b.m![3]) - Number(a.m![3]));
  if (olds.length > 0 && !exists(dir)) {
    onOutput(dir, 'restore the previous results', () => renameSync(join(parent, olds[0].f), dir));
    olds.shift();
  }
  for (const { f, m } of found) {
    const stale = m![1] === 'old' ? olds.some((o) => o.f === f) : !processAlive(Number(m![2]));
    if (!stale) continue;
    if (m![1] === 'partial') restoreKept(join(parent, f), dir);
    onOutput(join(parent, f), 'remove a leftover folder', () => rmSync(join(parent, f), { recursive: true, force: true }));
  }
}

/**
 * A writer killed while replacing a folder may have moved the folder's kept sub-folders (other runs) into its
 * staging folder: they go back before the staging folder is removed. A run's own files are never folders.
 */
function restoreKept(staging: string, dir: string): void {
  if (!exists(dir)) return;
  for (const e of readdirSync(staging, { withFileTypes: true })) {
    if (e.isDirectory() && !exists(join(dir, e.name))) onOutput(join(dir, e.name), 'restore a run folder', () => renameSync(join(staging, e.name), join(dir, e.name)));
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

