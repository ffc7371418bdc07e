// The parts of Vega and Vega-Lite that render.ts uses, in one module. The build also bundles this module with
// everything it imports into dist/report/vega-bundle.cjs (esbuild): one file loads in ≈50 ms where the
// packages' ≈300 separate modules take ≈170 ms. render.ts falls back to this module when there is no bundle.

export { parse, View, Error } from 'vega';
export { compile } from 'vega-lite';
