// What a writer killed while taking a folder's lock (lock.ts) leaves beside `.NAME.lock`, judged and removed:
// a takeover guard `.NAME.lock.takeover-HASH` (a guard's own guard adds another suffix), held while removing a
// stale lock, and a lock file or guard written aside `….new-PID-THREAD-HEX` (lock.ts create). Each is judged by
// the lock text it holds, as a lock is (lock.ts isStale): a live holder's is kept, and so is another host's
// (never judged on a guess); a link or anything that is not a regular file is never read through nor removed.
// Leaves out finding them (recover.ts lists the folders) and the locks themselves (lock.ts takes them over).

import { lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { lockWriteGone, readHolder, removeStale } from './lock.js';

/** create()'s name for a lock file (or a takeover guard) written aside: `.NAME.lock[.takeover-HASH…].new-PID-THREAD-HEX`. */
const LOCK_WRITE = /^\.(.+)\.lock(?:\.takeover-[0-9a-f]{16})*\.new-\d+-\d+-[0-9a-f]+$/;

/** A takeover guard's name (lock.ts removeStale's; a guard's own guard adds a suffix): `.NAME.lock.takeover-HASH…`. */
const GUARD = /^\.(.+)\.lock(?:\.takeover-[0-9a-f]{16})+$/;

/** How long a lock file written aside may stand before it is surely abandoned: create() links and removes it at once. */
const ABANDONED_MS = 60_000;

/** The name of the folder or file whose lock entry is a leftover of (a takeover guard or a lock written aside), or undefined. */
export const lockLeftoverName = (entry: string): string | undefined => GUARD.exec(entry)?.[1] ?? LOCK_WRITE.exec(entry)?.[1];

/**
 * Removes entry of folder dir if it is a lock leftover (lockLeftoverName) of a writer surely gone: a lock written
 * aside is unlinked (abandonedLockWrite), a guard taken over and removed (removeDeadGuard). One that cannot be
 * removed (gone meanwhile, its own guard not made: a full disk, something planted there) is left for the next
 * writer: a small file that blocks nothing.
 */
export function removeLockLeftover(dir: string, entry: string): void {
  const path = join(dir, entry);
  try {
    if (GUARD.test(entry)) removeDeadGuard(path, entry);
    else if (abandonedLockWrite(path, entry)) unlinkSync(path); // a regular file a moment ago (read without following a link): a link now would be unlinked, not followed
  } catch {
    // left for the next writer, as above
  }
}

/**
 * Whether `entry` (at path) is a lock file or guard written aside (LOCK_WRITE) whose writer is surely gone:
 * judged by the lock text it holds (host, boot, process and its start), as a lock is; one holding no whole lock
 * text (killed while writing it) by its name when this host and boot wrote it (lock.ts lockWriteGone: its process
 * gone), else once it is ABANDONED_MS old. Never by the process id in its name alone: on
 * a folder shared between hosts that id may be another host's writer, linking it now.
 */
function abandonedLockWrite(path: string, entry: string): boolean {
  if (!LOCK_WRITE.test(entry)) return false;
  const held = readHolder(path); // undefined: linked and removed meanwhile, or not a regular file
  if (held === undefined) return false;
  return held.stale ?? (lockWriteGone(entry) || Date.now() - lstatSync(path).mtimeMs > ABANDONED_MS);
}

/**
 * Removes takeover guard `entry` (at path; its writer killed while holding it) if its holder is surely gone,
 * taken over as a stale lock is (lock.ts removeStale), so a writer taking it over at the same moment is never
 * robbed of it, and only while it still holds the text judged.
 */
function removeDeadGuard(path: string, entry: string): void {
  const held = readHolder(path);
  if (held?.stale !== true) return; // gone, not a regular file, no lock text, or a holder not surely gone
  removeStale(path, path, held.text, entry.split('.takeover-').length - 1);
}
