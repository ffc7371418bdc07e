// Repairing what writers killed mid-write left beside a results folder (call it holding the folder's lock,
// lock.ts): the previous complete results moved aside are put back, other runs' folders moved into a
// staging folder go back to where they were, and the rest (staging folders, old folders) is removed. Only
// real folders are renamed or read: an entry of such a name that is a link or a file is unlinked, never
// followed, so a planted link cannot make recovery move or delete what it points to. A sweep's folder is
// listed once for all its runs (LeftoverScan), and the locks dead writers left beside its completed runs are
// cleared once its runs are done (clearStaleLocks). What writers killed while taking a lock left (takeover guards,
// locks written aside) goes too, found in the same listings. Taking and judging locks is lock.ts's and
// lockleftovers.ts's.

import { mkdirSync, readdirSync, renameSync, type Dirent } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { onOutput } from './fsfail.js';
import { isUserError } from '../errors.js';
import { lockedName, takeLock, writerGone } from './lock.js';
import { lockLeftoverName, removeLockLeftover } from './lockleftovers.js';
import { kindOf, removeEntry } from './safefs.js';

/**
 * A writer's entry beside `path`: its staging copy ('partial') or the previous results moved aside ('old'), named
 * `.NAME.KIND-PID-TIME` (this process, now). The one home of that name: recover() parses it (ANY_ASIDE).
 */
export const asidePath = (path: string, kind: 'partial' | 'old'): string => join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${Date.now()}`);

/**
 * A writer's leftover beside a folder: its entry name, whether it is a real folder, its kind, and for an aside
 * entry (asidePath) its writer and time; 'lock': what a writer left while taking the folder's lock (lockleftovers.ts).
 */
type Leftover = { f: string; folder: boolean } & ({ kind: 'old' | 'partial'; pid: number; time: number } | { kind: 'lock' });

/** Matches any asidePath name: [1] the folder's name, [2] the kind, [3] the writer's process id, [4] the time. */
const ANY_ASIDE = /^\.(.+)\.(old|partial)-(\d+)-(\d+)$/;

/**
 * The leftovers of writers in folders, each folder listed once: a sweep's runs share their folder, which a
 * listing per run would read whole again for each (quadratic in the runs). Use one for an invocation (or a
 * worker), and only holding the lock of each folder recovered (lock.ts), asking again (forget) after taking over
 * a dead writer's lock: a writer's leftovers beside NAME/ are made only while it holds NAME's lock, and removed
 * before it lets go of it, so leftovers made after the listing are of a writer that died holding the lock.
 * Those listed are looked at again (lstat) before anything is done with them: another writer may have removed them.
 * Lock leftovers (a writer killed while taking the lock, not holding it) made after the listing wait for the next one.
 */
export class LeftoverScan {
  private readonly folders = new Map<string, Map<string, Leftover[]>>();

  /** list: how a folder is listed (a test counts the listings through it). */
  constructor(private readonly list: (dir: string) => Dirent[] = (dir) => readdirSync(dir, { withFileTypes: true })) {}

  /** The leftovers beside dir (listed when its folder is first asked about), each still there and what it is now. */
  of(dir: string): Leftover[] {
    const parent = resolve(dirname(dir));
    const byName = this.folders.get(parent) ?? this.listing(parent);
    const listed = byName.get(basename(dir)) ?? [];
    byName.delete(basename(dir)); // recovered now: what is left after is this process's, or made by a writer that died holding the lock
    return listed.flatMap((e) => {
      const kind = kindOf(join(parent, e.f));
      return kind === 'missing' ? [] : [{ ...e, folder: kind === 'folder' }];
    });
  }

  /** Lists folder parent: its leftovers by the name of the folder they are beside. */
  private listing(parent: string): Map<string, Leftover[]> {
    const byName = new Map<string, Leftover[]>();
    const add = (name: string, leftover: Leftover) => (byName.get(name) ?? byName.set(name, []).get(name)!).push(leftover);
    for (const e of this.list(parent)) {
      const m = ANY_ASIDE.exec(e.name);
      const lockOf = m === null ? lockLeftoverName(e.name) : undefined;
      if (m !== null) add(m[1], { f: e.name, folder: e.isDirectory(), kind: m[2] as 'old' | 'partial', pid: Number(m[3]), time: Number(m[4]) });
      else if (lockOf !== undefined) add(lockOf, { f: e.name, folder: false, kind: 'lock' });
    }
    this.folders.set(parent, byName);
    return byName;
  }

  /** Lists dir's folder again when next asked (after taking over a dead writer's lock: it may have left more). */
  forget(dir: string): void {
    this.folders.delete(resolve(dirname(dir)));
  }
}

/**
 * How old a file's partial copy (writeFileAtomically's `.FILE.partial-PID-TIME`) must be, its writer not running
 * here, to be surely abandoned: such a copy is written and renamed at once, and on a folder shared between hosts
 * the PID alone cannot tell a dead writer from another host's (an hour: far longer than any write takes).
 */
const PARTIAL_FILE_ABANDONED_MS = 60 * 60_000;

/**
 * Removes the partial copies of file that writers killed mid-write left beside it (writeFileAtomically writes no
 * lock): those over PARTIAL_FILE_ABANDONED_MS old whose process is not running here. A folder of such a name is a
 * run's staging folder, recover()'s; anything that cannot be removed is left for the next write.
 */
export function removeAbandonedPartials(file: string): void {
  const now = Date.now();
  let leftovers: Leftover[];
  try {
    leftovers = new LeftoverScan().of(file);
  } catch {
    return; // no folder to list (yet): nothing left there; the write says what is wrong
  }
  for (const e of leftovers) {
    if (e.kind !== 'partial' || e.folder || now - e.time < PARTIAL_FILE_ABANDONED_MS || !writerGone(e.pid, e.time)) continue;
    try {
      removeEntry(join(dirname(file), e.f));
    } catch {
      // left for the next write
    }
  }
}

/**
 * When dir is missing, the newest `.NAME.old-*` folder (the previous complete results, moved aside) is renamed
 * back; other old folders are removed, and so are staging folders `.NAME.partial-PID-*` of processes no longer
 * running, after the run folders they hold are put back (putBackKept), and what writers killed while taking dir's
 * lock left there, if surely gone (lockleftovers.ts). With a scan, the folder holding dir is listed once for all
 * the folders recovered in it (LeftoverScan), else now. `spare`: a dead writer's staging folder a run resumes from
 * (its checkpoint), which stays, the runs it holds put back, until the resumed run completes (runner/checkpoints.ts
 * retire): removed now, a resumed run that fails would leave no checkpoint to resume from.
 */
export function recover(dir: string, scan?: LeftoverScan, spare?: string): void {
  const parent = dirname(dir);
  const listed = (scan ?? new LeftoverScan()).of(dir);
  for (const e of listed) if (e.kind === 'lock') removeLockLeftover(parent, e.f);
  const found = listed.flatMap((e) => (e.kind === 'lock' ? [] : [e]));
  const olds = found.filter((e) => e.folder && e.kind === 'old').sort((a, b) => b.time - a.time);
  if (olds.length > 0 && kindOf(dir) === 'missing') {
    onOutput(dir, 'restore the previous results', () => renameSync(join(parent, olds[0].f), dir));
    olds.shift();
  }
  for (const { f, folder, kind, pid, time } of found) {
    const path = join(parent, f);
    // NOTE: an "old" entry that is not a real folder (a link, a file) was never made by a writer: only unlinked.
    const stale = kind === 'old' ? !folder || olds.some((o) => o.f === f) : writerGone(pid, time);
    if (!stale) continue;
    if (kind === 'partial' && folder) putBackKept(path, dir);
    if (spare !== undefined && resolve(path) === resolve(spare)) continue;
    onOutput(path, 'remove a leftover folder', () => removeEntry(path));
  }
}

/**
 * A writer killed (or failing) while replacing a folder may have moved the folder's kept sub-folders (other
 * runs) into its staging folder: they go back into dir (made again if it is missing) before the staging
 * folder is removed. A run's own files are never folders, so every real sub-folder in staging is another run's.
 */
export function putBackKept(staging: string, dir: string): void {
  if (kindOf(staging) !== 'folder') return;
  const folders = readdirSync(staging, { withFileTypes: true }).filter((e) => e.isDirectory());
  if (folders.length === 0) return;
  const there = kindOf(dir);
  if (there !== 'folder' && there !== 'missing') return;
  if (there === 'missing') onOutput(dir, 'restore a results folder', () => mkdirSync(dir));
  for (const e of folders) {
    if (kindOf(join(dir, e.name)) === 'missing') onOutput(join(dir, e.name), 'restore a run folder', () => renameSync(join(staging, e.name), join(dir, e.name)));
  }
}

/**
 * Removes the locks that dead writers left beside the run folders in folder dir that exist (a writer killed
 * between the rename that published its folder and letting go of the lock): each taken over as a writer would
 * (lock.ts) and let go at once; a live writer's is left as it is. The takeover guards and lock files written aside
 * that writers killed while taking any lock here left are removed too, judged by their text (lockleftovers.ts),
 * not by the PID alone. For a sweep's folder once its runs are done:
 * run again, the sweep skips its completed runs, so no writer of theirs would ever take these over.
 */
export function clearStaleLocks(dir: string): void {
  if (kindOf(dir) !== 'folder') return;
  const entries = readdirSync(dir, { withFileTypes: true });
  const folders = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  for (const e of entries) {
    // A guard or lock written aside by a writer killed while taking a lock (of any name here): removed if surely gone.
    if (lockLeftoverName(e.name) !== undefined) {
      removeLockLeftover(dir, e.name);
      continue;
    }
    const name = lockedName(e.name);
    if (name === undefined || !e.isFile() || !folders.has(name)) continue;
    try {
      takeLock(join(dir, name)).release();
    } catch (err) {
      if (!isUserError(err)) throw err; // a live writer's lock, or no lock at all: not ours to remove
    }
  }
}
