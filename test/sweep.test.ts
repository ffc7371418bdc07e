// Sweeps end to end through main(): a 3 × 3 × 5 grid gives 45 run folders and a 45-row summary whose rows are
// the runs made one by one with --set/--seed; --jobs 2 and --shard 1/2 + 2/2 give exactly a serial run's files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-sweep');

/** A small XOR experiment (20 epochs), with `extra` YAML appended; written to a new folder. */
export function xorFile(extra = '', name = 'tiny'): string {
  const file = join(tempDir(), `${name}.yaml`);
  writeFileSync(
    file,
    `name: tiny
seed: 1
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }
model: { layers: [{ units: 3, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 20, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.5, momentum: 0.9 } }
log: { every: 5 }
${extra}`,
  );
  return file;
}

const GRID = `sweep:
  training.optimizer.learning_rate: [0.1, 0.5, 1]
  model.layers.0.activation: [sigmoid, tanh, relu]
  seed: [1, 2, 3, 4, 5]
`;

/** Every file below dir, relative path → text; run.json without its time fields, summary.csv without duration_ms. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    let text = readFileSync(path, 'utf8');
    if (e.name === 'run.json') text = JSON.stringify({ ...JSON.parse(text), started: 0, ended: 0, duration_ms: 0 });
    if (e.name === 'summary.csv') text = text.replace(/,\d+\n/g, ',0\n'); // duration_ms, the last column
    out[path.slice(dir.length)] = text;
  }
  return out;
}

describe('a 3 × 3 × 5 sweep', () => {
  it('writes 45 run folders and a 45-row summary equal to 45 single runs made with --set and --seed', async () => {
    const out = tempDir();
    const r = await cli('run', xorFile(GRID), '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const root = join(out, 'tiny');
    const dirs = readdirSync(root).filter((d) => d !== 'summary.csv');
    expect(dirs).toHaveLength(45);
    const rows: Record<string, string>[] = parse(readFileSync(join(root, 'summary.csv')), { columns: true });
    expect(rows).toHaveLength(45);
    expect(Object.keys(rows[0])).toEqual([
      'dir', 'training.optimizer.learning_rate', 'model.layers.0.activation', 'seed', 'train_loss', 'train_accuracy', 'epochs', 'steps', 'status', 'duration_ms',
    ]);
    expect(rows[0].dir).toBe('learning_rate=0.1,activation=sigmoid,seed=1');
    expect(rows[44].dir).toBe('learning_rate=1,activation=relu,seed=5');

    const single = xorFile();
    const singles = tempDir();
    for (const row of rows) {
      const set = ['--set', `training.optimizer.learning_rate=${row['training.optimizer.learning_rate']}`, '--set', `model.layers[0].activation=${row['model.layers.0.activation']}`];
      expect((await cli('run', single, '--out', singles, '--quiet', ...set, '--seed', row.seed)).code).toBe(0);
      const dir = join(singles, 'tiny', row.dir); // the overrides' ID is the sweep's run ID
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(row.train_loss).toBe(String(run.final.train_loss));
      expect(row.train_accuracy).toBe(String(run.final.train_accuracy));
      expect([row.epochs, row.steps, row.status]).toEqual([String(run.epochs), String(run.steps), run.status]);
      for (const f of ['loss.csv', 'model.json', 'config.json']) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(root, row.dir, f), 'utf8'));
    }
  });
});

describe('parallel and sharded sweeps', () => {
  const file = xorFile(`sweep:\n  model.layers.0.activation: [tanh, relu]\n  seed: [1, 2, 3]\n`);

  it('--jobs 2 writes exactly the files of a serial run (run.json times and summary durations aside)', async () => {
    const [serial, parallel] = [tempDir(), tempDir()];
    expect((await cli('run', file, '--out', serial, '--quiet')).code).toBe(0);
    const r = await cli('run', file, '--out', parallel, '--jobs', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.slice(0, 6)).sort()).toEqual(['[1/6] ', '[2/6] ', '[3/6] ', '[4/6] ', '[5/6] ', '[6/6] ']);
    expect(Object.keys(tree(serial))).toHaveLength(6 * 4 + 1); // 6 runs of 4 files (a sweep's runs draw no chart: log.charts), summary.csv
    expect(tree(parallel)).toEqual(tree(serial));
  });

  it('--shard 1/2 and 2/2 into one folder write exactly the files of a serial run, and each alone half of them', async () => {
    const [serial, sharded, half] = [tempDir(), tempDir(), tempDir()];
    expect((await cli('run', file, '--out', serial, '--quiet')).code).toBe(0);
    expect((await cli('run', file, '--out', half, '--quiet', '--shard', '2/2')).code).toBe(0);
    expect(readdirSync(join(half, 'tiny')).sort()).toEqual(['activation=relu,seed=1', 'activation=relu,seed=3', 'activation=tanh,seed=2', 'summary.csv']);
    expect((await cli('run', file, '--out', sharded, '--quiet', '--shard', '1/2')).code).toBe(0);
    expect((await cli('run', file, '--out', sharded, '--quiet', '--shard', '2/2')).code).toBe(0);
    expect(tree(sharded)).toEqual(tree(serial));
  });

  it('refuses a bad --shard or --jobs as a usage error', async () => {
    for (const args of [['--shard', '3/2'], ['--shard', '0/2'], ['--shard', 'x'], ['--jobs', '0'], ['--jobs', 'many']]) {
      const r = await cli('run', file, '--out', tempDir(), ...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
