// An option a command does not take is a usage error (exit 2) naming the command's options, before anything is
// read or written: it was ignored silently (run --update, predict --seed, validate --jobs). Every option of the
// command line is taken by some command, so a command's list (its `options`) cannot name one that is not there.
import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS, OPTIONS } from '../src/commands/command.js';
import { runCommand } from '../src/commands/run.js';
import { validateCommand } from '../src/commands/validate.js';
import { checkCommand } from '../src/commands/check.js';
import { predictCommand } from '../src/commands/predict.js';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { exportCommand } from '../src/commands/export.js';
import { gradcheckCommand } from '../src/commands/gradcheck.js';
import { compareCommand } from '../src/commands/compare.js';
import { cli } from './helpers/cli.js';

const COMMANDS = [runCommand, validateCommand, checkCommand, predictCommand, evaluateCommand, exportCommand, gradcheckCommand, compareCommand];

describe('options a command does not take', () => {
  it.each([
    [['run', 'experiments/xor-softmax.yaml', '--update'], '--update: not an option of run, which takes --set, --sweep, --seed, --out, --jobs, --shard, --resume (and -q, --threads)'],
    [['predict', 'm.json', 'd.csv', '--seed', '3'], '--seed: not an option of predict, which takes --out, --id (and -q, --threads)'],
    [['validate', 'experiments/xor-softmax.yaml', '--jobs', '2'], '--jobs: not an option of validate, which takes --set, --sweep, --seed (and -q, --threads)'],
    [['export', 'm.json', '--format', 'onnx', '--by', 'x', '--explain'], '--by, --explain: not an option of export, which takes --format, --dtype, --out (and -q, --threads)'],
    [['compare', 'results', '--resume'], '--resume: not an option of compare, which takes --by, --curve, --log-scale, --linear, --alpha, --out (and -q, --threads)'],
  ])('%j is a usage error naming what the command takes', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${message}\n(see mlplab --help)\n`);
    expect(r.stdout).toBe('');
  });

  it('a command taking --out says what it names there (for the empty --out message), and only such a command', () => {
    for (const c of COMMANDS) expect(c.out !== undefined, c.name).toBe(c.options.includes('out'));
  });

  it('an option of one value given twice is a usage error naming both values; repeatable ones (--set, --sweep) and flags are not', async () => {
    const r = await cli('run', 'experiments/xor-softmax.yaml', '--seed', '3', '--seed', '4');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('--seed takes one value, given 2 times ("3", "4"): give it once\n(see mlplab --help)\n');
    const ok = await cli('validate', 'experiments/xor-softmax.yaml', '--set', 'training.epochs=3', '--set', 'seed=2', '-q', '-q');
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('every option of the command line is taken by some command (or by all)', () => {
    const taken = new Set([...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)]);
    expect([...taken].sort()).toEqual(Object.keys(OPTIONS).sort());
  });

  it('--help names every option, and under --out every command that takes it (--id, --version and export --out were missing)', async () => {
    const help = (await cli('--help')).stdout;
    const options = help.slice(help.indexOf('\noptions:\n'), help.indexOf('\nexit codes:'));
    for (const o of Object.keys(OPTIONS)) expect(options, `--${o}`).toMatch(new RegExp(`(^|[\\s,])--${o}\\b`, 'm'));
    const out = /^ {2}--out .*\n(?: {4,}.*\n)*/m.exec(options)![0];
    for (const c of COMMANDS.filter((c) => c.options.includes('out'))) expect(out, c.name).toContain(`${c.name}:`);
  });

  it('the options a command takes still reach it: run --seed, compare --alpha, validate --set', async () => {
    expect((await cli('validate', 'experiments/xor-softmax.yaml', '--set', 'training.epochs=3', '--seed', '2', '-q')).code).toBe(0);
    const bad = await cli('compare', 'nowhere', '--alpha', '2');
    expect(bad.stderr).toContain('--alpha expects');
  });
});
