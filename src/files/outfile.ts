// Checks an output file named on the command line or to the library (predict --out FILE, evaluate --out FILE,
// export --out FILE and exportModelFile's out) before any work: a folder, a path ending in /, a missing folder, a path through a
// file, anything there that is not a regular file (a FIFO, a device such as /dev/null, a socket, a symbolic
// link: files/safefs.ts), or one of the command's own input files is a UserError naming the path (exit 1). Failures of the write itself are named by the atomic writer
// (files/fsfail.ts reasons).

import { statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { onOutput } from './fsfail.js';
import { checkOutputFile } from './safefs.js';

/** Before any work: `file` must be a regular file or a new name in an existing folder, and none of `inputs`. */
export function checkOutFile(option: string, file: string, inputs: readonly string[] = []): void {
  const doing = `write ${option} here`;
  const fail = (reason: string) => new UserError('io', `cannot ${doing}: ${reason}`, { file });
  const stat = (path: string): Stats | undefined => onOutput(file, doing, () => statSync(path, { throwIfNoEntry: false }));
  if (stat(file)?.isDirectory()) throw fail('it is a folder; expected a file name');
  // resolve() drops a trailing separator: `new/` would pass as the file `new` in an existing folder, and the
  // write would fail only after the work (evaluate printed its report first) with ENOTDIR, 'a part of the path is a file'.
  if (file.endsWith('/') || file.endsWith(sep)) throw fail(`the path ends in "${file.endsWith('/') ? '/' : sep}", which names a folder; expected a file name`);
  const folder = dirname(resolve(file));
  const parent = stat(folder);
  if (parent === undefined) throw fail(`its folder ${JSON.stringify(folder)} does not exist`);
  if (!parent.isDirectory()) throw fail('a part of its folder path is a file, not a folder');
  checkOutputFile(file, option);
  const out = stat(file);
  for (const input of inputs) {
    const s = statSync(input, { throwIfNoEntry: false });
    const same = resolve(input) === resolve(file) || (out !== undefined && s !== undefined && s.dev === out.dev && s.ino === out.ino);
    if (same) throw fail(`it is also an input of this command (${input}); write the output to another file`);
  }
}
