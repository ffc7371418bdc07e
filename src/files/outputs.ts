// Writing a run's files so that a crash, a kill, Ctrl-C or a power loss never leaves a half-written file and
// never destroys the previous results: everything is written into a hidden staging folder beside the target
// (the loss log streams into it while training runs), flushed to disk, and then replaces the old folder by
// two renames; the old folder is removed only after the new one is in place. A lock (lock.ts) keeps two
// processes from writing the same folder or one inside it; the next writer repairs what a killed one left
// (recover.ts). Nothing is removed or moved through a symbolic link, and outputs go only to regular files or
// new paths (safefs.ts). Failures name the path (fsfail.ts).

import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { onOutput, outputError, testFail, testPause } from './fsfail.js';
import { takeLock, type Lock } from './lock.js';
import { asidePath, LeftoverScan, putBackKept, recover, removeAbandonedPartials } from './recover.js';
import { checkOutputFile, describeKind, kindOf, syncAll, syncData, syncFolder, writeAll } from './safefs.js';

/**
 * Refuses a target that is not strictly inside its parent folder (`.`, `..`, `''`, `/`): replacing such a
 * "folder" would swap out the parent itself, with everything else in it.
 */
function assertStrictlyInsideParent(target: string): void {
  const name = basename(target);
  const inside = name !== '' && name !== '.' && name !== '..' && resolve(dirname(target), name) === resolve(target) && dirname(resolve(target)) !== resolve(target);
  if (!inside) throw new UserError('usage', `refusing to write ${JSON.stringify(target)}: an output must be a named entry strictly inside its parent folder`);
}

/**
 * Writes `file` aside, flushes it to disk, then renames it into place (and flushes the folder's names): readers
 * see the old file or the whole new one, also after a power loss. `file` must be a regular file or a new path
 * (safefs.ts checkOutputFile: never a FIFO, device, folder or link, which the rename would replace). Text is
 * written as UTF-8, a Uint8Array (an export's ONNX or safetensors file) as it is. Partial copies of file that
 * killed writers left beside it are removed first once surely abandoned (recover.ts removeAbandonedPartials).
 * A failure is named `as` (default: file and 'write the file'): a file of a staging folder by its place in the
 * run's folder, since the staging folder is removed with the failure.
 */
export function writeFileAtomically(file: string, text: string | Uint8Array | readonly string[], as: { path: string; doing: string } = { path: file, doing: 'write the file' }): void {
  assertStrictlyInsideParent(file);
  checkOutputFile(file);
  removeAbandonedPartials(file);
  const partial = asidePath(file, 'partial');
  let made = false;
  try {
    const fd = openSync(partial, 'wx'); // wx: a planted link or file of that name is never written through
    made = true;
    try {
      for (const part of typeof text === 'string' || text instanceof Uint8Array ? [text] : text) writeAll(fd, part);
      testFail('file-write');
      syncData(fd);
    } finally {
      closeSync(fd);
    }
    testFail('file-rename');
    renameSync(partial, file);
    made = false;
    syncFolder(dirname(file));
  } catch (e) {
    if (made) rmSync(partial, { force: true });
    throw outputError(as.path, as.doing, e);
  }
}

/**
 * Checks, without writing anything, that folder `dir` could be written: its nearest existing ancestor is a
 * writable folder, and dir itself, if it exists, is a folder and not a symbolic link (replacing it would
 * replace or empty what the link points to). For checking every output before training.
 */
export function checkOutputFolder(dir: string): void {
  assertStrictlyInsideParent(dir);
  let p = resolve(dirname(dir));
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  onOutput(p, 'write into this folder', () => {
    if (!statSync(p).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(p, constants.W_OK);
  });
  checkOutputFolderKind(dir);
}

/** checkOutputFolder's check of dir itself, alone (one lstat): missing, or a folder and not a symbolic link. */
export function checkOutputFolderKind(dir: string): void {
  const kind = onOutput(dir, 'write the results here', () => kindOf(dir));
  if (kind === 'link') throw linked(dir);
  if (kind !== 'missing' && kind !== 'folder') throw new UserError('io', `cannot write the results here: it is ${kind === 'file' ? 'a file' : describeKind(kind)}, not a folder`, { file: dir });
}

const linked = (dir: string) =>
  new UserError('io', 'cannot write the results here: it is a symbolic link; mlplab never replaces a linked results folder or writes through it: make it a folder, or give the link\'s target as --out', { file: dir });

/**
 * Refuses a symbolic link at any level from below `out` down to `dir` (results/NAME of a sweep, the run folder):
 * a run would write through it, outside the results. `out` itself (and what is above it) may be a link.
 */
export function checkNoLinkBelow(out: string, dir: string): void {
  const levels = relative(resolve(out), resolve(dir)).split(sep);
  if (levels[0] === '..' || levels[0] === '') return; // not below out
  let path = out;
  for (const level of levels) {
    path = join(path, level);
    let kind;
    try {
      kind = kindOf(path);
    } catch {
      return; // a path that cannot be looked at (EACCES, ELOOP): checkOutputFolder names it; a file on the way is 'missing' (kindOf)
    }
    if (kind === 'link') throw linked(path);
    if (kind !== 'folder') return;
  }
}

/** Makes folder dir and its missing parents, one level at a time (a recursive mkdir can hang on /proc). */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  while (!existsSync(p) && dirname(p) !== p) missing.push(p), (p = dirname(p));
  for (const m of missing.reverse()) onOutput(m, 'create the folder', () => mkdirIfAbsent(m));
}

/** mkdir that accepts a folder made meanwhile by another writer (parallel sweep workers share parents). */
function mkdirIfAbsent(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw e;
  }
}

/** A results folder being written: staged beside `dir` under its lock, then committed (or abandoned). */
export class StagedFolder {
  private readonly fds = new Map<string, number>();
  private closed = false;
  /** On process.exit (a second Ctrl-C) before commit: no staging folder or lock is left behind. */
  private readonly onExit = () => this.close();

  private constructor(readonly dir: string, readonly staging: string, private readonly lock: Lock, private readonly scan?: LeftoverScan) {
    process.on('exit', this.onExit);
  }

  /**
   * Checks the place, takes dir's lock, repairs leftovers of killed writers, and makes the staging folder. With a
   * scan, the folder holding dir is listed for leftovers once for all the folders opened in it (recover.ts).
   * `siblings`: the folders beside dir that commit may write instead (a run's NAME.diverged/, NAME.interrupted/),
   * under dir's lock, repaired with it; `spare`: a dead writer's staging folder that recovery leaves (a resume's
   * checkpoint is there).
   */
  static open(dir: string, scan?: LeftoverScan, options: { siblings?: readonly string[]; spare?: string } = {}): StagedFolder {
    checkOutputFolder(dir);
    makeFolder(dirname(dir));
    const lock = takeLock(dir);
    try {
      if (lock.tookOver) scan?.forget(dir);
      const listing = scan ?? new LeftoverScan(); // one listing of the folder for dir and its siblings
      recover(dir, listing, options.spare);
      for (const sibling of options.siblings ?? []) recover(sibling, listing);
      const staging = asidePath(dir, 'partial');
      onOutput(staging, 'create the staging folder', () => (testFail('open'), mkdirSync(staging)));
      return new StagedFolder(dir, staging, lock, scan);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Appends text to file `name` in the staging folder (kept open until commit or close). */
  append(name: string, text: string): void {
    onOutput(join(this.dir, name), 'write', () => (testFail(name === 'loss.csv' ? 'append' : 'write'), writeAll(this.fd(name), text)));
  }

  /** Writes file `name` in the staging folder whole (a name written once). */
  write(name: string, text: string): void {
    this.append(name, text);
  }

  private fd(name: string): number {
    let fd = this.fds.get(name);
    if (fd === undefined) this.fds.set(name, (fd = openSync(join(this.staging, name), 'wx')));
    return fd;
  }

  /**
   * Puts the staged files in place as `target` (default dir; it must share dir's lock: dir or a sibling). The
   * old folder's entries that `keep` names (and the staging folder lacks) move into the new one: the
   * sub-folders of other runs below a run's folder. Every file and the staging folder are flushed to disk
   * first, all at once (safefs.ts syncAll); the parent folder after the renames unless `syncParent` is false:
   * a sweep's runs leave that to the sweep's summary.csv, written into the same folder (one fsync a folder).
   */
  async commit(target: string = this.dir, keep?: Keep, options: { syncParent?: boolean } = {}): Promise<void> {
    try {
      testFail('sync');
      await syncAll([...this.fds.values()], this.staging);
    } catch (e) {
      throw outputError(this.dir, 'write the results to disk', e);
    }
    this.closeFiles();
    testPause('staged');
    if (target !== this.dir) {
      checkOutputFolder(target);
      recover(target, this.scan);
    }
    replace(this.staging, target, keep, options.syncParent ?? true);
    this.closed = true;
    this.lock.release();
    process.off('exit', this.onExit);
  }

  /**
   * Abandons the staging folder (after a failure) and releases the lock; nothing happens after commit. Any
   * sub-folder in the staging folder (another run's, moved there by a failed commit) goes back first.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.onExit);
    try {
      this.closeFiles();
      putBackKept(this.staging, this.dir);
      rmSync(this.staging, { recursive: true, force: true });
    } finally {
      this.lock.release();
    }
  }

  private closeFiles(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** Which entries of a folder being replaced are kept (moved into its replacement). */
export type Keep = (name: string, isDirectory: boolean) => boolean;

/** Replaces folder target by staging: kept entries moved over, old moved aside, new renamed in, old removed. */
function replace(staging: string, target: string, keep: Keep | undefined, syncParent: boolean): void {
  const parent = dirname(target);
  const old = asidePath(target, 'old');
  onOutput(target, 'replace the results folder', () => {
    const kind = kindOf(target);
    if (kind === 'link') throw new UserError('io', 'cannot replace the results here: it is a symbolic link (made while this run trained?); the run is not kept', { file: target });
    if (kind !== 'missing' && kind !== 'folder') throw Object.assign(new Error(), { code: 'ENOTDIR' });
    const hadOld = kind === 'folder';
    const moved: string[] = [];
    try {
      // NOTE: a kill after moving kept entries leaves them in the staging folder; recovery puts them back.
      if (hadOld && keep) {
        const staged = new Set(readdirSync(staging)); // NOTE: listed only here: a sweep's new run folder has no old one
        for (const e of readdirSync(target, { withFileTypes: true })) {
          if (!staged.has(e.name) && keep(e.name, e.isDirectory())) renameSync(join(target, e.name), join(staging, e.name)), moved.push(e.name), testFail('keep');
        }
      }
      testFail('rename-old');
      if (hadOld) renameSync(target, old);
    } catch (e) {
      for (const name of moved) renameSync(join(staging, name), join(target, name)); // the other runs back where they were
      throw e;
    }
    testPause('between-renames');
    try {
      testFail('rename-new');
      renameSync(staging, target);
    } catch (e) {
      if (hadOld) {
        renameSync(old, target); // put the previous results back, and the other runs into them
        for (const name of moved) renameSync(join(staging, name), join(target, name));
      }
      throw e;
    }
    if (syncParent) onOutput(parent, "write the results folder's new name to disk", () => (testFail('parent-sync'), syncFolder(parent)));
    testPause('renamed');
    // NOTE: the new results are in place: an old folder that cannot be removed is left to the next run's recovery.
    if (hadOld) {
      try {
        testFail('remove-old');
        removeFolder(old);
      } catch {
        // left as .NAME.old-*: recover() removes it (the run folder exists, so it is not restored)
      }
    }
  });
}

/** Deletes folder dir (a real folder): its files one by one, any sub-folder by rmSync (which loads Node's rimraf, ≈1 ms: only then). */
function removeFolder(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) rmSync(path, { recursive: true, force: true });
    else unlinkSync(path);
  }
  rmdirSync(dir);
}

/**
 * Writes `files` (name → contents) as the folder `dir`, replacing any earlier folder of that name whole, except
 * the entries `keep` names (moved into the new folder before it replaces the old: sub-folders of other runs).
 */
export async function writeFolderAtomically(dir: string, files: Record<string, string>, options: { keep?: Keep } = {}): Promise<void> {
  const folder = StagedFolder.open(dir);
  try {
    for (const [name, text] of Object.entries(files)) folder.write(name, text);
    await folder.commit(dir, options.keep);
  } finally {
    folder.close();
  }
}
