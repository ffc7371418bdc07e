// Random search (config/sweep.ts, plan.ts): sweep entries that are distributions, `sweep_samples` settings drawn
// from the file's seed in the sweep's own stream — the same on every load, unchanged by the grid's other axes
// or anything else in the file, each in its range with the distribution's shape — combined with the listed
// entries; run IDs `sample=K,…`; mistakes located at the entry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan, UserErrors } from '../src/index.js';
import { cli, tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-random');

function file(sweep: string, extra = 'sweep_samples: 4\n', seed = 1, epochs = 20): string {
  const path = join(tempDir(), 'rs.yaml');
  writeFileSync(
    path,
    `name: rs\nseed: ${seed}\ndata: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }\n` +
      `model: { layers: [{ units: 3, activation: tanh }, { units: 2, activation: softmax }] }\nloss: cross_entropy\n` +
      `training: { epochs: ${epochs}, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.5, momentum: 0.9 } }\nsweep:\n${sweep}${extra}`,
  );
  return path;
}

const SWEEP = `  training.optimizer.learning_rate: { log_uniform: [0.001, 1] }\n  model.layers.0.units: { int_uniform: [2, 9] }\n  model.layers.0.activation: { choice: [tanh, relu, sigmoid] }\n`;
const drawn = (f: string) => loadPlan(f).runs.map((r) => [r.values['training.optimizer.learning_rate'], r.values['model.layers.0.units'], r.values['model.layers.0.activation']]);

describe('random search', () => {
  it('draws sweep_samples settings, each with every combination of the lists; IDs sample=K; the runs get the values', () => {
    const plan = loadPlan(file(SWEEP + '  seed: [1, 2, 3]\n'));
    expect(plan.runs).toHaveLength(4 * 3);
    expect(plan.runs.map((r) => r.runPath)).toEqual([0, 1, 2, 3].flatMap((k) => [1, 2, 3].map((s) => `sample=${k},seed=${s}`)));
    for (const r of plan.runs) {
      expect(r.exp.config.training.optimizer.learning_rate).toBe(r.values['training.optimizer.learning_rate']);
      expect(r.exp.config.model.layers[0].units).toBe(r.values['model.layers.0.units']);
      expect(r.exp.config.model.layers[0].activation).toBe(r.values['model.layers.0.activation']);
      expect(r.exp.config.seed).toBe(r.values.seed);
      expect(r.values.sample).toBe(Number(r.runPath.split(',')[0].slice('sample='.length)));
    }
    // The seeds of one sample share its setting; the samples differ.
    const bySample = new Map(plan.runs.map((r) => [r.values.sample, JSON.stringify([r.values['training.optimizer.learning_rate'], r.values['model.layers.0.units']])]));
    expect(new Set(bySample.values()).size).toBe(4);
    for (const r of plan.runs) expect(JSON.stringify([r.values['training.optimizer.learning_rate'], r.values['model.layers.0.units']])).toBe(bySample.get(r.values.sample));
  });

  it('the same draws on every load and whatever else the file or grid says; another seed, other draws', () => {
    const once = drawn(file(SWEEP));
    expect(drawn(file(SWEEP))).toEqual(once);
    expect(drawn(file(SWEEP, 'sweep_samples: 4\n', 1, 500))).toEqual(once); // other epochs
    const withSeeds = loadPlan(file(SWEEP + '  seed: [7, 8]\n')).runs.filter((r) => r.values.seed === 7);
    expect(withSeeds.map((r) => [r.values['training.optimizer.learning_rate'], r.values['model.layers.0.units'], r.values['model.layers.0.activation']])).toEqual(once);
    expect(drawn(file(SWEEP, 'sweep_samples: 6\n')).slice(0, 4)).toEqual(once); // more samples extend the list
    expect(drawn(file(SWEEP, 'sweep_samples: 4\n', 2))).not.toEqual(once);
  });

  it('--set or --sweep of a drawn key fixes it for every sample and leaves the other draws as they were; of every drawn key, one run', () => {
    const f = file(SWEEP);
    const once = drawn(f);
    const fixed = loadPlan(f, { set: ['training.optimizer.learning_rate=0.05'] }).runs;
    expect(fixed.map((r) => r.runPath)).toEqual([0, 1, 2, 3].map((k) => `learning_rate=0.05,sample=${k}`));
    // The units and activations each sample drew without --set (they were drawn again from the stream's start).
    expect(fixed.map((r) => [r.values['training.optimizer.learning_rate'], r.values['model.layers.0.units'], r.values['model.layers.0.activation']])).toEqual(once.map(([, u, a]) => [0.05, u, a]));
    expect(fixed.map((r) => r.exp.config.model.layers[0].units)).toEqual(once.map((v) => v[1]));
    // --sweep of a drawn key likewise (it redrew the others as well).
    const swept = loadPlan(f, { sweep: ['training.optimizer.learning_rate=0.05,0.5'] }).runs;
    expect(swept.map((r) => [r.runPath, r.values['model.layers.0.units'], r.values['model.layers.0.activation']])).toEqual(
      [0.05, 0.5].flatMap((lr) => once.map(([, u, a], k) => [`learning_rate=${lr},sample=${k}`, u, a])),
    );
    // A file with one drawn key, set: said "this sweep has none" of sweep_samples (exit 1).
    const one = loadPlan(file('  training.optimizer.learning_rate: { log_uniform: [0.001, 1] }\n  seed: [1, 2]\n'), { set: ['training.optimizer.learning_rate=0.05'] }).runs;
    expect(one.map((r) => [r.runPath, r.exp.config.training.optimizer.learning_rate])).toEqual([['learning_rate=0.05,seed=1', 0.05], ['learning_rate=0.05,seed=2', 0.05]]);
  });

  it('each distribution in its range and with its shape (2000 draws)', () => {
    const values = drawn(file(SWEEP, 'sweep_samples: 2000\n'));
    const lr = values.map((v) => v[0] as number);
    const units = values.map((v) => v[1] as number);
    const act = values.map((v) => v[2] as string);
    expect(Math.min(...lr)).toBeGreaterThanOrEqual(0.001);
    expect(Math.max(...lr)).toBeLessThan(1);
    // log-uniform: each decade holds a third (binomial sd ≈ 0.011: 5 sd apart from 1/3 fails).
    for (const [lo, hi] of [[0.001, 0.01], [0.01, 0.1], [0.1, 1]]) expect(Math.abs(lr.filter((x) => x >= lo && x < hi).length / 2000 - 1 / 3)).toBeLessThan(0.055);
    expect([...new Set(units)].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]); // both ends included
    for (const u of [2, 9]) expect(Math.abs(units.filter((x) => x === u).length / 2000 - 1 / 8)).toBeLessThan(0.04);
    for (const a of ['tanh', 'relu', 'sigmoid']) expect(Math.abs(act.filter((x) => x === a).length / 2000 - 1 / 3)).toBeLessThan(0.055);
    const uniform = loadPlan(file('  training.optimizer.learning_rate: { uniform: [0.2, 0.4] }\n', 'sweep_samples: 1000\n')).runs.map((r) => r.values['training.optimizer.learning_rate'] as number);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0.2);
    expect(Math.abs(uniform.filter((x) => x < 0.3).length / 1000 - 0.5)).toBeLessThan(0.08);
  });

  it('mistakes are located: a bad range, a missing or stray sweep_samples, too many runs', () => {
    const errors = (f: string) => {
      try {
        loadPlan(f);
      } catch (e) {
        return (e as UserErrors).errors.map((u) => u.format());
      }
      return [];
    };
    expect(errors(file('  model.layers.0.units: { int_uniform: [9, 2] }\n'))).toEqual([expect.stringMatching(/rs\.yaml:8:25: sweep\.model\.layers\.0\.units: int_uniform: expected two integers \[a, b\] with a ≤ b, found \[9,2\]$/)]);
    // A range no draw can cover: int_uniform over more than 2^32 integers was an internal error (Rng.int's
    // RangeError, exit 3); uniform over more than float64's range drew Infinity.
    expect(errors(file('  seed: { int_uniform: [0, 9007199254740991] }\n'))[0]).toMatch(/rs\.yaml:8:9: sweep\.seed: int_uniform: expected two integers \[a, b\] with a ≤ b, b − a < 2\^32 \(at most 2\^32 integers to draw from\), found \[0,9007199254740991\]$/);
    // The message says the limit the check applies: [0, 2^32 − 1] (2^32 integers) is drawn from; [0, 2^32], 2^32 apart, is not.
    expect(errors(file('  seed: { int_uniform: [0, 4294967296] }\n'))[0]).toMatch(/sweep\.seed: int_uniform: expected two integers \[a, b\] with a ≤ b, b − a < 2\^32 \(at most 2\^32 integers to draw from\), found \[0,4294967296\]$/);
    expect(errors(file('  seed: { int_uniform: [-4294967296, 0] }\n'))[0]).toMatch(/b − a < 2\^32 .*found \[-4294967296,0\]$/);
    const widest = loadPlan(file('  seed: { int_uniform: [0, 4294967295] }\n', 'sweep_samples: 50\n')).runs.map((r) => r.values.seed as number);
    expect(widest.every((s) => Number.isInteger(s) && s >= 0 && s <= 4294967295)).toBe(true);
    expect(Math.max(...widest)).toBeGreaterThan(2 ** 31); // the upper half is drawn too (50 draws: all below has chance 2^-50)
    expect(errors(file('  training.optimizer.learning_rate: { uniform: [-1e308, 1e308] }\n'))[0]).toMatch(/uniform: expected two numbers \[a, b\] with a < b, b − a finite, found \[-1e\+308,1e\+308\]$/);
    expect(errors(file('  training.optimizer.learning_rate: { log_uniform: [0, 1] }\n'))[0]).toMatch(/log_uniform: expected two numbers \[a, b\] with 0 < a < b, found \[0,1\]$/);
    expect(errors(file('  training.optimizer.learning_rate: { normal: [0, 1] }\n'))[0]).toMatch(/expected a list of values, or one distribution of: uniform, log_uniform, int_uniform, choice; found \{"normal":\[0,1\]\}$/);
    expect(errors(file(SWEEP, '')).join('\n')).toMatch(/rs\.yaml:8:3: sweep\.training\.optimizer\.learning_rate: a sweep entry that is a distribution needs sweep_samples: N, the number of settings to draw \(1 to 10000\); found no sweep_samples/);
    expect(errors(file(SWEEP, 'sweep_samples: 0\n'))[0]).toMatch(/rs\.yaml:11:16: sweep_samples: .*found sweep_samples: 0$/);
    expect(errors(file('  seed: [1, 2]\n'))[0]).toMatch(/rs\.yaml:9:16: sweep_samples: sweep_samples draws settings from sweep entries that are distributions/);
    expect(errors(file(SWEEP + '  seed: [1, 2, 3]\n', 'sweep_samples: 4000\n'))[0]).toMatch(/the sweep has 12000 runs \(4000 samples × 3 combinations of the lists\); at most 10000 are allowed$/);
  });

  it('runs end to end: summary.csv has the sample and the drawn values; a run rerun from its config.json is the same run', async () => {
    const f = file(SWEEP + '  seed: [1, 2]\n', 'sweep_samples: 2\n');
    const out = tempDir();
    const r = await cli('run', f, '--out', out, '-q');
    expect(r.code, r.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    const summary = readFileSync(join(out, 'rs', 'summary.csv'), 'utf8').split('\n');
    expect(summary[0]).toBe('dir,sample,training.optimizer.learning_rate,model.layers.0.units,model.layers.0.activation,seed,train_loss,train_accuracy,epochs,steps,status,duration_ms');
    expect(summary.slice(1, 5).map((l) => l.split(',')[0])).toEqual(['"sample=0', '"sample=0', '"sample=1', '"sample=1']);
    const again = await cli('run', join(out, 'rs', 'sample=1,seed=2', 'config.json'), '--out', tempDir(), '-q');
    expect(again.code, again.stderr).toBe(0);
  });
});
