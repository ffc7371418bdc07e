// How bin/mlplab.js starts the CLI quickly (through dist/start.cjs, this module bundled as CommonJS): from the
// build's one-file bundle dist/mlplab.cjs (scripts/build-bundle.mjs) and the V8 code cache written beside it, so
// V8 neither resolves ≈130 modules nor parses and compiles what a run uses. Without the bundle: dist/cli.js.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { main, run } from './cli.js';
import { mark } from './trace.js';

/** What the CLI module gives bin/mlplab.js and the build. */
export interface CliModule {
  main: typeof main;
  run: typeof run;
}

export interface StartedCli {
  cli: CliModule;
  /** How it was loaded: the bundle with its code cache accepted or rejected, without one, or the modules. */
  how: 'cached' | 'cache rejected' | 'no cache' | 'modules';
  /** The compiled bundle (for writeCodeCache). */
  script?: Script;
}

export const BUNDLE = fileURLToPath(new URL('./mlplab.cjs', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.cache`;
const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));

/**
 * The build's mark, the last line of both the bundle and dist/cli.js: `//# mlplab-build ID`, ID a digest of the
 * bundle's text, written by scripts/build-bundle.mjs. The bundle is current when cli.js carries the same mark:
 * tsc run alone after a change rewrites every module (cli.js without a mark) and leaves the older bundle behind.
 * NOTE: by content, not file times: an installed package's files get their times in whatever order they are
 * unpacked, and a bundle judged "older than cli.js" was never used.
 */
export const BUILD_MARK = '\n//# mlplab-build ';

/** The build ID at the end of a module's text, if it has one. */
export function buildId(text: string): string | undefined {
  const at = text.lastIndexOf(BUILD_MARK);
  return at < 0 ? undefined : text.slice(at + BUILD_MARK.length).trim();
}

/** The bundle's text when it is current (cli.js, if there, carries its build ID); undefined otherwise. */
function currentBundle(): string | undefined {
  if (!existsSync(BUNDLE)) return undefined;
  // NOTE: read as latin1, not utf8 (≈0.5 ms less: no decoding): the build writes the bundle in ASCII (tested).
  const text = readFileSync(BUNDLE, 'latin1');
  const id = buildId(text);
  const cli = existsSync(CLI) ? readFileSync(CLI, 'latin1') : undefined;
  return id !== undefined && (cli === undefined || buildId(cli) === id) ? text : undefined;
}

// NOTE: Node's own CommonJS wrapper, on the bundle's first line (so line numbers in stack traces stay right).
// The code cache is valid only for this exact text (and this Node version and V8 flags): V8 rejects it
// otherwise, and the bundle compiles as usual, only slower. Build and bin must both wrap through here.
const wrap = (code: string) => `(function (exports, require, module, __filename, __dirname) {${code}\n})`;

/** Loads the CLI: the bundle with the code cache unless `fresh` (the build, about to write a new cache). */
export async function startCli(options: { fresh?: boolean } = {}): Promise<StartedCli> {
  mark('loading the CLI');
  const bundle = currentBundle();
  if (bundle === undefined) {
    const cli: CliModule = await import('./cli.js');
    mark(`loaded the modules of dist/: no bundle at ${BUNDLE}, or not the build of cli.js`);
    return { cli, how: 'modules' };
  }
  const cachedData = !options.fresh && existsSync(CODE_CACHE) ? readFileSync(CODE_CACHE) : undefined;
  const script = new Script(wrap(bundle), { filename: BUNDLE, cachedData });
  const module = { exports: {} as CliModule };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  const how = cachedData === undefined ? 'no cache' : script.cachedDataRejected ? 'cache rejected' : 'cached';
  mark(`loaded the bundle ${BUNDLE} (code cache: ${how})`);
  return { cli: module.exports, how, script };
}

/** Writes the code cache of everything the bundle has compiled so far (the build calls it after a run). */
export function writeCodeCache(started: StartedCli): number {
  if (!started.script) throw new Error('no bundle was loaded: nothing to cache');
  const data = started.script.createCachedData();
  writeFileSync(CODE_CACHE, data);
  return data.length;
}
