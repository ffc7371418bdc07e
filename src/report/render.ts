// Renders a Vega-Lite spec to SVG text with Vega in Node (headless view, no canvas, no file or network
// access: the specs carry their data inline). vega and vega-lite are imported on first use, so commands
// that draw nothing (validate, predict) do not pay their load time (≈0.2 s).

import type { TopLevelSpec } from 'vega-lite';

type Libraries = [typeof import('vega'), typeof import('vega-lite')];
let libraries: Promise<Libraries> | undefined;

function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]);
  return libraries;
}

/** The chart as a standalone SVG document (deterministic: the same spec gives the same text). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await load();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
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
