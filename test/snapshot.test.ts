// config.json is a complete experiment file: `mlplab run results/NAME/config.json` gives byte-identical
// loss.csv and model.json for every shipped experiment (its base run), its data path is absolute, and
// run.json's SHA-256 digests are those of config.json and of the data file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';
import { loadExperiment } from '../src/config/load.js';
import { runExperiment } from '../src/runner/run.js';
import { shippedExperiments } from '../scripts/goldens.js';

const tempDir = tempDirs('mlplab-snapshot');

const read = (...parts: string[]) => readFileSync(join(...parts), 'utf8');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('mlplab run results/NAME/config.json', () => {
  for (const file of shippedExperiments()) {
    const name = loadExperiment(file).config.name;
    it(`reruns ${name}'s base run byte for byte`, { timeout: 120_000 }, async () => {
      const first = tempDir();
      const dir = join(first, name);
      await runExperiment(loadExperiment(file), { outDir: dir });
      const again = tempDir();
      const r = await cli('run', join(dir, 'config.json'), '--out', again, '--quiet');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const f of ['loss.csv', 'model.json']) expect(read(again, name, f), f).toBe(read(dir, f));

      const run = JSON.parse(read(dir, 'run.json'));
      expect(run.config_sha256).toBe(sha256(read(dir, 'config.json')));
      const config = JSON.parse(read(dir, 'config.json'));
      for (const input of run.inputs) {
        expect(input.path).toBe(config.data.csv.path); // as written in config.json: absolute
        expect(isAbsolute(input.path)).toBe(true);
        expect(input.sha256).toBe(sha256(readFileSync(input.path)));
      }
      for (const layer of config.model.layers) expect('slope' in layer).toBe(layer.activation === 'leaky_relu');
    });
  }

  it("writes a sweep run's rerun to the same run folder (its run_id), and a leaky_relu layer keeps its slope", async () => {
    const out = tempDir();
    const file = join(process.cwd(), 'experiments', 'xor-softmax.yaml');
    const sweep = ['--sweep', 'model.layers[0].activation=leaky_relu,tanh', '--set', 'training.epochs=30'];
    expect((await cli('run', file, '--out', out, '--quiet', ...sweep)).code).toBe(0);
    const dir = join(out, 'xor-softmax', 'epochs=30', 'activation=leaky_relu');
    const config = JSON.parse(read(dir, 'config.json'));
    expect(config.run_id).toBe('epochs=30/activation=leaky_relu');
    expect(config.model.layers.map((l: object) => 'slope' in l)).toEqual([true, false]);
    const again = tempDir();
    expect((await cli('run', join(dir, 'config.json'), '--out', again, '--quiet')).code).toBe(0);
    for (const f of ['loss.csv', 'model.json', 'config.json']) expect(read(again, 'xor-softmax', 'epochs=30', 'activation=leaky_relu', f), f).toBe(read(dir, f));

    // Rerun in place (it replaces the run with the same files), then the sweep's other run: the summary still
    // lists both, the rerun (no longer a sweep run) after the grid's runs, its value read from its config.json.
    expect((await cli('run', join(dir, 'config.json'), '--out', out, '--quiet')).code).toBe(0);
    expect((await cli('run', file, '--out', out, '--quiet', '--sweep', 'model.layers[0].activation=tanh', '--set', 'training.epochs=30')).code).toBe(0);
    const summary = read(out, 'xor-softmax', 'epochs=30', 'summary.csv').trimEnd().split('\n').map((l) => l.split(',').slice(0, 3).join(','));
    expect(summary).toEqual(['dir,model.layers.0.activation,train_loss', 'activation=tanh,tanh,' + summary[1].split(',')[2], 'activation=leaky_relu,leaky_relu,' + summary[2].split(',')[2]]);
  });
});
