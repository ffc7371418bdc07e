// A run writes only its own results folder: a name of dots (from the file, from --set, or from a file called
// `..yaml`) would make results/NAME the results folder itself or its parent, and the atomic replace would then
// swap out, and delete, every other experiment's results. Each case runs another experiment first and checks
// that its files are byte-identical afterwards.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const XOR = join(ROOT, 'experiments', 'xor-softmax.yaml');
const OTHER = join(ROOT, 'experiments', 'xor-tanh.yaml');
const BIN = join(ROOT, 'bin', 'mlplab.js');
const DIST_CLI = join(ROOT, 'dist', 'cli.js');

const tempDir = tempDirs('mlplab-safety');

/** Every file below dir (relative path → bytes as base64): the whole tree, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length)] = readFileSync(path).toString('base64');
    }
  }
  return out;
}

/** An --out folder holding the results of xor-tanh, and its snapshot. */
async function outWithOtherResults() {
  const out = tempDir();
  expect((await cli('run', OTHER, '--out', out, '--quiet')).code).toBe(0);
  const before = snapshot(out);
  expect(Object.keys(before)).toContain('/xor-tanh/loss.csv');
  return { out, before };
}

describe('a file where a run folder goes', () => {
  it('--seed N on xor-softmax with a file at NAME/seed=N: exit 1 saying so, serially and with --jobs 2 (was an internal ENOTDIR error)', async () => {
    for (const jobs of ['1', '2']) {
      const out = tempDir();
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(out, 'xor-softmax'));
      writeFileSync(join(out, 'xor-softmax', 'seed=4'), 'not a folder');
      const r = await cli('run', XOR, '--out', out, '--quiet', '--seed', '4', '--jobs', jobs);
      expect(r.stderr, jobs).toBe(`${join(out, 'xor-softmax', 'seed=4')}: cannot write the results here: it is a file, not a folder\n`);
      expect(r.code).toBe(1);
      expect(readFileSync(join(out, 'xor-softmax', 'seed=4'), 'utf8')).toBe('not a folder');
    }
  });
});

describe('names that would leave the results folder are refused, and nothing is deleted', () => {
  for (const name of ['.', '..', '"..."']) {
    it(`--set name=${name}: exit 1, located at name, the other experiment's results byte-identical`, async () => {
      const { out, before } = await outWithOtherResults();
      const r = await cli('run', XOR, '--out', out, '--quiet', '--set', `name=${name}`);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${XOR}: name: expected a string matching`);
      expect(r.stderr).toContain(`(from --set name=${name})`);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(out)).toEqual(['xor-tanh']); // no staging folder left either
    });
  }

  it('name: .. written in the file: exit 1, located at the key', async () => {
    const { out, before } = await outWithOtherResults();
    const file = join(tempDir(), 'dots.yaml');
    writeFileSync(file, readFileSync(XOR, 'utf8').replace('name: xor-softmax', 'name: ..'));
    const r = await cli('run', file, '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:7: name: expected a string matching`));
    expect(snapshot(out)).toEqual(before);
  });

  it('a file called ..yaml without a name key: exit 1, asks for a name', async () => {
    const { out, before } = await outWithOtherResults();
    const file = join(tempDir(), '..yaml');
    writeFileSync(file, readFileSync(XOR, 'utf8').replace('name: xor-softmax\n', ''));
    const r = await cli('run', file, '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${file}: name: the file name gives the run name ".", which cannot name a results folder; expected letters, digits, ".", "_" or "-" ` +
        `(not dots only, at most 100 characters): add a name: key or rename the file\n`,
    );
    expect(snapshot(out)).toEqual(before);
  });

  it('a name longer than 100 characters is refused before training', async () => {
    const r = await cli('validate', XOR, '--set', `name=${'n'.repeat(101)}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('name: expected a string of at most 100 character(s)');
  });

  it('--out with an empty string is a usage error (exit 2), not the filesystem root, saying what the command writes there', async () => {
    const r = await cli('run', XOR, '--out', '', '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out expects the folder to write the runs in (DIR/NAME/), found an empty string');
    const m = join(ROOT, 'test', 'fixtures', 'none.json'); // never read: the option is refused first
    for (const [argv, what] of [
      [['export', m, '--format', 'onnx'], 'the file to write the exported model to'],
      [['evaluate', m, 'data.csv'], 'the file to write the report to (JSON)'],
      [['predict', m, 'data.csv'], 'the file to write the predictions to (CSV)'],
      [['compare', 'results'], 'the folder to write compare.* in'],
    ] as const) {
      const e = await cli(...argv, '--out', '');
      expect(e.code, argv[0]).toBe(2);
      expect(e.stderr, argv[0]).toContain(`--out expects ${what}, found an empty string`);
    }
  });

  it('an empty string for a path argument or --run is a usage error (exit 2) naming the argument, not a message naming no file', async () => {
    const m = join(ROOT, 'test', 'fixtures', 'none.json'); // never read: the argument is refused first
    for (const [argv, message] of [
      [['run', XOR, ''], 'run: argument 2 is an empty string; expected a path (run FILE...)'],
      [['validate', ''], 'validate: argument 1 is an empty string; expected a path (validate FILE...)'],
      [['check', ''], 'check: argument 1 is an empty string; expected a path (check [FILE...])'],
      [['gradcheck', ''], 'gradcheck: argument 1 is an empty string; expected a path (gradcheck FILE)'],
      [['predict', '', 'data.csv'], 'predict: argument 1 is an empty string; expected a path (predict MODEL.json DATA.csv [--out FILE] [--id COLUMN]...)'],
      [['evaluate', m, ''], 'evaluate: argument 2 is an empty string; expected a path (evaluate MODEL.json DATA.csv [--rows test|validation --run DIR] [--out FILE])'],
      [['export', '', '--format', 'onnx'], 'export: argument 1 is an empty string; expected a path (export MODEL.json --format onnx|safetensors [--dtype float64|float32] [--out FILE])'],
      [['compare', ''], 'compare: argument 1 is an empty string; expected a path (compare PATH...)'],
      [['evaluate', m, 'data.csv', '--rows', 'test', '--run', ''], "--run expects a run's results folder (with its run.json), found an empty string"],
    ] as const) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toBe(`${message}\n(see mlplab --help)\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('spawned, in the default results/ folder: --set name=. leaves results/xor-tanh byte-identical', (ctx) => {
    ctx.skip(!existsSync(DIST_CLI), 'dist/cli.js is missing: run `npm run build` first (`npm test` builds before vitest)');
    const cwd = tempDir();
    copyFileSync(OTHER, join(cwd, 'xor-tanh.yaml'));
    copyFileSync(XOR, join(cwd, 'xor-softmax.yaml'));
    const spawn = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--quiet'], { cwd, encoding: 'utf8', timeout: 30_000 });
    expect(spawn('run', 'xor-tanh.yaml').status).toBe(0);
    const before = snapshot(join(cwd, 'results'));
    const r = spawn('run', 'xor-softmax.yaml', '--set', 'name=.');
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('    at ');
    expect(snapshot(join(cwd, 'results'))).toEqual(before);
  });
});
