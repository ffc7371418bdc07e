// End-to-end tests of the `mlplab` command: main(argv, io) called as a function with a capturing io (run,
// validate, gradcheck, usage errors), plus two tests that spawn the real launcher bin/mlplab.js (which
// imports dist/cli.js: they are skipped, saying so, when the build is missing; `npm test` builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli.js';
import { activations, type Activation } from '../src/model/activations.js';
import { gradcheckFailures, gradcheckReport } from '../src/commands/gradcheck.js';
import { experimentFromObject, loadExperiment } from '../src/config/load.js';
import { createNetwork } from '../src/model/network.js';
import { gradcheckExperiment } from '../src/runner/gradcheck.js';
import { prepare } from '../src/runner/prepare.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const XOR = join(ROOT, 'experiments', 'xor-softmax.yaml');
const NAME = 'xor-softmax';
const FILES = ['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json'];
const BIN = join(ROOT, 'bin', 'mlplab.js');
const DIST_CLI = join(ROOT, 'dist', 'cli.js');
const BAD = join(ROOT, 'test', 'config', 'bad', 'wrong-type-epochs.yaml');

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlplab-cli-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t) };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * Runs the XOR experiment into a new temporary --out folder; returns the run's folder: OUT/NAME, or with
 * --set/--seed overrides the one folder below it that holds the run.
 */
async function runXor(...extra: string[]): Promise<string> {
  const out = tempDir();
  const r = await cli('run', XOR, '--out', out, '--quiet', ...extra);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const runs = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.name === 'run.json');
  expect(runs).toHaveLength(1);
  expect(runs[0].parentPath).toBe(extra.length === 0 ? join(out, NAME) : join(out, NAME, readdirSync(join(out, NAME))[0]));
  return runs[0].parentPath;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const readAll = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, read(dir, f)]));

/** loss.csv as a header and numeric rows. */
function lossCsv(dir: string): { header: string; rows: number[][] } {
  const [header, ...lines] = read(dir, 'loss.csv').trimEnd().split('\n');
  return { header, rows: lines.map((l) => l.split(',').map(Number)) };
}

const noStackTrace = (r: Result) => expect(r.stdout + r.stderr).not.toContain('    at ');

describe('mlplab run', () => {
  it('writes loss.csv, model.json, config.json and run.json into --out/NAME', async () => {
    const dir = await runXor();
    expect(readdirSync(dir).sort()).toEqual(FILES);

    const { header, rows } = lossCsv(dir);
    expect(header).toBe('epoch,step,train_loss,train_accuracy');
    // epoch 0 (before any update), then every log.every = 100 epochs up to the last, 2000.
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 21 }, (_, i) => i * 100));
    expect(rows[0][1]).toBe(0);
    // batch_size 4 on 4 rows: one update per epoch, so step == epoch.
    for (const [epoch, step] of rows) expect(step).toBe(epoch);
    for (const r of rows) {
      expect(r).toHaveLength(4);
      expect(r.every(Number.isFinite)).toBe(true);
    }
    expect(rows[rows.length - 1][2]).toBeLessThan(rows[0][2]);
    expect(rows[rows.length - 1][3]).toBe(1);

    const model = JSON.parse(read(dir, 'model.json'));
    expect(model.format).toBe('mlplab.model/v1');
    expect(model.inputs).toBe(2);
    expect(model.loss).toBe('cross_entropy');
    expect(model.layers.map((l: { units: number; activation: string }) => [l.units, l.activation])).toEqual([[2, 'tanh'], [2, 'softmax']]);

    const config = JSON.parse(read(dir, 'config.json'));
    expect(config).toMatchObject({ name: NAME, seed: 1, loss: 'cross_entropy', reduction: 'mean', training: { epochs: 2000, batch_size: 4 }, log: { every: 100 } });

    const run = JSON.parse(read(dir, 'run.json'));
    expect(run).toMatchObject({ name: NAME, seed: 1, status: 'completed', epochs: 2000, steps: 2000, final: { train_accuracy: 1 } });
  });

  it('writes model weights as inputs × units (row i = input i)', async () => {
    const dir = await runXor('--set', 'model.layers[0].units=3', '--set', 'training.epochs=5');
    const model = JSON.parse(read(dir, 'model.json'));
    const shape = (w: number[][]) => [w.length, ...new Set(w.map((row) => row.length))];
    expect(model.layers.map((l: { weights: number[][] }) => shape(l.weights))).toEqual([[2, 3], [3, 2]]);
    expect(model.layers.map((l: { bias: number[] }) => l.bias.length)).toEqual([3, 2]);
  });

  it('is reproducible: two runs give byte-identical loss.csv, model.json and config.json', async () => {
    const a = await runXor();
    const b = await runXor();
    for (const f of ['loss.csv', 'model.json', 'config.json']) expect(read(b, f), f).toBe(read(a, f));
  });

  it('--seed 2 changes the initial weights, hence the loss log and the model', async () => {
    const a = await runXor();
    const b = await runXor('--seed', '2');
    expect(read(b, 'loss.csv')).not.toBe(read(a, 'loss.csv'));
    expect(read(b, 'model.json')).not.toBe(read(a, 'model.json'));
    expect(JSON.parse(read(b, 'config.json')).seed).toBe(2);
    expect(JSON.parse(read(b, 'run.json')).seed).toBe(2);
  });

  it('--set training.epochs=10 logs epoch 0 and the last epoch (log.every is 100)', async () => {
    const dir = await runXor('--set', 'training.epochs=10');
    const { header, rows } = lossCsv(dir);
    expect(header).toBe('epoch,step,train_loss,train_accuracy');
    expect(rows.map((r) => r[0])).toEqual([0, 10]);
    expect(rows.map((r) => r[1])).toEqual([0, 10]);
  });

  it('--set training.epochs=10 --set log.every=3 logs 0, every 3rd epoch and always the last', async () => {
    const dir = await runXor('--set', 'training.epochs=10', '--set', 'log.every=3');
    const { rows } = lossCsv(dir);
    expect(rows.map((r) => r[0])).toEqual([0, 3, 6, 9, 10]);
    expect(rows.map((r) => r[1])).toEqual([0, 3, 6, 9, 10]);
    expect(JSON.parse(read(dir, 'run.json'))).toMatchObject({ epochs: 10, steps: 10 });
  });

  it('reports a --set value that fails validation as a problem from --set (exit 1)', async () => {
    const out = tempDir();
    const r = await cli('run', XOR, '--out', out, '--set', 'training.epochs=many');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${XOR}: training.epochs: expected an integer, found "many" (from --set training.epochs=many)\n`);
    noStackTrace(r);
    expect(readdirSync(out)).toEqual([]);
  });

  it('reports a --set index past the end of a list as a usage error (exit 2)', async () => {
    const r = await cli('run', XOR, '--set', 'model.layers[5].units=3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--set: model.layers has 2 item(s); index 5 is past its end');
    noStackTrace(r);
  });

  it('reports a --set without "=" as a usage error (exit 2)', async () => {
    const r = await cli('run', XOR, '--set', 'training.epochs');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--set expects key.path=value, found "training.epochs"');
    expect(r.stderr).toContain('mlplab --help');
    noStackTrace(r);
  });

  it('prints a summary line without --quiet, and nothing at all with it', async () => {
    const out = tempDir();
    const loud = await cli('run', XOR, '--out', out, '--set', 'training.epochs=10');
    expect(loud.code).toBe(0);
    expect(loud.stderr).toBe(''); // no progress line: io.errIsTTY is not set
    expect(loud.stdout).toMatch(new RegExp(`^${NAME}/epochs=10: train_loss [\\d.e-]+, train_accuracy [\\d.]+; 10 epochs in [\\d.]+ s → .*${NAME}/epochs=10\\n$`));
    const quiet = await cli('run', XOR, '--out', out, '--set', 'training.epochs=10', '--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
  });

  it('a run that fails does not touch the results of an earlier run in the same --out', async () => {
    const out = tempDir();
    expect((await cli('run', XOR, '--out', out, '--quiet')).code).toBe(0);
    const dir = join(out, NAME);
    const before = readAll(dir);
    expect(Object.keys(before).sort()).toEqual(FILES);

    // Fails in validation.
    const bad = await cli('run', XOR, '--out', out, '--quiet', '--set', 'training.optimizer.learning_rate=-1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('(from --set training.optimizer.learning_rate=-1)');
    // Passes validation, fails when the data are loaded (2-wide targets, 3 output units).
    const badData = await cli('run', XOR, '--out', out, '--quiet', '--set', 'model.layers[1].units=3');
    expect(badData.code).toBe(1);
    expect(badData.stderr).toMatch(/^.*xor-softmax\.yaml:\d+:\d+: data\.inline\.targets: expected target rows of 3 values/);
    noStackTrace(badData);

    expect(readAll(dir)).toEqual(before);
    expect(readdirSync(out)).toEqual([NAME]); // no staging folders left behind
  });
});

describe('mlplab usage errors', () => {
  it('an unknown command exits 2 with a usage hint', async () => {
    const r = await cli('frobnicate', XOR);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('unknown command "frobnicate"; expected run, validate, check, predict, evaluate, export, gradcheck or compare\n(see mlplab --help)\n');
  });

  it('an unknown option exits 2 with a usage hint', async () => {
    const r = await cli('run', XOR, '--bogus');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^unknown option --bogus; known options: --set, .*--seed/);
    expect(r.stderr).toMatch(/\(see mlplab --help\)\n$/);
    noStackTrace(r);
  });

  it('a missing experiment file exits 1 with "FILE: cannot read ..."', async () => {
    const missing = join(tempDir(), 'nope.yaml');
    for (const command of ['run', 'validate']) {
      const r = await cli(command, missing);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${missing}: cannot read the experiment file: no such file\n`);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mlplab [\d.]+: /);
    expect(r.stdout).toContain('mlplab validate FILE...');
  });
});

describe('mlplab gradcheck', () => {
  it('passes every layer of xor-softmax (exit 0)', async () => {
    const r = await cli('gradcheck', XOR);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const layers = r.stdout.split('\n').filter((l) => /^ {2}layer \d/.test(l));
    expect(layers).toHaveLength(2);
    expect(layers[0]).toMatch(/^ {2}layer 1 \(2 → 2, tanh\): .* pass$/);
    expect(layers[1]).toMatch(/^ {2}layer 2 \(2 → 2, softmax \+ cross_entropy, fused\): .* pass$/);
    expect(r.stdout).toContain('All gradients match');
  });

  it('-q prints nothing when every layer passes (it printed the whole report), and still prints errors', async () => {
    expect(await cli('gradcheck', XOR, '-q')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cli('gradcheck', XOR, '--explain', '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
    const bad = await cli('gradcheck', BAD, '-q');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`${BAD}:15:11: training.epochs: expected an integer, found "many"\n`);
  });

  it('finds a wrong derivative: tanh backward as 1 - a instead of 1 - a² fails layer 1 (a registry of its own)', () => {
    expect(Object.isFrozen(activations) && Object.isFrozen(activations.tanh)).toBe(true);
    const wrongTanh: Activation = {
      ...activations.tanh,
      backward(a, da, dz, rows, cols) {
        for (let i = 0; i < rows * cols; i++) dz[i] = da[i] * (1 - a[i]); // wrong: tanh'(z) = 1 − a²
      },
    };
    const exp = loadExperiment(XOR);
    const { data, network: right } = prepare(exp);
    const network = createNetwork(right.inputs, exp.config.model.layers, { ...activations, tanh: wrongTanh });
    network.layers.forEach((l, k) => (l.w.set(right.layers[k].w), l.b.set(right.layers[k].b)));
    const check = gradcheckExperiment(exp, { data, network });
    expect(check.pass).toBe(false);
    const layers = gradcheckReport(exp.config, check).split('\n').filter((l) => /^ {2}layer \d/.test(l));
    expect(layers[0]).toMatch(/^ {2}layer 1 \(2 → 2, tanh\): .* FAIL$/);
    // Layer 2's gradient is computed before layer 1's activation is differentiated: still right.
    expect(layers[1]).toMatch(/^ {2}layer 2 .* pass$/);
    expect(gradcheckReport(exp.config, check)).toContain('FAILED in layer 1.');
    // -q (as check -q prints its drifts only): the failing layer's line and the verdict, not the method or the layers that pass
    const failures = gradcheckFailures(exp.config, check).trimEnd().split('\n');
    expect(failures[0]).toBe(layers[0]);
    expect(failures[1]).toMatch(/^FAILED in layer 1\. /);
    expect(failures).toHaveLength(3);
    expect(gradcheckFailures(exp.config, gradcheckExperiment(exp, prepare(exp)))).toBe('');
  });

  it('says when a layer passes with every derivative too small to tell a wrong one (saturated units): its pass tells nothing', () => {
    // Inputs in the thousands on uniform [0, 1) weights saturate layer 1's tanh units: its gradients are 0 on every row.
    const exp = experimentFromObject({
      seed: 3,
      data: { inline: { inputs: [[300, -1200], [2000, 500], [-700, 1100], [1500, -400]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] } },
      model: { layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'tanh' }], init: { scheme: 'uniform' } },
      loss: 'mse',
    });
    const check = gradcheckExperiment(exp);
    expect(check.pass).toBe(true);
    const layers = gradcheckReport(exp.config, check).split('\n').filter((l) => /^ {2}layer \d/.test(l));
    expect(layers[0]).toMatch(/: analytic 0, numeric 0  pass, but every derivative of this layer is below 1\.11e-9, too small for the check to tell a wrong one from a right one \(saturated or dead units on these rows\)$/);
    expect(layers[1]).toMatch(/  pass$/);
  });

  it("names where a wrong derivative enters: the highest failing layer, not the layers below that take its error", () => {
    // Layer 2's sigmoid is wrong, layer 1's tanh right: layer 1 fails only through layer 2's error flowing down.
    const wrongSigmoid: Activation = {
      ...activations.sigmoid,
      backward(a, da, dz, rows, cols) {
        for (let i = 0; i < rows * cols; i++) dz[i] = da[i] * a[i]; // wrong: σ'(z) = a(1 − a)
      },
    };
    const exp = experimentFromObject({
      seed: 2,
      data: { inline: { inputs: [[0.3, -1.2], [2, 0.5], [-0.7, 1.1], [1.5, -0.4]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] } },
      model: { layers: [{ units: 3, activation: 'tanh' }, { units: 3, activation: 'sigmoid' }, { units: 2, activation: 'softmax' }] },
      loss: 'cross_entropy',
    });
    const { data, network: right } = prepare(exp);
    const network = createNetwork(right.inputs, exp.config.model.layers, { ...activations, sigmoid: wrongSigmoid });
    network.layers.forEach((l, k) => (l.w.set(right.layers[k].w), l.b.set(right.layers[k].b)));
    const check = gradcheckExperiment(exp, { data, network });
    expect(check.layers.map((l) => l.pass)).toEqual([false, false, true]);
    const verdict = gradcheckReport(exp.config, check).trimEnd().split('\n').slice(-2);
    expect(verdict[0]).toBe(
      'FAILED in layers 1, 2. The error enters at layer 2, the highest that fails: its activation\'s backward (or at the output ' +
        'the loss gradient) does not match the loss, and the layers below it take their gradients through it, so they fail with it.',
    );
    expect(gradcheckFailures(exp.config, check).trimEnd().split('\n').slice(-2)).toEqual(verdict);
  });
});

describe('bin/mlplab.js (spawned; needs the build in dist/)', () => {
  const spawn = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

  it('run writes its files and exits 0', (ctx) => {
    ctx.skip(!existsSync(DIST_CLI), 'dist/cli.js is missing: run `npm run build` first (`npm test` builds before vitest)');
    const out = tempDir();
    const r = spawn('run', 'experiments/xor-softmax.yaml', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(join(out, NAME)).sort()).toEqual(FILES);
    expect(lossCsv(join(out, NAME)).header).toBe('epoch,step,train_loss,train_accuracy');
  });

  it('validate on a wrong file exits 1 with a located message and no stack trace', (ctx) => {
    ctx.skip(!existsSync(DIST_CLI), 'dist/cli.js is missing: run `npm run build` first (`npm test` builds before vitest)');
    const r = spawn('validate', BAD);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${BAD}:15:11: training.epochs: expected an integer, found "many"\n`);
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('gradcheck on every shipped experiment', () => {
  for (const file of readdirSync('experiments').filter((f) => f.endsWith('.yaml'))) {
    it(`${file} passes`, async () => {
      const r = await cli('gradcheck', join('experiments', file));
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/All gradients match/);
    });
  }
  it("a sweep of other keys than seed and fold: each configuration it sweeps is checked, at the file's seed (only the file's base was: relu and tanh never)", async () => {
    const r = await cli('gradcheck', 'experiments/learn/activations.yaml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const heads = r.stdout.split('\n').filter((l) => l.startsWith('gradcheck '));
    expect(heads.map((l) => /\((model\.layers\.0\.activation=\w+)\)/.exec(l)?.[1])).toEqual(['model.layers.0.activation=sigmoid', 'model.layers.0.activation=tanh', 'model.layers.0.activation=relu']);
    expect(r.stdout.match(/All gradients match/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/layer 1 \(2 → \d+, relu\)/);
    expect(await cli('gradcheck', 'experiments/learn/activations.yaml', '-q')).toEqual({ code: 0, stdout: '', stderr: '' });
    // --set of a swept key checks that value alone; a sweep of seeds only is the file's run, as before (no label)
    const one = await cli('gradcheck', 'experiments/learn/activations.yaml', '--set', 'model.layers.0.activation=tanh');
    expect(one.stdout.split('\n').filter((l) => l.startsWith('gradcheck ')).map((l) => /\(([^)]*=[^)]*)\)/.exec(l)?.[1])).toEqual(['model.layers.0.activation=tanh']);
    const seeds = await cli('gradcheck', 'experiments/iris.yaml');
    expect(seeds.stdout.split('\n').filter((l) => l.startsWith('gradcheck '))).toHaveLength(1);
    expect(seeds.stdout).toMatch(/^gradcheck iris: /);
  });
  it('leaves out rows at a relu kink (xor-relu: input (0, 0) with zero biases puts every z at 0)', async () => {
    const r = await cli('gradcheck', 'experiments/xor-relu.yaml');
    expect(r.stdout).toContain('Skipped 1 training row(s) where a relu/leaky_relu pre-activation sits at its kink');
  });
});
