// Renders a Vega-Lite spec to SVG text with Vega in Node (headless view, no canvas, no file or network
// access: the specs carry their data inline). Vega is loaded on first use, so commands that draw nothing
// (validate, predict) do not pay its load time: from the build's single-file bundle (≈50 ms), or, running
// from source without a build, from the packages through vega-entry.ts (≈170 ms).

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('./vega-entry.js');
let vega: Promise<Vega> | undefined;

// NOTE: CommonJS, required rather than imported: the CLI runs as one CommonJS bundle in a vm.Script
// (start.ts), where import() needs --experimental-vm-modules.
const BUNDLE = new URL('./vega-bundle.cjs', import.meta.url);

async function load(): Promise<Vega> {
  if (existsSync(BUNDLE)) return createRequire(BUNDLE)(fileURLToPath(BUNDLE)) as Vega;
  return import('./vega-entry.js');
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

/**
 * Hover tooltips in a static SVG (no script): each element to which Vega gave an aria-label (a mark's
 * `description` encoding) gets that text as its <title> too, which browsers show on hover. The text is
 * Vega's, escaped already.
 */
export function svgTitles(svg: string): string {
  return svg.replace(/<(path|rect|circle)\b([^>]*?) aria-label="([^"]*)"([^>]*?)\/>/g, '<$1$2 aria-label="$3"$4><title>$3</title></$1>');
}

/** The spec as the JSON file kept beside its SVG (opens in the Vega editor, vega.github.io/editor). */
export function specJson(spec: TopLevelSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

/** specJson with each data row (a flat object) on one line: compare's specs hold thousands of rows, and one
 *  key a line made a 500-run comparison's compare.vl.json 5 MB. */
export function specJsonRows(spec: TopLevelSpec): string {
  const row = /\{\n\s+(?:"[^"\n]*": (?:"(?:[^"\\\n]|\\.)*"|[-\w.+]+),\n\s+)*"[^"\n]*": (?:"(?:[^"\\\n]|\\.)*"|[-\w.+]+)\n\s+\}/g;
  return JSON.stringify(spec, null, 2).replace(row, (text) => JSON.stringify(JSON.parse(text))) + '\n';
}
