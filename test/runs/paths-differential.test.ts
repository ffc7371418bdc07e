// Every path gives the same answer: one corpus of experiments (a completed run, runs that diverge before any
// update, in their first epoch and late, an early-stopped run, a sweep mixing completed and diverged runs, a
// multilabel run) run
// serially (--jobs starts the dearest runs first: order.ts; the sweep's units axis makes that another order), with --jobs 2, as --shard 1/2 + --shard 2/2, and through the library (loadPlan + runPlans). The
// files written are compared byte for byte (run.json's started/ended/duration_ms and summary.csv's duration_ms
// aside), the printed lines less their [i/n] prefix and timings (in any order: --jobs reports runs as they
// end), and the exit codes.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDirs, type CliResult } from '../helpers/cli.js';
import { loadPlan, runPlans, type Finished } from '../../src/index.js';
import { workersOnlyForTests } from '../../src/runner/pool.js';

const tempDir = tempDirs('mlplab-paths');

const XOR = 'data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }';
const XOR_REGRESSION = 'data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } }';
const LINEAR = 'model: { layers: [{ units: 2, activation: tanh }, { units: 1, activation: linear }] }\nloss: mse';

/** The sweep's runs, in the grid's order: those that complete, and those that diverge (learning rate 1e300). */
const SWEEP_RUNS = (lr: string) => ['units=2,seed=1', 'units=2,seed=2', 'units=5,seed=1', 'units=5,seed=2'].map((r) => `learning_rate=${lr},${r}`);
const OK_SWEEP_RUNS = SWEEP_RUNS('0.1');
const DIVERGED_SWEEP_RUNS = SWEEP_RUNS('1e+300');

/** The corpus: name → experiment file text. */
const CORPUS: Record<string, string> = {
  completed: `${XOR}
model: { layers: [{ units: 3, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 20, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.5, momentum: 0.9 } }
log: { every: 5 }`,
  // Targets near 1e200: the squared error overflows before any update (epoch 0), so no loss row is logged.
  'diverged-epoch-0': `data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1e200], [1e200], [0], [0]] } }
${LINEAR}
training: { epochs: 5, batch_size: 4, optimizer: { type: sgd, learning_rate: 0.1 } }`,
  // The first update multiplies the weights by about 1e300: the next batch's loss overflows in epoch 1.
  'diverged-first-epoch': `${XOR_REGRESSION}
${LINEAR}
training: { epochs: 5, batch_size: 1, optimizer: { type: sgd, learning_rate: 1e300 } }`,
  // The loss grows about tenfold an epoch and overflows in epoch 64.
  'diverged-late': `${XOR_REGRESSION}
${LINEAR}
training: { epochs: 70, batch_size: 4, optimizer: { type: sgd, learning_rate: 50, momentum: 0.9 } }
log: { every: 5 }`,
  'early-stopped': `data: { generate: { kind: moons, samples: 60, noise: 0.3 }, split: { validation: 0.25 }, preprocess: standardize }
model: { layers: [{ units: 8, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training:
  epochs: 300
  batch_size: 8
  optimizer: { type: adam, learning_rate: 0.1 }
  early_stopping: { monitor: validation_loss, patience: 5, min_delta: 0, restore_best: true }
log: { every: 10 }`,
  sweep: `${XOR_REGRESSION}
${LINEAR}
training: { epochs: 10, batch_size: 1, optimizer: { type: sgd, learning_rate: 0.1 } }
sweep:
  training.optimizer.learning_rate: [0.1, 1e300]
  model.layers[0].units: [2, 5]
  seed: [1, 2]`,
  // Three independent labels: three sigmoid outputs with binary cross-entropy (target kind multilabel).
  multilabel: `data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 1, 0], [0, 0, 0], [1, 0, 1], [0, 1, 1]] } }
model: { layers: [{ units: 4, activation: tanh }, { units: 3, activation: sigmoid }] }
loss: binary_cross_entropy
training: { epochs: 30, batch_size: 2, optimizer: { type: adam, learning_rate: 0.05 } }
log: { every: 10 }`,
};

/** The corpus written to a folder; the files in a fixed order. */
function corpus(): string[] {
  const dir = tempDir();
  return Object.entries(CORPUS).map(([name, text]) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\nseed: 1\n${text}\n`);
    return file;
  });
}

/** Every file below dir, relative path → text; run.json without its time fields, summary.csv without duration_ms. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    let text = readFileSync(path, 'utf8');
    if (e.name === 'run.json') text = JSON.stringify({ ...JSON.parse(text), started: 0, ended: 0, duration_ms: 0 }, null, 2);
    if (e.name === 'summary.csv') text = text.replace(/,\d+\n/g, ',0\n'); // duration_ms, the last column
    out[path.slice(dir.length)] = text;
  }
  return out;
}

/** Printed lines, sorted: the output folder as OUT, no [i/n] prefix, no timing, no shard summary line. */
function lines(text: string, out: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !/^shard \d+\/\d+: /.test(l))
    .map((l) => l.replaceAll(out, 'OUT').replace(/^\[\d+\/\d+\] /, '').replace(/ in \d+\.\d\d s → /, ' → '))
    .sort();
}

interface PathResult {
  code: number;
  stdout: string[];
  stderr: string[];
  files: Record<string, string>;
}

async function viaCli(files: string[], ...args: string[][]): Promise<PathResult> {
  const out = tempDir();
  const results: CliResult[] = [];
  for (const extra of args) results.push(await cli('run', ...files, '--out', out, ...extra));
  // Shards: the invocation's exit code is the worst of its shards' (4 when any run diverged).
  const code = Math.max(...results.map((r) => r.code));
  return { code, stdout: lines(results.map((r) => r.stdout).join(''), out), stderr: lines(results.map((r) => r.stderr).join(''), out), files: tree(out) };
}

describe('one corpus through every path', () => {
  let files: string[];
  let serial: PathResult;
  beforeAll(async () => {
    files = corpus();
    serial = await viaCli(files, []);
  });

  it('the serial run is what the corpus says: completed, diverged in epoch 0, 1 and later, early-stopped, a sweep, multilabel; exit 4', () => {
    expect(serial.code).toBe(4);
    expect(serial.stdout.map((l) => l.replace(/: train_loss .*?;/, ':'))).toEqual([
      'completed: 20 epochs → OUT/completed',
      expect.stringMatching(/^early-stopped: stopped early at epoch \d+ of 300 \(best validation_loss at epoch \d+, restored\) → OUT\/early-stopped$/),
      'multilabel: 30 epochs → OUT/multilabel',
      ...OK_SWEEP_RUNS.map((d) => `sweep/${d}: 10 epochs → OUT/sweep/${d}`),
    ]);
    expect(JSON.parse(serial.files['/multilabel/run.json']).kind).toBe('multilabel');
    expect(serial.stderr).toHaveLength(7);
    const stderr = serial.stderr.slice(1);
    expect(serial.stderr[0]).toMatch(/diverged-epoch-0\.yaml: diverged-epoch-0 diverged in epoch 0 after 0 weight update\(s\): .* Kept run\.json \(no finite loss to log\) in OUT\/diverged-epoch-0\.diverged\/ \(no model\.json\)$/);
    expect(stderr[0]).toMatch(/diverged-first-epoch\.yaml: diverged-first-epoch diverged in epoch 1 after 1 weight update\(s\): .* Kept the finite loss log \(to epoch 0\) and run\.json in OUT\/diverged-first-epoch\.diverged\/ \(no model\.json\)$/);
    expect(stderr[1]).toMatch(/diverged-late\.yaml: diverged-late diverged in epoch 64 after 63 weight update\(s\): .* \(to epoch 60\) and run\.json in OUT\/diverged-late\.diverged\/ /);
    DIVERGED_SWEEP_RUNS.forEach((d, k) => {
      const name = d.replace(/[+.]/g, '\\$&');
      expect(stderr[2 + k]).toMatch(new RegExp(`sweep\\.yaml: sweep/${name} diverged in epoch 1 .* in OUT/sweep/${name}\\.diverged/ `));
    });
    expect(Object.keys(serial.files).sort()).toEqual(
      [
        ...['completed', 'early-stopped', 'multilabel'].flatMap((d) => ['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json'].map((f) => `/${d}/${f}`)),
        ...['diverged-epoch-0.diverged', 'diverged-first-epoch.diverged', 'diverged-late.diverged'].flatMap((d) =>
          ['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'run.json'].map((f) => `/${d}/${f}`),
        ),
        // a sweep's runs draw no chart (log.charts)
        ...OK_SWEEP_RUNS.flatMap((d) => ['config.json', 'loss.csv', 'model.json', 'run.json'].map((f) => `/sweep/${d}/${f}`)),
        ...DIVERGED_SWEEP_RUNS.flatMap((d) => ['config.json', 'loss.csv', 'run.json'].map((f) => `/sweep/${d}.diverged/${f}`)),
        '/sweep/summary.csv',
      ].sort(),
    );
  });

  it('--jobs 2: the same files, lines and exit code', async () => {
    expect(await viaCli(files, ['--jobs', '2'])).toEqual(serial);
  });

  it('--jobs 2 with every run in the worker (workersOnlyForTests): the same files, lines and exit code', async () => {
    Object.assign(workersOnlyForTests, { on: true, answered: 0 });
    try {
      expect(await viaCli(files, ['--jobs', '2'])).toEqual(serial);
      expect(workersOnlyForTests.answered, 'runs the worker answered').toBe(serial.stdout.length + serial.stderr.length);
    } finally {
      Object.assign(workersOnlyForTests, { on: false, answered: 0 });
    }
  });

  it('--shard 1/2 then --shard 2/2 into one folder: the same files, lines and exit code', async () => {
    expect(await viaCli(files, ['--shard', '1/2'], ['--shard', '2/2'])).toEqual(serial);
  });

  for (const jobs of [1, 2]) {
    it(`the library (loadPlan + runPlans, jobs ${jobs}): the same files, and each run's status and folder as the CLI printed them`, async () => {
      const out = tempDir();
      Object.assign(workersOnlyForTests, { on: jobs === 2, answered: 0 });
      let finished: Finished[];
      try {
        finished = await runPlans(files.map((f) => loadPlan(f)), { out, jobs });
        if (jobs === 2) expect(workersOnlyForTests.answered, 'runs the worker answered').toBe(finished.length);
      } finally {
        Object.assign(workersOnlyForTests, { on: false, answered: 0 });
      }
      expect(tree(out)).toEqual(serial.files);
      const printed = [...serial.stdout, ...serial.stderr].map((l) => /(OUT\/\S+?)\/? \(no model|→ (OUT\/\S+)$/.exec(l)!.slice(1).find(Boolean)!).sort();
      const outcomes = finished.map((f) => ('error' in f ? f.error : `${f.outDir.replace(out, 'OUT')}`)).sort();
      expect(outcomes).toEqual(printed);
      const statuses = finished.map((f) => ('run' in f ? f.run.status : 'error'));
      expect(statuses.filter((s) => s === 'diverged')).toHaveLength(serial.stderr.length);
      expect(statuses.filter((s) => s === 'completed')).toHaveLength(serial.stdout.length);
    });
  }
});
