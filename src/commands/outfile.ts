// Checks an output file named on the command line (predict --out FILE) before any work: a folder, a missing
// folder or a path through a file is a UserError naming the path (exit 1). Failures of the write itself are
// named by the atomic writer (files/fsfail.ts reasons).

import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { onOutput } from '../files/fsfail.js';

/** Before any work: `file` must not be a folder, and its folder must exist and be a folder. */
export function checkOutFile(option: string, file: string): void {
  const doing = `write ${option} here`;
  const fail = (reason: string) => new UserError('io', `cannot ${doing}: ${reason}`, { file });
  const stat = (path: string): Stats | undefined => onOutput(file, doing, () => statSync(path, { throwIfNoEntry: false }));
  if (stat(file)?.isDirectory()) throw fail('it is a folder; expected a file name');
  const folder = dirname(resolve(file));
  const parent = stat(folder);
  if (parent === undefined) throw fail(`its folder ${JSON.stringify(folder)} does not exist`);
  if (!parent.isDirectory()) throw fail('a part of its folder path is a file, not a folder');
}
