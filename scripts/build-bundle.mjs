// Bundles for a fast start (run by `npm run build`, after tsc): src/cli.ts with all it imports → dist/mlplab.cjs,
// run once on experiments/xor-softmax.yaml to write its V8 code cache (dist/mlplab.cjs.cache); src/start.ts, which
// loads the two for bin/mlplab.js, → dist/start.cjs; Vega → dist/report/vega-bundle.cjs. The bundle and dist/cli.js
// end with one build ID (a digest of the bundle), by which start.ts knows the bundle is of these modules.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/**
 * Each source module's import.meta.url, in a CommonJS bundle: the URL of its compiled twin in dist/ (the bundle
 * sits in dist/), so `new URL('../../package.json', import.meta.url)` and the worker script still resolve.
 */
const importMeta = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(src)) return undefined;
      const js = relative(src, args.path).replace(/\.ts$/, '.js');
      const text = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `__mlplabUrl(${JSON.stringify(js)})`);
      if (text.includes('import.meta')) throw new Error(`${args.path}: only import.meta.url can be bundled as CommonJS`);
      return { contents: text, loader: 'ts' };
    });
  },
};

/** Modules only loaded where there is no bundle (vega-entry.ts: running from source; cli.js: start.ts's fallback). */
const fallbacks = {
  name: 'fallbacks-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/(vega-entry|cli)\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

// NOTE: vega-canvas's Node build tries `await import('canvas')`, which CommonJS cannot hold; its browser build
// finds no canvas in Node either, so Vega estimates text widths the same way (and never from a canvas package
// that happens to be installed).
const noCanvas = {
  name: 'vega-canvas-browser',
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: join(root, 'node_modules/vega-canvas/build/vega-canvas.browser.js') }));
  },
};

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [join(root, 'src/report/vega-entry.ts')],
  outfile: join(root, 'dist/report/vega-bundle.cjs'),
  minify: true,
  plugins: [noCanvas],
});

// NOTE: onnx-proto stays outside the bundle (required from node_modules when `mlplab export` runs): bundled, its
// 350 KB of generated protobuf code made every start read a third more text that no other command uses.
const external = ['onnx-proto'];

// dist/'s URL is made once: a pathToFileURL per use cost more than the lookup.
const banner = { js: "const __mlplabDist = require('node:url').pathToFileURL(__dirname + '/').href, __mlplabUrl = (file) => __mlplabDist + file;" };
const bundled = {};
for (const [entry, outfile] of [['src/cli.ts', 'dist/mlplab.cjs'], ['src/start.ts', 'dist/start.cjs']]) {
  const { outputFiles } = await build({ ...common, entryPoints: [join(root, entry)], outfile: join(root, outfile), plugins: [importMeta, fallbacks], banner, external, write: false });
  // NOTE: esbuild escapes non-ASCII characters in code but keeps a few comments verbatim: one "−" in them and
  // V8 holds the whole source as two-byte text (twice the bytes to read and decode). Escaped, it is ASCII (an
  // escape means the same character in a string, a regular expression or an identifier).
  bundled[outfile] = outputFiles[0].text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(outputFiles[0].path, bundled[outfile]);
}

// The build's mark (src/start.ts › BUILD_MARK): a digest of the bundle, as the last line of the bundle and of the
// cli.js tsc just wrote, so that start.ts uses the bundle only beside the modules of its own build.
const { BUILD_MARK } = createRequire(import.meta.url)('../dist/start.cjs');
const id = createHash('sha256').update(bundled['dist/mlplab.cjs']).digest('hex').slice(0, 16);
writeFileSync(join(root, 'dist/mlplab.cjs'), bundled['dist/mlplab.cjs'] + BUILD_MARK + id + '\n');
const cliJs = join(root, 'dist/cli.js');
const cliText = readFileSync(cliJs, 'utf8');
const at = cliText.lastIndexOf(BUILD_MARK);
writeFileSync(cliJs, (at < 0 ? cliText.trimEnd() : cliText.slice(0, at)) + BUILD_MARK + id + '\n');

// The code cache: V8 caches every function compiled so far, so the bundle first does what a run does.
const { startCli, writeCodeCache } = createRequire(import.meta.url)('../dist/start.cjs');
const started = await startCli({ fresh: true });
const out = mkdtempSync(join(tmpdir(), 'mlplab-build-'));
try {
  const args = ['run', join(root, 'experiments/xor-softmax.yaml'), '--quiet', '--out', out];
  const code = await started.cli.main(args, { out: () => {}, err: (t) => process.stderr.write(t) });
  if (code !== 0) throw new Error(`build-bundle: mlplab ${args.join(' ')} exited with ${code}`);
  const bytes = writeCodeCache(started);
  console.log(`build-bundle: dist/mlplab.cjs, its code cache (${Math.round(bytes / 1024)} KiB), dist/report/vega-bundle.cjs`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
