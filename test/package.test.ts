// The package as users get it: `npm pack`, installed into an empty project, imports as 'mlplab', has type
// declarations, and trains XOR from code. Uses dist/ as built by `npm test` (npm run build runs first).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const built = existsSync(join(ROOT, 'dist', 'index.js'));

describe.skipIf(!built)('npm pack (needs dist/: run npm run build)', () => {
  it('installs into an empty folder, imports, and trains XOR from code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-pack-'));
    const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const app = join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tgz)], app);
    expect(existsSync(join(app, 'node_modules', 'mlplab', 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'mlplab', 'dist', 'kernels', 'kernels.wasm'))).toBe(true);
    writeFileSync(
      join(app, 'xor.mjs'),
      `import { experimentFromObject, trainExperiment, predict } from 'mlplab';
import { createNetwork, defaultKernels } from 'mlplab/engine';
const exp = experimentFromObject({
  seed: 1,
  data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } },
  model: { layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
  loss: 'cross_entropy',
  training: { epochs: 2000, batch_size: 4, optimizer: { type: 'sgd', learning_rate: 0.5, momentum: 0.9 } },
});
const result = trainExperiment(exp);
console.log(JSON.stringify({ kernels: defaultKernels().name, engine: createNetwork(2, [{ units: 3, activation: 'tanh' }]).layers[0].w.length, accuracy: result.final.train_accuracy, predicted: predict(result.model, [[0, 0], [0, 1], [1, 0], [1, 1]]).predicted }));
`,
    );
    const out = JSON.parse(execFileSync('node', ['xor.mjs'], { cwd: app, encoding: 'utf8' }));
    expect(out).toEqual({ kernels: 'wasm', engine: 6, accuracy: 1, predicted: [0, 1, 1, 0] });
    // The installed command starts from the fast-start bundle and its code cache, whatever order unpacking gave the files' times.
    const bin = spawnSync(join(app, 'node_modules', '.bin', 'mlplab'), ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'mlplab' } });
    expect(bin.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(bin.stderr).toMatch(/loaded the bundle .*mlplab\.cjs \(code cache: cached\)/);
  }, 180_000);
});
