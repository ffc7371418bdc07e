// Command-line mistakes and limits, through main(argv, io): unknown options get a suggestion, --seed is decimal
// only, --set cannot reach Object.prototype and errors it caused name it, schema errors and semantic checks
// come in one round, absurd sizes are refused before anything is allocated.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { loadExperiment } from '../../src/config/load.js';
import { UserErrors } from '../../src/errors.js';
import { removeTemps, ROOT, tempDir, XOR } from './spawn.js';

afterAll(removeTemps);

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t) };
  const code = await main(argv, io);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  return { code, stdout, stderr };
}

describe('options', () => {
  it('a misspelt option suggests the closest one', async () => {
    const r = await cli('run', XOR, '--quiet-');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^unknown option --quiet- \(did you mean --quiet\?\)\n/);
  });

  it('an option named like a key of the file suggests the --set for it', async () => {
    const r = await cli('run', XOR, '--epochs', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^unknown option --epochs \(to change training\.epochs from the command line: --set training\.epochs=VALUE\)/);
  });

  it('a key of a list item (--units) or with dashes for underscores (--batch-size) suggests its --set too', async () => {
    const units = await cli('run', XOR, '--units', '8');
    expect(units.stderr).toMatch(/^unknown option --units \(to change model\.layers\[0\]\.units from the command line: --set model\.layers\[0\]\.units=VALUE\)/);
    const batch = await cli('run', XOR, '--batch-size', '8');
    expect(batch.stderr).toMatch(/^unknown option --batch-size \(to change training\.batch_size from the command line: --set training\.batch_size=VALUE\)/);
    expect(batch.code).toBe(2);
  });

  for (const seed of ['0x10', '1e3', '1.5', '', ' ', '0b1']) {
    it(`--seed ${JSON.stringify(seed)} is refused: a decimal whole number only`, async () => {
      const r = await cli('validate', XOR, '--seed', seed);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--seed expects an integer, found "${seed}"`);
    });
  }

  it('--seed 16 is accepted', async () => {
    expect((await cli('validate', XOR, '--seed', '16')).code).toBe(0);
  });
});

describe('--set', () => {
  for (const key of ['__proto__.polluted', 'constructor.prototype.polluted', 'training.__proto__.polluted', 'model.prototype']) {
    it(`${key}=yes is refused, and ({}).polluted stays undefined`, async () => {
      expect(() => loadExperiment(XOR, { set: [`${key}=yes`] })).toThrow(/which no experiment key has/);
      expect((await cli('validate', XOR, '--set', `${key}=yes`)).code).toBe(2);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('a --set value with a __proto__ key stays an own key, caught by the schema', () => {
    expect(() => loadExperiment(XOR, { set: ['training={__proto__: {polluted: yes}}'] })).toThrow(UserErrors);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an experiment file with __proto__ and constructor keys: refused as unknown keys, Object.prototype untouched', async () => {
    const file = join(tempDir(), 'proto.yaml');
    writeFileSync(file, readFileSync(XOR, 'utf8') + '__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\n');
    const r = await cli('validate', file);
    expect(r.code).toBe(1);
    expect(() => loadExperiment(file)).toThrow(/unknown key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a check error caused by a --set names the --set', async () => {
    const r = await cli('validate', XOR, '--set', 'model.layers[1].activation=tanh');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(from --set model\.layers\[1\]\.activation=tanh\)/);
  });


  it("a data check failing because of a --set names it (the issue's model.layers[N].units case)", async () => {
    const r = await cli('validate', XOR, '--set', 'model.layers[1].units=3');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data\.inline\.targets: expected target rows of 3 values, .* \(with --set model\.layers\[1\]\.units=3\)\n$/);
  });
});

describe('numbers of options are decimal whole numbers, as --seed and --threads are', () => {
  it('refuses --jobs 0x2 and 2e0, and a --shard count beyond the safe integers', async () => {
    for (const jobs of ['0x2', '2e0', '0b10']) {
      const r = await cli('run', XOR, '--out', tempDir(), '--jobs', jobs);
      expect(r.code, jobs).toBe(2);
      expect(r.stderr, jobs).toBe(`--jobs expects a number of worker threads from 1 to 256 or auto, found "${jobs}"\n(see mlplab --help)\n`);
    }
    const r = await cli('run', XOR, '--out', tempDir(), '--shard', '1/99999999999999999999');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--shard expects I\/N with 1 <= I <= N/);
  });
});

describe('a data check at a key only a --set wrote', () => {
  it('names the file and key path, not the line:column of the enclosing key in the file (which does not hold it)', async () => {
    const r = await cli('validate', XOR, '--set', 'training.early_stopping={patience: 1}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${XOR.replace(/[.]/g, '\\.')}: training\\.early_stopping\\.monitor: monitor validation_loss is not a metric of this run; .*\\(with --set training\\.early_stopping=\\{patience: 1\\}\\)\n$`));
  });
});

describe('one round of errors', () => {
  it('a schema error and a semantic-check error are reported together', async () => {
    const r = await cli('validate', XOR, '--set', 'training.epochs=-1', '--set', 'training.optimizer.type=adam');
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => /training\.epochs: expected an integer >= 0, found -1/.test(l))).toBe(true);
    expect(lines.some((l) => /training\.optimizer\.momentum: "momentum" is not a setting of the adam optimizer/.test(l))).toBe(true);
  });
});

describe('limits', () => {
  it('epochs beyond 1e9, units beyond 1e6 and a non-finite learning rate are refused by the schema', async () => {
    const r = await cli('validate', XOR, '--set', 'training.epochs=1000000000000', '--set', 'model.layers[0].units=2000000', '--set', 'training.optimizer.learning_rate=.inf');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/training\.epochs: expected an integer <= 1000000000/);
    expect(r.stderr).toMatch(/model\.layers\[0\]\.units: expected an integer <= 1000000/);
    expect(r.stderr).toMatch(/training\.optimizer\.learning_rate: expected a number, found Infinity/);
  });

  it('two layers of 1,000,000 units are refused with a memory estimate, before anything is allocated', async () => {
    const layers = '[{units: 1000000, activation: relu}, {units: 1000000, activation: relu}, {units: 2, activation: softmax}]';
    const r = await cli('validate', XOR, '--set', `model.layers=${layers}`);
    expect(r.code).toBe(1);
    // 1e12 weights × 8 bytes × 6 copies (weights, trained, gradients, two optimizer states, model file) ≈ 48 TB.
    expect(r.stderr).toMatch(/model\.layers: this run would need about 48 TB of memory \(data .*, network 48 TB,/);
  });

  it('generate: samples 1e9 is refused with a memory estimate before generating', async () => {
    const r = await cli('validate', join(ROOT, 'experiments', 'spirals.yaml'), '--set', 'data.generate.samples=1000000000');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data: this run would need about .* of memory \(data \d+(\.\d+)? GB/);
  });
});
