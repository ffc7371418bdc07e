// The catalogue of wrong experiment files: test/config/bad/*.yaml, each a copy of test/config/valid-base.yaml
// with one problem (three-problems.yaml has three). Every file goes through `mlplab validate` (main() with a
// capturing io) and must give exit code 1, exactly the expected located lines on stderr, no stack trace and
// nothing on stdout. Lines and columns below were read off the files by hand; each case also names the text
// that stands at that line:column, and the test checks the file really has it there.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';

const DIR = fileURLToPath(new URL('./bad/', import.meta.url));
const VALID = fileURLToPath(new URL('./valid-base.yaml', import.meta.url));

interface Expected {
  line: number;
  col: number;
  /** Dotted key path ('' when the message has none: YAML syntax, duplicate keys, a key missing at the top). */
  path: string;
  /** The sentence, exactly, or a pattern for it. */
  message: string | RegExp;
  /** The text that starts at line:col in the file (the offending key or value). */
  at: string;
}

interface Case {
  file: string;
  errors: Expected[];
}

const OPTIMIZER_KEYS = 'type, learning_rate, weight_decay, momentum, nesterov, beta1, beta2, epsilon, alpha, centered, lr_decay, initial_accumulator_value';
const ACTIVATIONS = 'linear, sigmoid, tanh, relu, leaky_relu, softmax';

const CASES: Case[] = [
  // YAML itself
  {
    file: 'yaml-unclosed-flow-seq.yaml',
    // Placed at the "[" that is never closed (the yaml package reports it where it gave up: the next key).
    errors: [{ line: 6, col: 14, path: '', at: '[[0, 0], [0, 1], [1, 0], [1, 1]', message: 'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]' }],
  },
  {
    file: 'duplicate-key.yaml',
    errors: [{ line: 16, col: 3, path: '', at: 'epochs: 300', message: 'duplicate key "epochs": each key may appear once in a mapping; remove or rename one of them' }],
  },
  // JSON Schema
  {
    file: 'unknown-top-key.yaml',
    errors: [{ line: 4, col: 1, path: 'epochs', at: 'epochs: 100', message: 'unknown key "epochs"; expected one of: name, description, seed, data, model, loss, reduction, training, log, sweep, sweep_samples, expect, golden, run_id' }],
  },
  {
    file: 'unknown-nested-key.yaml',
    errors: [
      { line: 17, col: 27, path: 'training.optimizer.learning_rte', at: 'learning_rte:', message: `unknown key "learning_rte" (did you mean "learning_rate"?); expected one of: ${OPTIMIZER_KEYS}` },
    ],
  },
  {
    file: 'enum-typo.yaml',
    errors: [{ line: 10, col: 31, path: 'model.layers[0].activation', at: 'tanhh }', message: `expected one of: ${ACTIVATIONS}; found "tanhh" (did you mean "tanh"?)` }],
  },
  {
    // Two letters swapped count as one edit, so a four-letter name still gets its suggestion.
    file: 'enum-transposed.yaml',
    errors: [{ line: 10, col: 31, path: 'model.layers[0].activation', at: 'tahn }', message: `expected one of: ${ACTIVATIONS}; found "tahn" (did you mean "tanh"?)` }],
  },
  {
    file: 'wrong-type-epochs.yaml',
    errors: [{ line: 15, col: 11, path: 'training.epochs', at: '"many"', message: 'expected an integer, found "many"' }],
  },
  {
    file: 'learning-rate-zero.yaml',
    errors: [{ line: 17, col: 42, path: 'training.optimizer.learning_rate', at: '0, momentum', message: 'expected a number > 0, found 0' }],
  },
  {
    file: 'learning-rate-negative.yaml',
    errors: [{ line: 17, col: 42, path: 'training.optimizer.learning_rate', at: '-0.5,', message: 'expected a number > 0, found -0.5' }],
  },
  {
    file: 'units-zero.yaml',
    errors: [{ line: 10, col: 16, path: 'model.layers[0].units', at: '0, activation', message: 'expected an integer >= 1, found 0' }],
  },
  {
    file: 'batch-size-zero.yaml',
    errors: [{ line: 16, col: 15, path: 'training.batch_size', at: '0', message: 'expected an integer >= 1 or "full", found 0' }],
  },
  {
    file: 'missing-loss.yaml',
    // A key missing at the top is placed at the start of the top-level mapping (line 1 is a comment).
    errors: [{ line: 2, col: 1, path: '', at: 'name: xor-bad', message: 'missing required key "loss"' }],
  },
  // Semantic checks (src/config/checks.ts)
  {
    file: 'cross-entropy-without-softmax.yaml',
    errors: [
      {
        line: 11, col: 31, path: 'model.layers[1].activation', at: 'sigmoid }',
        message: "loss cross_entropy needs a softmax output layer, found sigmoid (the fused cross_entropy gradient is computed from the softmax layer's logits)",
      },
    ],
  },
  {
    file: 'bce-without-sigmoid.yaml',
    errors: [
      {
        line: 11, col: 31, path: 'model.layers[1].activation', at: 'softmax }',
        message: "loss binary_cross_entropy needs a sigmoid output layer, found softmax (the fused binary_cross_entropy gradient is computed from the sigmoid layer's logits)",
      },
    ],
  },
  {
    file: 'momentum-under-adam.yaml',
    errors: [
      { line: 17, col: 49, path: 'training.optimizer.momentum', at: 'momentum: 0.9', message: '"momentum" is not a setting of the adam optimizer; adam takes: type, learning_rate, weight_decay, beta1, beta2, epsilon' },
    ],
  },
  {
    file: 'nesterov-without-momentum.yaml',
    errors: [{ line: 17, col: 57, path: 'training.optimizer.nesterov', at: 'true }', message: 'nesterov: true needs momentum > 0, found momentum 0' }],
  },
  {
    file: 'slope-on-tanh.yaml',
    errors: [{ line: 10, col: 37, path: 'model.layers[0].slope', at: 'slope: 0.1', message: 'slope is a setting of leaky_relu layers only, found activation tanh' }],
  },
  {
    file: 'init-low-not-below-high.yaml',
    errors: [{ line: 12, col: 33, path: 'model.init.low', at: '0.5, high', message: 'uniform needs low < high, found low 0.5 and high 0.5' }],
  },
  {
    file: 'init-from-missing.yaml',
    errors: [{ line: 12, col: 17, path: 'model.init.from', at: 'no-such-model.json', message: 'model file not found: "no-such-model.json" (paths are relative to the experiment file\'s folder)' }],
  },
  {
    file: 'init-from-layers-mismatch.yaml',
    errors: [
      {
        line: 12, col: 17, path: 'model.init.from', at: 'models/hidden3.json',
        message: 'the layers of models/hidden3.json do not match model.layers: expected [2 tanh, 2 softmax], found [3 tanh, 2 softmax]',
      },
    ],
  },
  // Data, found by loading it (validate loads the data and builds the network too)
  {
    file: 'init-from-inputs-mismatch.yaml',
    errors: [{ line: 12, col: 17, path: 'model.init.from', at: 'models/inputs3.json', message: 'models/inputs3.json takes 3 inputs, but the data have 2 features' }],
  },
  {
    file: 'inline-unequal-width.yaml',
    errors: [{ line: 6, col: 31, path: 'data.inline.inputs[2]', at: '[1, 0, 1]', message: 'expected 2 values per row, as in the first row, but found 3' }],
  },
  {
    file: 'output-units-mismatch.yaml',
    errors: [
      { line: 7, col: 14, path: 'data.inline.targets', at: '[[1, 0]', message: 'expected target rows of 3 values, one per unit of the last layer, but found 2' },
    ],
  },
  {
    file: 'targets-not-probabilities.yaml',
    errors: [
      {
        line: 7, col: 31, path: 'data.inline.targets[2]', at: '[1, 1]',
        message: /^expected each target row to be class probabilities for cross_entropy \(.*\), but found \[1, 1\]$/,
      },
    ],
  },
  {
    file: 'csv-missing.yaml',
    errors: [
      {
        line: 5, col: 16, path: 'data.csv.path', at: 'no-such-data.csv',
        message: `expected a CSV file at "no-such-data.csv" (read as ${join(DIR, 'no-such-data.csv')}: the path is relative to the experiment file's folder), but there is no such file`,
      },
    ],
  },
  // Several problems: all reported in one go, sorted by line (the file has training before model, so the
  // schema's order of keys is not the file's).
  {
    file: 'three-problems.yaml',
    errors: [
      { line: 6, col: 11, path: 'training.epochs', at: '"many"', message: 'expected an integer, found "many"' },
      { line: 8, col: 27, path: 'training.optimizer.learning_rte', at: 'learning_rte:', message: `unknown key "learning_rte" (did you mean "learning_rate"?); expected one of: ${OPTIMIZER_KEYS}` },
      { line: 15, col: 31, path: 'model.layers[0].activation', at: 'tanhh }', message: `expected one of: ${ACTIVATIONS}; found "tanhh" (did you mean "tanh"?)` },
    ],
  },
];

function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The full expected line as a pattern: `file:line:col: path: sentence`. */
function linePattern(file: string, e: Expected): RegExp {
  const prefix = escape(`${file}:${e.line}:${e.col}: ${e.path === '' ? '' : `${e.path}: `}`);
  const message = typeof e.message === 'string' ? escape(e.message) : e.message.source.replace(/^\^/, '').replace(/\$$/, '');
  return new RegExp(`^${prefix}${message}$`);
}

async function validate(file: string) {
  const io = capture();
  const code = await main(['validate', file], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('the valid base of the catalogue', () => {
  it('validates (so each bad file has only the problem written into it)', async () => {
    const r = await validate(VALID);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VALID}: valid\n`);
  });
});

describe('catalogue of wrong experiment files (mlplab validate)', () => {
  it('has a test case for every file in test/config/bad', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(CASES.map((c) => c.file).sort());
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  for (const c of CASES) {
    it(c.file, async () => {
      const file = join(DIR, c.file);
      const text = readFileSync(file, 'utf8').split('\n');
      for (const e of c.errors) {
        // The place is where the offending key or value is written.
        expect(text[e.line - 1]?.slice(e.col - 1), `${c.file}:${e.line}:${e.col}`).toMatch(new RegExp(`^${escape(e.at)}`));
      }
      const r = await validate(file);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('    at ');
      expect(r.stderr).not.toMatch(/internal error/);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(c.errors.length);
      c.errors.forEach((e, i) => expect(lines[i]).toMatch(linePattern(file, e)));
    });
  }

  it('reports every problem of a file at once, sorted by line', async () => {
    const r = await validate(join(DIR, 'three-problems.yaml'));
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const lineNumbers = lines.map((l) => Number(/\.yaml:(\d+):\d+: /.exec(l)?.[1]));
    expect(lineNumbers).toEqual([6, 8, 15]);
  });

  it('reports the problems of every file given, in order, and exits 1', async () => {
    const files = ['wrong-type-epochs.yaml', 'csv-missing.yaml', 'slope-on-tanh.yaml'].map((f) => join(DIR, f));
    const io = capture();
    const code = await main(['validate', VALID, ...files], io);
    expect(code).toBe(1);
    const lines = io.stderr().trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf('.yaml:') + 5))).toEqual(files);
    expect(io.stdout()).toBe(`${VALID}: valid\n`);
  });

  it('prints nothing on stdout for a valid file with --quiet', async () => {
    const io = capture();
    expect(await main(['validate', VALID, '--quiet'], io)).toBe(0);
    expect(io.stdout() + io.stderr()).toBe('');
  });
});
