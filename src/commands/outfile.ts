// Checks and writes an output file named on the command line (predict --out FILE): a folder, a missing
// folder or an unwritable place is a UserError naming the path (exit 1), before any work and at the write.

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomically } from '../files/outputs.js';

const REASONS: Readonly<Record<string, string>> = Object.freeze({
  ENOENT: 'it cannot be created there (no such file or directory)',
  ENOTDIR: 'a part of its folder path is a file, not a folder',
  EISDIR: 'it is a folder; expected a file name',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  ENAMETOOLONG: 'the name is too long',
});

function cannotWrite(option: string, file: string, reason: string): UserError {
  return new UserError('io', `cannot write ${JSON.stringify(file)} (${option}): ${reason}`);
}

/** Is `path` a folder (true), something else (false) or absent (undefined)? A failure to look is a UserError. */
function isFolder(option: string, file: string, path: string): boolean | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory();
  } catch (e) {
    throw cannotWrite(option, file, REASONS[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message);
  }
}

/** Before any work: `file` must not be a folder, and its folder must exist and be a folder. */
export function checkOutFile(option: string, file: string): void {
  if (isFolder(option, file, file) === true) throw cannotWrite(option, file, REASONS.EISDIR);
  const folder = dirname(resolve(file));
  const state = isFolder(option, file, folder);
  if (state === false) throw cannotWrite(option, file, REASONS.ENOTDIR);
  if (state === undefined) throw cannotWrite(option, file, `its folder ${JSON.stringify(folder)} does not exist`);
}

/** Writes `file` atomically; a file-system failure is a UserError naming the path. */
export function writeOutFile(option: string, file: string, text: string | readonly string[]): void {
  try {
    writeFileAtomically(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw cannotWrite(option, file, (e as Error).message.replace(/^refusing to write "[^"]*": /, ''));
    throw cannotWrite(option, file, REASONS[code] ?? (e as Error).message);
  }
}
