// File-system steps that cannot be turned against their user: what a path is without following a link
// (lstat), outputs only to regular files or new paths, writes that check every byte was written, data and
// names flushed to disk (fsync) before a rename publishes them, folders removed without following links, and
// reading only regular files (never waiting on a FIFO) with a bound on their size (a huge file must not grow memory).
// NOTE: written here, not taken from a library: write-file-atomic and fs-extra follow links when they replace
// or remove, neither refuses FIFOs or devices, and neither lets the caller choose when a folder is fsync'ed
// (one fsync of the folder for all its files is what keeps a sweep fast; see docs/guide/07-guarantees.md).

import { closeSync, constants, fdatasync, fdatasyncSync, fstatSync, fsync, fsyncSync, lstatSync, openSync, readSync, rmSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { UserError } from '../errors.js';

export type Kind = 'missing' | 'file' | 'folder' | 'link' | 'fifo' | 'character device' | 'block device' | 'socket';

/** What is at path, the entry itself (a symbolic link is a link, never what it points to). */
export function kindOf(path: string): Kind {
  try {
    return kindOfStats(lstatSync(path, { throwIfNoEntry: false }));
  } catch (e) {
    // NOTE: throwIfNoEntry covers ENOENT only; a path through a file (results/x/config.json, x a file) is missing too.
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw e;
  }
}

export function kindOfStats(s: Stats | undefined): Kind {
  if (s === undefined) return 'missing';
  if (s.isSymbolicLink()) return 'link';
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'folder';
  if (s.isFIFO()) return 'fifo';
  if (s.isCharacterDevice()) return 'character device';
  if (s.isBlockDevice()) return 'block device';
  return 'socket';
}

const DESCRIBED: Readonly<Record<Kind, string>> = Object.freeze({
  missing: 'missing',
  file: 'a regular file',
  folder: 'a folder',
  link: 'a symbolic link',
  fifo: 'a named pipe (FIFO)',
  'character device': 'a character device',
  'block device': 'a block device',
  socket: 'a socket',
});

/** "a named pipe (FIFO)", "a symbolic link", ... */
export const describeKind = (kind: Kind): string => DESCRIBED[kind];

/**
 * Refuses, before any work, an output file that is there and is not a regular file: a folder, a link (it
 * would be replaced by a file, not written through), a FIFO, a device or a socket (replacing /dev/null
 * with a regular file is the failure this prevents). A new path is fine.
 */
export function checkOutputFile(path: string, option = 'the output'): void {
  const kind = kindOf(path);
  if (kind === 'missing' || kind === 'file') return;
  const hint = kind === 'folder' ? 'expected a file name' : kind === 'link' ? 'give the path the link points to, or remove the link' : 'mlplab writes outputs only to regular files or new paths';
  throw new UserError('io', `cannot write ${option} here: it is ${describeKind(kind)}, not a regular file; ${hint}`, { file: path });
}

/** Writes all of data at fd's position, looping over short writes (a write may take only part of it). */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let done = 0; done < bytes.length; ) {
    const n = writeSync(fd, bytes, done, bytes.length - done);
    if (n <= 0) throw Object.assign(new Error(`wrote ${done} of ${bytes.length} bytes`), { code: 'EIO' });
    done += n;
  }
}

/** Flushes a file's data to the device (fdatasync: its size too, not its times). */
export const syncData = (fd: number): void => fdatasyncSync(fd);

/**
 * Flushes the data of the open files `fds` and the names in `folder` to the device, all at once: the file
 * system commits its journal once for the lot (six small files: ≈1 ms here, against ≈5 ms one after another).
 */
export async function syncAll(fds: readonly number[], folder: string): Promise<void> {
  const dirFd = openSync(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  const call = (f: typeof fsync, fd: number, passOver?: string) =>
    new Promise<void>((done, fail) => f(fd, (e) => (e && e.code !== passOver ? fail(e) : done())));
  try {
    await Promise.all([...fds.map((fd) => call(fdatasync, fd)), call(fsync, dirFd, 'EINVAL')]);
  } finally {
    closeSync(dirFd);
  }
}

/**
 * Flushes a folder's entries (names made, renamed, removed in it) to the device. A file system that cannot
 * fsync a folder (EINVAL, as some network ones) is passed over: there the rename is as durable as it gets.
 */
export function syncFolder(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    closeSync(fd);
  }
}

/** Removes path whatever it is, never following a link: a link is unlinked, a folder removed with all in it. */
export function removeEntry(path: string): void {
  const kind = kindOf(path);
  if (kind === 'missing') return;
  // NOTE: rmSync removes a link inside a folder as a link (Node's rimraf lstats every entry).
  if (kind === 'folder') rmSync(path, { recursive: true, force: true });
  else unlinkSync(path);
}

/**
 * The largest files mlplab reads whole, in bytes: far above any real one, low enough that a wrong path (a
 * disk image, a core dump) is refused instead of filling memory. Data CSVs are streamed, unbounded.
 */
export const READ_LIMITS = Object.freeze({
  experiment: 64 << 20,
  model: 256 << 20,
  golden: 64 << 20,
  /** run.json, config.json of a run folder. */
  runFile: 16 << 20,
});

/** 64 MiB, or 1500 bytes. */
const sizeText = (bytes: number): string => (bytes % (1 << 20) === 0 ? `${bytes >> 20} MiB` : `${bytes} bytes`);

/**
 * Reads at most `limit` bytes of a regular file as UTF-8; a longer file is a UserError saying the limit, and
 * anything else (a FIFO, a device such as /dev/zero, a socket, a folder) a UserError saying what it is, before a
 * byte is read. `what` names the file in the message ("an experiment file").
 */
export function readBounded(file: string, limit: number, what: string): string {
  return readBoundedBytes(file, limit, what).toString('utf8');
}

/**
 * Opens a file to read it, and only a regular file (a link to one is followed). O_NONBLOCK: opening a FIFO waits
 * for a writer, forever if none comes (a run stuck there ignores SIGTERM and keeps its locks); with it the open
 * returns at once, and the fstat refuses the FIFO. A socket cannot be opened (ENXIO), and is said to be one.
 * Returns the descriptor and the size that fstat gave.
 */
function openRegularFile(file: string, what: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') throw notRegular(file, what, kindOfStats(statSync(file, { throwIfNoEntry: false })));
    throw e;
  }
  const stats = fstatSync(fd);
  const kind = kindOfStats(stats);
  if (kind !== 'file') {
    closeSync(fd);
    throw notRegular(file, what, kind);
  }
  return { fd, size: stats.size };
}

const notRegular = (file: string, what: string, kind: Kind): UserError =>
  new UserError('io', kind === 'folder' ? `expected ${what}, but found a folder` : `expected ${what} (a regular file), but found ${describeKind(kind)}`, { file });

/** readBounded's bytes, undecoded (for a digest of exactly what was read). */
export function readBoundedBytes(file: string, limit: number, what: string): Buffer {
  const { fd, size } = openRegularFile(file, what);
  const tooLarge = () => new UserError('io', `expected ${what} of at most ${sizeText(limit)}, but it is larger (is it the right file?)`, { file });
  try {
    if (size > limit) throw tooLarge(); // before reading; and while reading, as the file may grow
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 16, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a file to be read that is not a regular file, as openRegularFile does, without reading it. */
export function checkRegularFile(file: string, what: string): void {
  closeSync(openRegularFile(file, what).fd);
}
