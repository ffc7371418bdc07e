// Vega is loaded only when a chart is drawn: `mlplab validate` (spawned, with a module-resolution hook that
// reports every vega module loaded) loads none of it; `mlplab run`, which draws loss.svg, does, from the
// build's single-file bundle, whose SVG is the same as the packages' (rendered here, from source).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/report/render.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOOK = `export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/vega|vega-bundle/.test(r.url)) process.stderr.write('VEGA ' + r.url + '\\n'); return r; }`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOK))});`;

function vegaModulesLoaded(...args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, join(ROOT, 'bin', 'mlplab.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr.split('\n').filter((l) => l.startsWith('VEGA ')).map((l) => l.slice(5));
}

describe('vega is imported lazily', () => {
  it('validate loads no vega module; run (drawing loss.svg) loads the bundle, which draws as the packages do', async (ctx) => {
    ctx.skip(!existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (`npm test` builds before vitest)');
    expect(vegaModulesLoaded('validate', 'experiments/xor-softmax.yaml')).toEqual([]);
    const out = mkdtempSync(join(tmpdir(), 'mlplab-lazy-'));
    try {
      const loaded = vegaModulesLoaded('run', 'experiments/xor-softmax.yaml', '--set', 'training.epochs=10', '--out', out, '-q');
      expect(loaded).toEqual([expect.stringMatching(/dist\/report\/vega-bundle\.js$/)]);
      const dir = join(out, 'xor-softmax', 'epochs=10'); // a run with --set writes a sub-folder named by it
      expect(await renderSvg(JSON.parse(readFileSync(join(dir, 'loss.vl.json'), 'utf8')))).toBe(readFileSync(join(dir, 'loss.svg'), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
