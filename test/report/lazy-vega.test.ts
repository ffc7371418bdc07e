// Vega is loaded only where a chart needs it, as spawned processes show (a resolve hook reports vega modules
// imported, NODE_DEBUG=module files required): validate and run (svgchart.ts draws loss.svg) load none of it;
// compare requires the build's single-file bundle, whose SVG is the packages' (rendered here, from source).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderSvg, svgTitles } from '../../src/report/render.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOOK = `export async function resolve(s, c, next) { const r = await next(s, c); if (/vega/.test(r.url)) process.stderr.write('VEGA ' + r.url + '\\n'); return r; }`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOK))});`;

/** The vega files a spawned `mlplab ARGS` imports or requires (each once). */
function vegaFilesLoaded(...args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, join(ROOT, 'bin', 'mlplab.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_DEBUG: 'module' },
  });
  expect(r.status, r.stderr).toBe(0);
  const imported = r.stderr.split('\n').flatMap((l) => (l.startsWith('VEGA ') ? [fileURLToPath(l.slice(5))] : []));
  const required = [...r.stderr.matchAll(/^MODULE \d+: load "([^"]*vega[^"]*)"/gm)].map((m) => m[1]);
  return [...new Set([...imported, ...required])];
}

describe('vega is loaded lazily', () => {
  it('validate and run load no vega module; compare requires the bundle, which draws as the packages do', async (ctx) => {
    ctx.skip(!existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (`npm test` builds before vitest)');
    expect(vegaFilesLoaded('validate', 'experiments/xor-softmax.yaml')).toEqual([]);
    const out = mkdtempSync(join(tmpdir(), 'mlplab-lazy-'));
    try {
      expect(vegaFilesLoaded('run', 'experiments/xor-softmax.yaml', '--set', 'training.epochs=10', '--out', out, '-q')).toEqual([]);
      const run = join(out, 'xor-softmax', 'epochs=10'); // a run with --set writes a sub-folder named by it
      expect(readFileSync(join(run, 'loss.svg'), 'utf8')).toMatch(/^<svg /);
      const loaded = vegaFilesLoaded('compare', run, '--out', join(out, 'compare'), '-q');
      expect(loaded).toEqual([join(ROOT, 'dist', 'report', 'vega-bundle.cjs')]);
      const spec = JSON.parse(readFileSync(join(out, 'compare', 'compare.vl.json'), 'utf8'));
      expect(svgTitles(await renderSvg(spec))).toBe(readFileSync(join(out, 'compare', 'compare.svg'), 'utf8')); // with its hover titles
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
