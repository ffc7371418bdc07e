// Shared test helpers for the data layer: temp files, a fake YAML locator, and catching UserErrors.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPath, UserError, type Where } from '../../src/errors.js';

/** A fresh temp dir; `write(name, text)` puts a file in it and returns its path. */
export function tempDir(): { dir: string; write: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'mlplab-data-'));
  return {
    dir,
    write: (name, text) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
  };
}

/** A locator that puts every YAML key at a line of its own, recording the dotted path. */
export function fakeAt(file = 'exp.yaml'): Where {
  return (path) => ({ file, line: 100 + formatPath(path).length, column: 3, path: formatPath(path) });
}

/** The UserError thrown by f (fails the test if f throws something else or nothing). */
export function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}
