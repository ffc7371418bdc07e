// Renders a Vega-Lite spec to SVG text with Vega in Node (headless view, no canvas, no file or network
// access: the specs carry their data inline). Vega is imported on first use, so commands that draw nothing
// (validate, predict) do not pay its load time: from the build's single-file bundle (≈50 ms), or, running
// from source without a build, from the packages through vega-entry.ts (≈170 ms).

import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('./vega-entry.js');
let vega: Promise<Vega> | undefined;

// NOTE: a variable specifier, so that TypeScript does not look for the bundle (esbuild writes it after tsc).
const BUNDLE = './vega-bundle.js';

async function load(): Promise<Vega> {
  try {
    return (await import(BUNDLE)) as Vega;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return import('./vega-entry.js');
  }
}

/** The chart as a standalone SVG document (deterministic: the same spec gives the same text). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { View, parse, compile, Error: errorsOnly } = await (vega ??= load());
  const view = new View(parse(compile(spec).spec), { renderer: 'none', logLevel: errorsOnly });
  try {
    return (await view.toSVG()) + '\n';
  } finally {
    view.finalize();
  }
}

/** The spec as the JSON file kept beside its SVG (opens in the Vega editor, vega.github.io/editor). */
export function specJson(spec: TopLevelSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}
