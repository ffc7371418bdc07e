// The installed command with MLPLAB_KERNELS / MLPLAB_THREADS: both kernel sets write byte-identical results
// (digits' 32×64×32 products run in wasm), and a bad value is a user error naming the variable.
// Spawns bin/mlplab.js (needs dist/: npm run build).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist', 'cli.js'));
const out = mkdtempSync(join(tmpdir(), 'mlplab-kernels-env-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(env: Record<string, string>, dir: string) {
  const args = [join(ROOT, 'bin/mlplab.js'), 'run', join(ROOT, 'experiments/digits.yaml'), '-q', '--set', 'training.epochs=3', '--out', join(out, dir)];
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, MLPLAB_KERNELS: '', MLPLAB_THREADS: '', ...env } });
}

describe.skipIf(!built)('MLPLAB_KERNELS and MLPLAB_THREADS', () => {
  it('scalar and wasm kernels write the same loss log and model bytes', () => {
    const dirs = { scalar: { MLPLAB_KERNELS: 'scalar' }, wasm: { MLPLAB_KERNELS: 'wasm' } };
    const files = Object.entries(dirs).map(([dir, env]) => {
      const r = run(env, dir);
      expect(r.status, r.stderr).toBe(0);
      // --set puts the run in a folder named after the override: find it.
      const runDir = readdirSync(join(out, dir), { recursive: true, encoding: 'utf8' }).find((p) => p.endsWith('loss.csv'))!.replace(/loss\.csv$/, '');
      return ['loss.csv', 'model.json'].map((f) => readFileSync(join(out, dir, runDir, f), 'utf8'));
    });
    expect(files[1]).toEqual(files[0]);
  }, 60_000);

  it('a bad value is a user error that names the variable', () => {
    for (const [env, text] of [[{ MLPLAB_KERNELS: 'fast' }, "MLPLAB_KERNELS must be one of scalar, wasm, got 'fast'"], [{ MLPLAB_THREADS: '0' }, 'MLPLAB_THREADS expects a number of threads from 1 to 64 or auto, found "0"']] as const) {
      const r = run(env, 'bad');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(text);
      expect(r.stderr).not.toContain('    at '); // no stack trace
    }
  }, 60_000);
});
