// File-system failures on output as user errors naming the path (a full disk, a read-only folder, a file
// where a folder should be are the user's to fix, never "internal errors"), and the points a test uses to kill
// a writer between its steps (testPause) or to make a step fail with a given error (testFail).

import { writeFileSync } from 'node:fs';
import { SYSTEM_REASONS, UserError } from '../errors.js';

/** A UserError for a failed file-system call: `path: cannot DO: REASON`. Non-fs errors pass through. */
export function outputError(path: string, doing: string, e: unknown): Error {
  if (e instanceof UserError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string') return e as Error;
  const reason = Object.hasOwn(SYSTEM_REASONS, code) ? SYSTEM_REASONS[code] : (e as Error).message;
  return new UserError('io', `cannot ${doing}: ${reason} (${code})`, { file: path }, code);
}

/** The failures that mean the device (or the user's quota on it) is full: the next run's files would meet them too. */
const FULL: readonly string[] = ['ENOSPC', 'EDQUOT'];

/** Is e an output failure because the device or the quota is full (outputError of ENOSPC or EDQUOT)? */
export const deviceFull = (e: unknown): boolean => e instanceof UserError && e.errno !== undefined && FULL.includes(e.errno);

/** Runs f, turning a file-system failure into outputError(path, doing). */
export function onOutput<T>(path: string, doing: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw outputError(path, doing, e);
  }
}

/**
 * For crash tests only: with MLPLAB_TEST_PAUSE=STEP:MARKER in the environment, the writer, on reaching STEP,
 * writes MARKER and blocks for a minute, so that the test can kill it exactly there. Unset: does nothing.
 */
export function testPause(step: string): void {
  const spec = process.env.MLPLAB_TEST_PAUSE;
  if (spec === undefined) return;
  const colon = spec.indexOf(':');
  if (spec.slice(0, colon) !== step) return;
  writeFileSync(spec.slice(colon + 1), step);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

/**
 * For crash tests only: with MLPLAB_TEST_FAIL=STEP:CODE in the environment (CODE an errno name such as ENOSPC,
 * EIO, EACCES, EFBIG), the writer's step STEP fails as if the file system had returned that error. Unset: does
 * nothing. The steps are listed in test/runs/harness.test.ts.
 */
export function testFail(step: string): void {
  const spec = process.env.MLPLAB_TEST_FAIL;
  if (spec === undefined) return;
  const colon = spec.indexOf(':');
  if (spec.slice(0, colon) !== step) return;
  const code = spec.slice(colon + 1);
  throw Object.assign(new Error(`${code}: injected at ${step}`), { code });
}
