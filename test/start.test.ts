// bin/mlplab.js starts from the build's bundle with its V8 code cache (src/start.ts; needs npm run build), each
// module's import.meta.url its twin's in dist/ (the version here; --jobs's worker in interrupt.test.ts, Vega's
// bundle in report/lazy-vega.test.ts); a bundle of another build than dist/cli.js is passed over (by its build ID).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'mlplab.cjs');

const mlplab = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'mlplab.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

describe('bin/mlplab.js starts from the bundle', () => {
  it('loads dist/mlplab.cjs with its code cache accepted, and reads the version from package.json', (ctx) => {
    ctx.skip(!existsSync(BUNDLE), 'dist/mlplab.cjs is missing: run `npm run build` first (`npm test` builds before vitest)');
    const r = mlplab(['--version'], { NODE_DEBUG: 'mlplab' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/MLPLAB \d+: [\d.]+ ms, [\d.]+ MiB: loaded the bundle .*mlplab\.cjs \(code cache: cached\)/);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('holds no import.meta (CommonJS has none: each was replaced by the URL of its module in dist/)', (ctx) => {
    ctx.skip(!existsSync(BUNDLE), 'dist/mlplab.cjs is missing: run `npm run build` first');
    const text = readFileSync(BUNDLE, 'utf8');
    expect(text).not.toMatch(/import\.meta|import_meta/);
    expect(readFileSync(BUNDLE).every((byte) => byte < 0x80), 'start.ts reads the bundle as latin1: it must be ASCII').toBe(true);
    expect(text).toContain('__mlplabUrl("runner/pool.js")');
    expect(existsSync(join(ROOT, 'dist', 'runner', 'worker.js'))).toBe(true);
  });
});

describe('a quiet run of xor-softmax through bin/mlplab.js', () => {
  it('loads none of the Node modules it does not need (each cost 1-5 ms of a start: docs/startup.md)', (ctx) => {
    ctx.skip(!existsSync(BUNDLE), 'dist/mlplab.cjs is missing: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-modules-'));
    try {
      // Node's list of the built-in modules it has loaded, written as the process exits.
      const preload = join(dir, 'list.cjs');
      writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(join(dir, 'loaded.txt'))}, process.moduleLoadList.join('\\n')));`);
      const args = ['-r', preload, join(ROOT, 'bin', 'mlplab.js'), 'run', join(ROOT, 'experiments', 'xor-softmax.yaml'), '-q', '--out', join(dir, 'out')];
      for (let k = 0; k < 2; k++) {
        // twice: the second run replaces the first one's folder
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
        expect(r.status, r.stderr).toBe(0);
        const loaded = readFileSync(join(dir, 'loaded.txt'), 'utf8').split('\n');
        // NOTE: node:crypto (and the streams it brings) is loaded: run.json's digests need it.
        for (const m of ['worker_threads', 'perf_hooks', 'internal/fs/rimraf']) expect(loaded, m).not.toContain(`NativeModule ${m}`);
      }
      expect(existsSync(join(dir, 'out', 'xor-softmax', 'run.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('startCli (dist/start.cjs)', () => {
  it('loads the bundle when cli.js carries its build ID, whatever the file times; the modules when not (tsc run alone)', async (ctx) => {
    ctx.skip(!existsSync(join(ROOT, 'dist', 'start.cjs')), 'dist/start.cjs is missing: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-start-'));
    try {
      copyFileSync(join(ROOT, 'dist', 'start.cjs'), join(dir, 'start.cjs'));
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      const { startCli, BUILD_MARK } = createRequire(import.meta.url)(join(dir, 'start.cjs'));
      const write = (file: string, text: string, id?: string) => writeFileSync(join(dir, file), text + (id === undefined ? '' : `${BUILD_MARK}${id}\n`));
      const at = (file: string, seconds: number) => utimesSync(join(dir, file), seconds, seconds);
      write('mlplab.cjs', "exports.main = 'bundle';", 'abc123');
      write('cli.js', "export const main = 'modules';", 'abc123');
      at('cli.js', 1000), at('mlplab.cjs', 999); // unpacked in any order: the times say nothing
      expect(await startCli()).toMatchObject({ how: 'no cache', cli: { main: 'bundle' } });
      write('cli.js', "export const main = 'modules';"); // tsc alone: the modules of another build
      expect(await startCli()).toMatchObject({ how: 'modules', cli: { main: 'modules' } });
      write('cli.js', "export const main = 'modules';", 'def456');
      expect(await startCli()).toMatchObject({ how: 'modules' });
      write('mlplab.cjs', "exports.main = 'bundle';"); // a bundle without a build ID (half written)
      expect(await startCli()).toMatchObject({ how: 'modules' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the build marks the bundle and dist/cli.js with one ID', (ctx) => {
    ctx.skip(!existsSync(BUNDLE), 'dist/mlplab.cjs is missing: run `npm run build` first');
    const { buildId } = createRequire(import.meta.url)(join(ROOT, 'dist', 'start.cjs'));
    const id = buildId(readFileSync(BUNDLE, 'latin1'));
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(buildId(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8'))).toBe(id);
  });
});
