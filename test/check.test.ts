// `mlplab check`: a drift in the numbers is reported cell by cell (experiment, row, column, expected, got,
// relative difference) with exit 1; expectations hold for the mean over seeds of the runs that completed, and a
// run that did not complete fails its group; --update writes a golden only when every expectation holds.
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';
import { checkExperiment, csvDrifts, experimentsWithGoldens, formatDrift, goldenFileOf } from '../src/runner/check.js';
import { loadExperiment } from '../src/config/load.js';
import type { UserErrors } from '../src/errors.js';
import { ROOT, shippedExperiments } from '../scripts/goldens.js';

const tempDir = tempDirs('mlplab-check');

// Every run check trains, counted (passed through): a problem in a file must show before the first.
const trained = vi.hoisted(() => vi.fn());
vi.mock('../src/runner/run.js', async (original) => {
  const mod = await original<typeof import('../src/runner/run.js')>();
  return { ...mod, trainExperiment: (...a: Parameters<typeof mod.trainExperiment>) => (trained(), mod.trainExperiment(...a)) };
});

/** experiments/xor-tanh.yaml copied to a new folder, its golden named by path, `edit` applied to its text. */
function xorTanh(edit: (text: string) => string = (t) => t): string {
  const file = join(tempDir(), 'xor-tanh.yaml');
  const text = readFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), 'utf8');
  writeFileSync(file, edit(text) + `golden: ${join(ROOT, 'test', 'golden', 'xor-tanh.csv')}\n`);
  return file;
}

describe('mlplab check', () => {
  it('passes on the shipped file and its golden', async () => {
    const r = await cli('check', xorTanh());
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^xor-tanh: ok \(1 run; golden .*xor-tanh\.csv\)\n$/);
    expect(r.code).toBe(0);
  });

  it('fails when a number in the training path changes, naming every drifting cell', async () => {
    const r = await cli('check', xorTanh((t) => t.replace('learning_rate: 0.1 }', 'learning_rate: 0.1000001 }')));
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^xor-tanh: \d+ drift\(s\)/);
    const drifts = lines.slice(0, -1);
    expect(drifts.length).toBeGreaterThanOrEqual(20); // every logged epoch after 0 (20 rows) moves, in train_loss at least
    for (const line of drifts) expect(line).toMatch(/^xor-tanh: row \d+ \(epoch \d+\), (train_loss|train_accuracy): expected \S+, got \S+, relative difference \S+$/);
    expect(drifts[0]).toMatch(/^xor-tanh: row 2 \(epoch 50\), train_loss: /);
  });

  it('checks expect: against the mean over seeds of each group, and locates a metric the runs do not log', async () => {
    const sweep = 'sweep:\n  seed: [1, 2, 3]\nexpect:\n  train_accuracy: { min: 1.5 }\n  train_loss: { max: 1 }\n';
    const noExpect = (t: string) => t.replace(/^expect:[\s\S]*$/m, '');
    const r = await cli('check', xorTanh((t) => noExpect(t) + sweep));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^xor-tanh: expect train_accuracy >= 1\.5, got [\d.]+ \(mean of 3 seeds\)\nxor-tanh: 1 expectation failed \(3 runs;/);
    const bad = await cli('check', xorTanh((t) => noExpect(t) + 'expect:\n  test_accuracy: { min: 0.9 }\n'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/xor-tanh\.yaml:\d+:3: expect\.test_accuracy: test_accuracy needs a test split \(data\.split\.test > 0\)\n$/);
    const typo = await cli('validate', xorTanh((t) => noExpect(t) + 'expect:\n  train_acuracy: { min: 0.9 }\n'));
    expect(typo.stderr).toMatch(/:\d+:3: expect\.train_acuracy: "train_acuracy" is not a metric; expected one of: train_loss, train_accuracy, /);
    const r2 = await cli('check', xorTanh((t) => noExpect(t) + 'expect:\n  train_r2: { min: 0.9 }\n'));
    expect(r2.stderr).toMatch(/:\d+:3: expect\.train_r2: the runs do not log train_r2; they log train_loss, train_accuracy\n$/);
  });

  it('expect: with key=value holds bounds for the matching groups only; a selector of no swept key or no run is located', async () => {
    const noExpect = (t: string) => t.replace(/^expect:[\s\S]*$/m, '');
    const sweep = 'sweep:\n  training.epochs: [1, 300]\n  seed: [1, 2]\n';
    // After 1 epoch XOR is not learnt; after 300 it is (the shipped file's golden says so at epoch 300).
    const bounds = 'expect:\n  train_loss: { max: 100 }\n  training.epochs=300:\n    train_accuracy: { min: 1 }\n  training.epochs=1:\n    train_accuracy: { max: 0.9 }\n';
    const ok = await cli('check', xorTanh((t) => noExpect(t) + sweep + bounds));
    expect(ok.stdout).toMatch(/^xor-tanh: ok \(4 runs;/);
    const strict = bounds.replace('{ max: 0.9 }', '{ min: 0.9 }');
    const r = await cli('check', xorTanh((t) => noExpect(t) + sweep + strict));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^xor-tanh: expect train_accuracy >= 0\.9, got [\d.]+ \(mean of 2 seeds, training\.epochs=1\)\nxor-tanh: 1 expectation failed \(4 runs;/);
    const unswept = await cli('check', xorTanh((t) => noExpect(t) + sweep + 'expect:\n  reduction=sum:\n    train_loss: { max: 1 }\n'));
    expect(unswept.stderr).toMatch(/:\d+:3: expect\.reduction=sum: no group of runs has reduction=sum \(a group is chosen by swept values: training\.epochs\)\n$/);
    // Random-search samples that drew one configuration are one group (as compare pools them): a selector of any of
    // its samples bounds it. It was read from the group's first run (sample=0) only: sample=1 and 2 went unchecked.
    const drawn = 'sweep:\n  training.epochs: { choice: [5] }\nsweep_samples: 3\n';
    const samples = await cli('check', xorTanh((t) => noExpect(t) + drawn + 'expect:\n  sample=2:\n    train_accuracy: { min: 1.5 }\n'));
    expect(samples.code).toBe(1);
    expect(samples.stdout).toMatch(/^xor-tanh: expect train_accuracy >= 1\.5, got [\d.]+ \(mean of 3 runs \(1 seed\), sample=0, training\.epochs=5\)\nxor-tanh: 1 expectation failed \(3 runs;/);
    const none = await cli('check', xorTanh((t) => noExpect(t) + sweep + 'expect:\n  training.epochs=7:\n    train_los: { max: 1 }\n'));
    expect(none.stderr).toMatch(/:\d+:5: expect\.training\.epochs=7\.train_los: "train_los" is not a metric/);
  });

  it('a selector\'s number is the number it writes: learning_rate=1e-1 picks the group the sweep lists as 1e-1 (it found "no group")', async () => {
    const noExpect = (t: string) => t.replace(/^expect:[\s\S]*$/m, '');
    const sweep = 'sweep:\n  training.optimizer.learning_rate: [1e-1, 0.5]\nexpect:\n  training.optimizer.learning_rate=1e-1:\n    train_loss: { max: 0.000001 }\n';
    const r = await cli('check', xorTanh((t) => noExpect(t) + sweep));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^xor-tanh: expect train_loss <= 0\.000001, got \S+ \(one run, training\.optimizer\.learning_rate=0\.1\)\n/);
    expect(r.code).toBe(1);
  });

  it('--update writes the golden on purpose; then check passes; a named golden that is missing is an error', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.yaml');
    copyFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), file);
    writeFileSync(file, readFileSync(file, 'utf8') + 'golden: golden/x.csv\n');
    expect((await cli('check', file)).stderr).toMatch(/x\.yaml:\d+:9: golden: golden file not found: .*golden\/x\.csv/);
    expect((await cli('check', file, '--update')).code).toBe(0);
    expect(readFileSync(join(dir, 'golden', 'x.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'test', 'golden', 'xor-tanh.csv'), 'utf8'));
    expect((await cli('check', file)).code).toBe(0);
  });

  it('--update with a golden: path through a file is exit 1 naming the folder (was an internal ENOTDIR error)', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.yaml');
    writeFileSync(join(dir, 'afile'), 'x');
    writeFileSync(file, readFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), 'utf8') + 'golden: afile/g/x.csv\n');
    const r = await cli('check', file, '--update');
    expect(r.stderr).toBe(`${join(dir, 'afile', 'g')}: cannot create the folder: a part of the path is a file, not a folder (ENOTDIR)\n`);
    expect(r.code).toBe(1);
    // Beside a file that checks: the summary does not call it all ok.
    const good = join(tempDir(), 'xor-tanh.yaml');
    copyFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), good);
    const both = await cli('check', good, file, '--update');
    expect(both.stdout).toMatch(/^xor-tanh: ok \(1 run; wrote .*\)\n2 experiments checked: 1 stopped by an error\n$/);
    expect(both.code).toBe(1);
  });

  it("expect: over folds whose metric is undefined in some runs (R² of one validation row) bounds the mean of the others, as compare does; in none, says so (it said 'got NaN')", async () => {
    const file = (folds: number) => {
      const f = join(tempDir(), `loo${folds}.yaml`);
      writeFileSync(f, `name: loo
data: { inline: { inputs: [[0], [1], [2], [3], [4], [5], [6]], targets: [[0], [1], [2], [3], [4], [5], [6]] }, split: { folds: ${folds} } }
model: { layers: [{ units: 1, activation: linear }] }
loss: mse
training: { epochs: 2, batch_size: full }
expect:
  validation_r2: { min: -1000000000 }
`);
      return f;
    };
    const some = await cli('check', file(6)); // 7 rows in 6 folds: one fold of 2 rows has an R², five of 1 row none
    expect(some.stdout + some.stderr).not.toMatch(/NaN/);
    expect(some.code, some.stdout + some.stderr).toBe(0);
    const none = await cli('check', file(7)); // every fold one row: no R² anywhere
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/expect validation_r2 >= -1000000000, got no value \(validation_r2 is undefined in every run\) \(mean of 7 folds\)/);
  });

  it('an experiment with neither a golden file nor expect: is an error, not a pass', async () => {
    const file = join(tempDir(), 'lonely.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), 'utf8').replace(/^expect:[\s\S]*$/m, ''));
    const r = await cli('check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lonely\.yaml: nothing to check: no golden file .*lonely\.csv and no expect:/);
  });

  it('a problem in any file is found before anything trains: nothing checked, no "all ok" summary (it said "2 experiments checked: all ok" with exit 1)', async () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'bad: 1\n');
    trained.mockClear();
    const r = await cli('check', xorTanh(), bad);
    expect(trained).not.toHaveBeenCalled();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.yaml:1:1: missing required key "data"/);
  });

  it('an expect: selector of no group, or a metric the runs do not log, is found before anything trains', async () => {
    const noExpect = (t: string) => t.replace(/^expect:[\s\S]*$/m, '');
    trained.mockClear();
    const sweep = 'sweep:\n  training.optimizer.learning_rate: [0.1, 0.2]\nexpect:\n  training.optimizer.learning_rate=0.3:\n    train_loss: { max: 1 }\n';
    const none = await cli('check', xorTanh((t) => noExpect(t) + sweep));
    expect(none.stderr).toMatch(/:\d+:3: expect\.training\.optimizer\.learning_rate=0\.3: no group of runs has training\.optimizer\.learning_rate=0\.3/);
    expect(none.code).toBe(1);
    const r2 = await cli('check', xorTanh((t) => noExpect(t) + 'expect:\n  train_r2: { min: 0.9 }\n'));
    expect(r2.stderr).toMatch(/:\d+:3: expect\.train_r2: the runs do not log train_r2; they log train_loss, train_accuracy\n$/);
    expect(r2.code).toBe(1);
    expect(trained).not.toHaveBeenCalled();
  });

  it("validate reports check's expect: problems (a selector of no group or no swept key, a metric not logged) with its messages and exit code, training nothing", async () => {
    const noExpect = (t: string) => t.replace(/^expect:[\s\S]*$/m, '');
    const sweep = 'sweep:\n  training.optimizer.learning_rate: [0.1, 0.2]\n';
    const bad = 'expect:\n  training.optimizer.learning_rate=0.3:\n    train_loss: { max: 1 }\n  reduction=sum:\n    train_loss: { max: 1 }\n  train_r2: { min: 0.9 }\n';
    const file = xorTanh((t) => noExpect(t) + sweep + bad);
    trained.mockClear();
    const [checked, validated] = [await cli('check', file), await cli('validate', file)];
    expect(validated.stderr.split('\n')).toHaveLength(4); // three problems, each a line
    expect(validated.stderr).toMatch(/:\d+:3: expect\.training\.optimizer\.learning_rate=0\.3: no group of runs has training\.optimizer\.learning_rate=0\.3/);
    expect([validated.code, validated.stdout, validated.stderr]).toEqual([checked.code, '', checked.stderr]);
    expect(validated.code).toBe(1);
    // Several files: every file's problems in the order of the files, as check prints them (validate printed the
    // expect: problems after every other file's).
    const broken = xorTanh((t) => t.replace(/epochs: \d+/, 'epochs: many'));
    const [checkedTwo, validatedTwo] = [await cli('check', file, broken), await cli('validate', file, broken)];
    expect(validatedTwo.stderr.split('\n')).toHaveLength(5);
    expect([validatedTwo.code, validatedTwo.stderr]).toEqual([checkedTwo.code, checkedTwo.stderr]);
    expect(trained).not.toHaveBeenCalled();
    // A file whose selectors all pick a group is valid.
    const good = await cli('validate', xorTanh((t) => noExpect(t) + sweep + 'expect:\n  training.optimizer.learning_rate=0.2:\n    train_loss: { max: 1 }\n'));
    expect([good.code, good.stderr]).toEqual([0, '']);
    expect(good.stdout).toMatch(/: valid \(2 runs\)\n$/);
    // With --set, --seed or --sweep the runs are not the file's, which check runs (it refuses them): expect: is not checked.
    const swept = await cli('validate', file, '--sweep', 'training.optimizer.learning_rate=0.3');
    expect([swept.code, swept.stderr]).toEqual([0, '']);
  });

  it('a grid point whose data fail is refused before anything trains, with one message on the CLI and the library (placed at its run)', async () => {
    const file = join(tempDir(), 'sw.yaml');
    const text = readFileSync(join(ROOT, 'experiments', 'xor-softmax.yaml'), 'utf8');
    writeFileSync(file, text + `sweep:\n  model.layers.1.units: [2, 3]\ngolden: ${join(ROOT, 'test', 'golden', 'xor-softmax.csv')}\n`);
    trained.mockClear();
    const r = await cli('check', file);
    expect(r.stderr).toMatch(/sw\.yaml:\d+:\d+: data\.inline\.targets: expected target rows of 3 values, .* \(in run units=3\)\n$/);
    expect(r.code).toBe(1);
    let thrown: unknown;
    try {
      checkExperiment(file);
    } catch (e) {
      thrown = e;
    }
    expect((thrown as UserErrors).format() + '\n').toBe(r.stderr);
    expect(trained).not.toHaveBeenCalled();
  });

  it('with no FILE covers the experiments under experiments/ that have a golden (test/golden/NAME.csv)', () => {
    const root = tempDir();
    mkdirSync(join(root, 'experiments'));
    mkdirSync(join(root, 'test', 'golden'), { recursive: true });
    for (const name of ['xor-tanh', 'xor-relu']) copyFileSync(join(ROOT, 'experiments', `${name}.yaml`), join(root, 'experiments', `${name}.yaml`));
    copyFileSync(join(ROOT, 'test', 'golden', 'xor-relu.csv'), join(root, 'test', 'golden', 'xor-relu.csv'));
    expect(experimentsWithGoldens(root)).toEqual([join(root, 'experiments', 'xor-relu.yaml')]);
  });
});

describe('the default golden file: found from the experiment file, never from the current folder', () => {
  it('every shipped experiment (experiments/learn/ too) finds its golden in the project\'s test/golden/', () => {
    for (const file of shippedExperiments()) {
      const exp = loadExperiment(file);
      expect(goldenFileOf(exp)).toBe(join(ROOT, 'test', 'golden', `${exp.config.name}.csv`));
    }
  });

  it('check run from another folder finds the shipped golden', async () => {
    const elsewhere = tempDir();
    const before = process.cwd();
    process.chdir(elsewhere);
    try {
      const r = await cli('check', join(ROOT, 'experiments', 'xor-tanh.yaml'));
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`xor-tanh: ok (1 run; golden ${relative(elsewhere, join(ROOT, 'test', 'golden', 'xor-tanh.csv'))})\n`);
      expect(r.code).toBe(0);
    } finally {
      process.chdir(before);
    }
  });

  it('the nearest test/golden/ up the tree, else test/golden/ beside the file (where --update writes it)', async () => {
    const project = tempDir();
    mkdirSync(join(project, 'experiments', 'sub'), { recursive: true });
    mkdirSync(join(project, 'test', 'golden'), { recursive: true });
    const nested = join(project, 'experiments', 'sub', 'xor-tanh.yaml');
    copyFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), nested);
    expect(goldenFileOf(loadExperiment(nested))).toBe(join(project, 'test', 'golden', 'xor-tanh.csv'));
    expect((await cli('check', '--update', nested)).code).toBe(0);
    expect(readFileSync(join(project, 'test', 'golden', 'xor-tanh.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'test', 'golden', 'xor-tanh.csv'), 'utf8'));

    const alone = join(tempDir(), 'xor-tanh.yaml');
    copyFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), alone);
    expect(goldenFileOf(loadExperiment(alone))).toBe(join(dirname(alone), 'test', 'golden', 'xor-tanh.csv'));
  });

  it('a file named test (or test/golden) on the way up is not a golden folder: passed by (it was an internal ENOTDIR error, exit 3)', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'test', 'golden'), { recursive: true });
    mkdirSync(join(root, 'p', 'e', 'test'), { recursive: true });
    writeFileSync(join(root, 'p', 'test'), '#!/bin/sh\n'); // a script named test
    writeFileSync(join(root, 'p', 'e', 'test', 'golden'), 'x');
    const file = join(root, 'p', 'e', 'xor-tanh.yaml');
    copyFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), file);
    expect(goldenFileOf(loadExperiment(file))).toBe(join(root, 'test', 'golden', 'xor-tanh.csv'));

    // Beside a file named test, with no golden folder up the tree: user errors naming the path, exit 1, no stack trace.
    const dir = tempDir();
    writeFileSync(join(dir, 'test'), '#!/bin/sh\n');
    const lonely = join(dir, 'lonely.yaml');
    writeFileSync(lonely, readFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), 'utf8').replace(/^expect:[\s\S]*$/m, ''));
    const r = await cli('check', lonely);
    expect(r.stderr).toBe(`${lonely}: nothing to check: no golden file ${join(dir, 'test', 'golden', 'lonely.csv')} and no expect: (write the golden with mlplab check --update)\n`);
    expect(r.code).toBe(1);
    const update = await cli('check', lonely, '--update');
    expect(update.stderr).toBe(`${join(dir, 'test', 'golden')}: cannot create the folder: a part of the path is a file, not a folder (ENOTDIR)\n`);
    expect(update.code).toBe(1);
  });

  it('a test/golden that cannot be looked at (a link to itself) is a user error naming it, exit 1', async () => {
    const dir = tempDir();
    symlinkSync('test', join(dir, 'test'));
    const file = join(dir, 'xor-tanh.yaml');
    copyFileSync(join(ROOT, 'experiments', 'xor-tanh.yaml'), file);
    const r = await cli('check', file);
    expect(r.stderr).toBe(`${join(dir, 'test', 'golden')}: cannot look for the golden folder there: too many symbolic links in the path, or a link where none is followed (ELOOP)\n`);
    expect(r.code).toBe(1);
  });
});

describe('csvDrifts', () => {
  const golden = 'epoch,step,train_loss\n0,0,0.5\n10,10,0.25\n';
  it('accepts equal numbers and differences within the tolerance', () => {
    expect(csvDrifts('e', golden, golden, 1e-9)).toEqual([]);
    expect(csvDrifts('e', 'epoch,step,train_loss\n0,0,0.5000000000001\n10,10,0.25\n', golden, 1e-9)).toEqual([]);
  });
  it('names every differing cell with both values and the relative difference', () => {
    const drifts = csvDrifts('e', 'epoch,step,train_loss\n0,0,0.4\n10,10,0.2500001\n', golden, 1e-9).map(formatDrift);
    expect(drifts).toEqual([
      'e: row 1 (epoch 0), train_loss: expected 0.5, got 0.4, relative difference 2.00e-1',
      'e: row 2 (epoch 10), train_loss: expected 0.25, got 0.2500001, relative difference 4.00e-7',
    ]);
    expect(csvDrifts('e', 'epoch,step,train_loss\n0,0,0.5\n', golden, 1e-9).map(formatDrift)).toEqual(['e: loss log rows: expected 2 data rows, got 1']);
    expect(csvDrifts('e', 'epoch,step,loss\n0,0,0.5\n', golden, 1e-9).map(formatDrift)).toEqual(['e: loss log header: expected epoch,step,train_loss, got epoch,step,loss']);
  });
  it('an empty or non-numeric cell is not a number: it matches only the same text (an empty golden cell passed as 0)', () => {
    expect(csvDrifts('e', golden, 'epoch,step,train_loss\n0,,0.5\n10,10,0.25\n', 1e-9).map(formatDrift)).toEqual(['e: row 1 (epoch 0), step: expected , got 0, relative difference NaN']);
    expect(csvDrifts('e', 'epoch,step,train_loss\n0,0,NaN\n', 'epoch,step,train_loss\n0,0,x\n', 1e-9)).toHaveLength(1);
    expect(csvDrifts('e', 'epoch,step,train_loss\n0,0,NaN\n', 'epoch,step,train_loss\n0,0,NaN\n', 1e-9)).toEqual([]);
  });
});
