// Repairing what writers killed mid-write left beside a results folder (call it holding the folder's lock,
// lock.ts): the previous complete results moved aside are put back, other runs' folders moved into a
// staging folder go back to where they were, and the rest (staging folders, old folders) is removed. Only
// real folders are renamed or read: an entry of such a name that is a link or a file is unlinked, never
// followed, so a planted link cannot make recovery move or delete what it points to.

import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { onOutput } from './fsfail.js';
import { processAlive } from './lock.js';
import { kindOf, removeEntry } from './safefs.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A writer's entry beside `path`: its staging copy ('partial') or the previous results moved aside ('old'), named
 * `.NAME.KIND-PID-TIME` (this process, now). The one home of that name: recover() parses it (asidePattern).
 */
export const asidePath = (path: string, kind: 'partial' | 'old'): string => join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${Date.now()}`);

/** Matches the asidePath names of `path`: [1] the kind, [2] the writer's process id, [3] the time. */
const asidePattern = (path: string): RegExp => new RegExp(`^\\.${escape(basename(path))}\\.(old|partial)-(\\d+)-(\\d+)$`);

/**
 * When dir is missing, the newest `.NAME.old-*` folder (the previous complete results, moved aside) is renamed
 * back; other old folders are removed, and so are staging folders `.NAME.partial-PID-*` of processes no longer
 * running, after the run folders they hold are put back (putBackKept).
 */
export function recover(dir: string): void {
  const parent = dirname(dir);
  const pattern = asidePattern(dir);
  const found = readdirSync(parent, { withFileTypes: true })
    .map((e) => ({ f: e.name, folder: e.isDirectory(), m: pattern.exec(e.name) }))
    .filter((e) => e.m !== null);
  const olds = found.filter((e) => e.folder && e.m![1] === 'old').sort((a, b) => Number(b.m![3]) - Number(a.m![3]));
  if (olds.length > 0 && kindOf(dir) === 'missing') {
    onOutput(dir, 'restore the previous results', () => renameSync(join(parent, olds[0].f), dir));
    olds.shift();
  }
  for (const { f, folder, m } of found) {
    const path = join(parent, f);
    // NOTE: an "old" entry that is not a real folder (a link, a file) was never made by a writer: only unlinked.
    const stale = m![1] === 'old' ? !folder || olds.some((o) => o.f === f) : !processAlive(Number(m![2]));
    if (!stale) continue;
    if (m![1] === 'partial' && folder) putBackKept(path, dir);
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
