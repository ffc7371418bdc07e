// How bin/mlplab.js starts the CLI quickly (through dist/start.cjs, this module bundled as CommonJS): from the
// build's one-file bundle dist/mlplab.cjs (scripts/build-bundle.mjs) and the V8 code cache written beside it, so
// V8 neither resolves ≈130 modules nor parses and compiles what a run uses. Without the bundle: dist/cli.js.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** Is there a bundle as new as the compiled modules? (tsc alone, after a change, leaves an older one behind.) */
function bundleCurrent(): boolean {
  return existsSync(BUNDLE) && !(existsSync(CLI) && statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs);
}

// NOTE: Node's own CommonJS wrapper, on the bundle's first line (so line numbers in stack traces stay right).
// The code cache is valid only for this exact text (and this Node version and V8 flags): V8 rejects it
// otherwise, and the bundle compiles as usual, only slower. Build and bin must both wrap through here.
const wrap = (code: string) => `(function (exports, require, module, __filename, __dirname) {${code}\n})`;

/** Loads the CLI: the bundle with the code cache unless `fresh` (the build, about to write a new cache). */
export async function startCli(options: { fresh?: boolean } = {}): Promise<StartedCli> {
  mark('loading the CLI');
  if (!bundleCurrent()) {
    const cli: CliModule = await import('./cli.js');
    mark(`loaded the modules of dist/: no bundle at ${BUNDLE}, or one older than cli.js`);
    return { cli, how: 'modules' };
  }
  const cachedData = !options.fresh && existsSync(CODE_CACHE) ? readFileSync(CODE_CACHE) : undefined;
  // NOTE: read as latin1, not utf8 (≈0.5 ms less: no decoding): the build writes the bundle in ASCII (tested).
  const script = new Script(wrap(readFileSync(BUNDLE, 'latin1')), { filename: BUNDLE, cachedData });
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
