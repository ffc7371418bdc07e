// Writing a run's files so that a crash or Ctrl-C never leaves a half-written file and never destroys the
// previous results: everything is written into a hidden sibling folder, which then replaces the old one by
// renames (the old folder is removed only after the new one is in place).

import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Refuses a target that is not strictly inside its parent folder (`.`, `..`, `''`, `/`): replacing such a
 * "folder" would swap out the parent itself, with everything else in it.
 */
function assertStrictlyInsideParent(target: string): void {
  const name = basename(target);
  const inside = name !== '' && name !== '.' && name !== '..' && resolve(dirname(target), name) === resolve(target) && dirname(resolve(target)) !== resolve(target);
  if (!inside) throw new Error(`refusing to write ${JSON.stringify(target)}: an output must be a named entry strictly inside its parent folder`);
}

/** Writes `file` aside, then renames it into place: readers see the old file or the whole new one. */
export function writeFileAtomically(file: string, text: string): void {
  assertStrictlyInsideParent(file);
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}-${Date.now()}`);
  writeFileSync(partial, text);
  renameSync(partial, file);
}

/**
 * Writes `files` (name → contents) as the folder `dir`, replacing any earlier folder of that name whole, except
 * the entries `keep` names (moved into the new folder before it replaces the old: sub-folders of other runs).
 */
export function writeFolderAtomically(dir: string, files: Record<string, string>, options: { keep?: (name: string, isDirectory: boolean) => boolean } = {}): void {
  assertStrictlyInsideParent(dir);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${basename(dir)}.partial-${tag}`);
  const old = join(parent, `.${basename(dir)}.old-${tag}`);
  mkdirSync(staging);
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, name), text);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const hadOld = existsSync(dir);
  if (hadOld && options.keep) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!(e.name in files) && options.keep(e.name, e.isDirectory())) renameSync(join(dir, e.name), join(staging, e.name));
    }
  }
  if (hadOld) renameSync(dir, old);
  renameSync(staging, dir);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}
