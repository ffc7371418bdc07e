// One writer per results folder and everything below it: a lock file `.NAME.lock` beside the folder records
// the writer (host, process id, the boot of the machine, the process's start time, a thread id and a nonce).
// A second writer of the folder, of a folder inside it, or of a folder holding it is refused with a clear
// message while the first lives. A lock is taken over only when its writer is known to be gone: same host
// and (another boot, or no such process, or another process under that id); a lock from another host is
// never taken over on a guess. Taking over is atomic: only the process that creates the takeover guard named
// after the stale lock's exact text may remove it (two takers cannot both win). What a writer killed while
// taking a lock leaves (a guard, a lock file written aside) is judged and removed by lockleftovers.ts.
// NOTE: written here, not proper-lockfile: that library judges staleness by a modification time it keeps
// touching (a timer in every writer), and takes over after a timeout, which a paused or slow host defeats.

import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, openSync, readdirSync, readFileSync, readSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';
import { onOutput } from './fsfail.js';
import { sha256 } from './hash.js';
import { describeKind, kindOfStats, kindOf, writeAll } from './safefs.js';

/**
 * This thread's id (node:worker_threads' threadId; 0 in the main thread). NOTE: the module is required only when it is
 * loaded already (in a --jobs worker or its parent), since loading it costs a quiet run's start ≈2 ms (test/start.test.ts);
 * otherwise this is the main thread of a process that never started a worker.
 */
function threadIdNow(): number {
  if (threadId !== undefined) return threadId;
  const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList?.includes('NativeModule worker_threads') ?? true;
  if (!loaded) return 0; // not yet: a worker may still start, so not remembered
  return (threadId = (createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')).threadId);
}
/** threadIdNow's answer once node:worker_threads is loaded (a thread's id never changes). */
let threadId: number | undefined;

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

/** When this process started, in milliseconds since the epoch (process.uptime is the process's, in a worker too). */
const STARTED_MS = Date.now() - process.uptime() * 1000;

/**
 * Is the writer that named an entry `.NAME.KIND-PID-TIME` (recover.ts asidePath) surely gone: no process PID runs, or
 * PID is this process's and TIME (ms) before it started: a killed process with the same PID made it (a container's
 * PID 1 each time it starts). processAlive alone calls such an entry live, and it was never removed nor resumed from.
 */
export function writerGone(pid: number, time: number): boolean {
  return !processAlive(pid) || (pid === process.pid && time < STARTED_MS);
}

export interface Lock {
  release(): void;
  /** Taken over from a writer that died holding it (its leftovers may be beside the folder: recover.ts). */
  readonly tookOver: boolean;
}

/** What a lock file holds. `boot` and `start` are absent where /proc is (they make a judgement surer). */
interface Holder {
  mlplab: 'lock';
  host: string;
  pid: number;
  thread: number;
  boot?: string;
  start?: string;
  nonce: string;
}

const readProc = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** A process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or undefined without /proc. */
const startOf = (pid: number): string | undefined => readProc(`/proc/${pid}/stat`)?.split(') ').pop()?.split(' ')[19];
const BOOT = readProc('/proc/sys/kernel/random/boot_id')?.trim();
const ME = { host: hostname(), pid: process.pid, start: startOf(process.pid) };

/**
 * A hex token no other lock text or file written aside has: one random draw per process (workers draw their own),
 * then a count. NOTE: not randomBytes per lock, which took ≈60 µs of a small run's ≈5 ms (a 1,000-seed XOR sweep).
 */
let tokens = 0;
let tokenBase: string | undefined;
const token = (): string => (tokenBase ??= randomBytes(6).toString('hex')) + (++tokens).toString(16).padStart(4, '0');

/**
 * A tag of this host and boot (8 hex digits) that begins the hex of every lock file written aside (create): one
 * killed before writing its text holds none to judge it by, and its name alone then tells whether its writer ran
 * here, in this boot (lockWriteGone). Another host's (or an older name, untagged) is judged by its age.
 */
export const LOCK_WRITE_TAG = sha256(`${ME.host}\n${BOOT ?? ''}`).slice(0, 8);

/**
 * Is the writer of a lock file written aside named `entry` (`….new-PID-THREAD-HEX`) surely gone by its name: HEX
 * begins with this host's and boot's tag (and holds a token after it) and no process PID runs here.
 */
export function lockWriteGone(entry: string): boolean {
  const m = /\.new-(\d+)-\d+-([0-9a-f]+)$/.exec(entry);
  return m !== null && m[2].length > LOCK_WRITE_TAG.length + 8 && m[2].startsWith(LOCK_WRITE_TAG) && !processAlive(Number(m[1]));
}

export const lockPath = (target: string): string => join(dirname(target), `.${basename(target)}.lock`);

/** The name of the folder or file an entry named `entry` is the lock of (lockPath's name), or undefined if it is no lock. */
export const lockedName = (entry: string): string | undefined => /^\.(.+)\.lock$/.exec(entry)?.[1];

/** "pid 12" (this host) or "pid 12 on host node7". */
const who = (h: Holder): string => (h.host === ME.host ? `pid ${h.pid}` : `pid ${h.pid} on host ${h.host}`);

/** Is the writer that made this lock surely gone? Only a lock of this host can be judged. */
function isStale(h: Holder): boolean {
  if (h.host !== ME.host) return false;
  if (h.boot !== undefined && BOOT !== undefined && h.boot !== BOOT) return true; // the machine restarted since
  if (h.pid === ME.pid) return ME.start !== undefined && h.start !== undefined && h.start !== ME.start;
  if (!processAlive(h.pid)) return true;
  const start = h.start === undefined ? undefined : startOf(h.pid);
  return start !== undefined && start !== h.start; // the id now names another process
}

/**
 * The lock file's text (at most 4 KiB, never through a link, never waiting on a FIFO), or undefined if it is
 * gone. Something there that is not a regular file is a UserError naming it.
 */
function readLock(path: string, target: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EISDIR') throw notALock(path, target, `it is ${describeKind(kindOf(path))}`);
    throw onOutput(path, 'read the lock file', () => { throw e; });
  }
  try {
    const kind = kindOfStats(fstatSync(fd));
    if (kind !== 'file') throw notALock(path, target, `it is ${describeKind(kind)}`);
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const notALock = (path: string, target: string, found: string) =>
  new UserError('io', `cannot take the lock for ${target}: ${found}, not an mlplab lock file; remove it if no mlplab process is writing there`, { file: path });

/** An old lock's text: a process id alone. */
const OLD_LOCK = /^\d+\n?$/;

/** The holder a lock's text names; old locks (OLD_LOCK) are this host's; anything else is undefined. */
function parseLock(text: string): Holder | undefined {
  if (OLD_LOCK.test(text)) return { mlplab: 'lock', host: ME.host, pid: Number(text), thread: 0, nonce: '' };
  try {
    const h = JSON.parse(text) as Holder;
    const ok = h?.mlplab === 'lock' && typeof h.host === 'string' && Number.isSafeInteger(h.pid) && typeof h.nonce === 'string';
    return ok ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the lock-like file at path holds (read as a lock is: never through a link, never waiting on a FIFO) and
 * whether its holder is surely gone (isStale; undefined: no lock text there); undefined if it is gone or is not
 * a regular file. For judging what writers killed while taking a lock left (lockleftovers.ts).
 */
export function readHolder(path: string): { text: string; stale: boolean | undefined } | undefined {
  let text: string | undefined;
  try {
    text = readLock(path, path);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  const holder = parseLock(text);
  return { text, stale: holder === undefined ? undefined : isStale(holder) };
}

/** Creates the lock file whole (written aside, then hard-linked into place: never seen half-written); false if taken. */
function create(path: string, text: string): boolean {
  const temp = `${path}.new-${process.pid}-${threadIdNow()}-${LOCK_WRITE_TAG}${token()}`; // lockleftovers.ts judges it
  const fd = openSync(temp, 'wx');
  try {
    writeAll(fd, text);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp); // a full disk: no empty lock file left aside
    throw e;
  }
  closeSync(fd);
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(temp);
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Creates lock file `path` for us, taking over a stale one; returns our text, or the live holder. A stale lock
 * is removed only as removeStale says (never twice, never once it holds another text).
 */
function acquire(path: string, target: string, depth = 0): { mine: string; tookOver: boolean } | { holder: Holder } {
  const text = JSON.stringify({ mlplab: 'lock', host: ME.host, pid: ME.pid, thread: threadIdNow(), boot: BOOT, start: ME.start, nonce: token() } satisfies Holder) + '\n';
  let tookOver = false;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (create(path, text)) return { mine: text, tookOver };
    const found = readLock(path, target);
    if (found === undefined) continue; // released meanwhile
    const holder = parseLock(found);
    if (holder === undefined) throw notALock(path, target, `it holds ${JSON.stringify(found.slice(0, 60))}`);
    if (!isStale(holder) || depth >= 4) return { holder };
    const outcome = removeStale(path, target, found, depth);
    if (outcome === 'removed') tookOver = true;
    else if (outcome === 'busy') sleep(10); // another process is taking it over: look again in a moment
  }
  throw new UserError('io', `cannot take the lock for ${target}: it kept changing hands`, { file: path });
}

/**
 * Removes lock file `path`, found holding the text `found` of a holder judged gone (isStale): only while holding
 * the guard `PATH.takeover-HASH` (HASH: of that text), itself a lock taken the same way (acquire, one level
 * deeper), and only if the lock still holds that text. So of several processes finding one stale lock exactly one removes it.
 * 'busy': another process holds the guard; 'changed': the lock holds another text now (or is gone).
 */
export function removeStale(path: string, target: string, found: string, depth: number): 'removed' | 'changed' | 'busy' {
  const guardPath = `${path}.takeover-${sha256(found).slice(0, 16)}`;
  const guard = acquire(guardPath, target, depth + 1);
  if ('holder' in guard) return 'busy';
  try {
    if (readLock(path, target) !== found) return 'changed';
    unlinkSync(path);
    return 'removed';
  } finally {
    releaseFile(guardPath, guard.mine);
  }
}

/** Deletes lock file path if it still holds our text (a lock taken over meanwhile is not ours to delete). */
function releaseFile(path: string, mine: string): void {
  let now: string | undefined;
  try {
    now = readLock(path, path);
  } catch {
    return; // something else is there now: not ours to delete
  }
  if (now === mine) unlinkSync(path);
}

export interface LockOptions {
  /** Wait up to this many milliseconds for a live holder of this very lock to finish (summary.csv). */
  waitMs?: number;
}

/**
 * Takes `.NAME.lock` beside target (a folder, or a file such as summary.csv), then checks that no live lock
 * holds a folder above it or (for a folder) any entry below it; throws a UserError naming the other writer.
 */
export function takeLock(target: string, options: LockOptions = {}): Lock {
  const path = lockPath(target);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let got = tryLock(path, target);
  while ('holder' in got && Date.now() < deadline) {
    sleep(20);
    got = tryLock(path, target);
  }
  return held(got, target, path);
}

/**
 * takeLock waiting up to `waitMs` for a live holder without blocking this thread: between tries the event loop turns,
 * so a signal handler runs, and the wait ends as soon as `interrupt` answers (undefined: no lock taken, nothing
 * written). NOTE: takeLock's wait is Atomics.wait, during which no signal handler runs: Ctrl-C while summary.csv's
 * lock was held elsewhere did nothing for up to 60 s, and the command then failed on the lock, exit 1.
 */
export async function takeLockWaiting(target: string, waitMs: number, interrupt?: () => string | undefined): Promise<Lock | undefined> {
  const path = lockPath(target);
  const deadline = Date.now() + waitMs;
  let got = tryLock(path, target);
  while ('holder' in got && Date.now() < deadline) {
    if (interrupt?.() !== undefined) return undefined;
    await new Promise((done) => setTimeout(done, 20));
    if (interrupt?.() !== undefined) return undefined;
    got = tryLock(path, target);
  }
  return held(got, target, path);
}

const tryLock = (path: string, target: string) => onOutput(path, 'create the lock file', () => acquire(path, target));

/** The lock acquire took, once no live lock holds a folder above target or an entry below it; else the holder's error. */
function held(got: ReturnType<typeof acquire>, target: string, path: string): Lock {
  if ('holder' in got) throw busy(got.holder, target, target, path, '');
  const mine = got.mine;
  const lock = { release: () => onOutput(path, 'remove the lock file', () => releaseFile(path, mine)), tookOver: got.tookOver };
  try {
    checkAbove(target);
    checkBelow(target, 0);
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** relation: 'above' (the lock is of a folder holding target), 'below' (of an entry inside it), '' (of target). */
function busy(h: Holder, locked: string, target: string, path: string, relation: '' | 'above' | 'below'): UserError {
  const where = relation === 'above' ? `, which holds ${target}` : relation === 'below' ? `, inside ${target}` : '';
  const remote = h.host !== ME.host ? `; mlplab cannot tell from here whether it still runs: wait for it to finish, or delete ${path} if no mlplab process on ${h.host} is writing it` : `; wait for it to finish, or delete ${path} if that process is not mlplab`;
  return new UserError('io', `another mlplab process (${who(h)}) is writing ${locked}${where}${remote}`, { file: target });
}

/** A live mlplab lock at path, if any (anything else there, even a foreign .lock file, is not ours to judge). */
function liveHolder(path: string): Holder | undefined {
  const held = readHolder(path);
  return held?.stale === false && !OLD_LOCK.test(held.text) ? parseLock(held.text) : undefined;
}

function checkAbove(target: string): void {
  // NOTE: from the absolute path: a relative one ('a/seed=3' in a current folder inside the locked one) stops at '.'.
  for (let dir = dirname(resolve(target)); dirname(dir) !== dir; dir = dirname(dir)) {
    const path = lockPath(dir);
    if (kindOf(path) !== 'file') continue;
    const h = liveHolder(path);
    if (h !== undefined) throw busy(h, dir, target, path, 'above');
  }
}

/** Looks for live locks in folder dir and its real sub-folders (never through a link; dot-folders are staging). */
function checkBelow(dir: string, depth: number, top = dir): void {
  if (depth > 16 || kindOf(dir) !== 'folder') return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    const locked = e.isFile() ? lockedName(e.name) : undefined;
    if (locked !== undefined) {
      const h = liveHolder(path);
      if (h !== undefined) throw busy(h, join(dir, locked), top, path, 'below');
    } else if (e.isDirectory() && !e.name.startsWith('.')) checkBelow(path, depth + 1, top);
  }
}
