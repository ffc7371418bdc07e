// Property-based fuzzing (fast-check) of the command line: random argument lists drawn from real and wrong
// commands, options, values and files, through main(argv, io). Whatever the list, the outcome is a documented
// exit code for a user's mistake or success (0, 1, 2, 4), never an internal error (3) or a stack trace.
// `check` (it may rewrite goldens with --update) is left out; anything written goes to a temporary --out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { EXIT } from '../../src/errors.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const out = mkdtempSync(join(tmpdir(), 'mlplab-fuzz-argv-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const COMMANDS = ['run', 'validate', 'gradcheck', 'predict', 'evaluate', 'compare', 'help', 'frobnicate', ''];
const FILES = ['experiments/xor-softmax.yaml', 'experiments/xor-tanh.yaml', 'experiments/learn/reduction.yaml', 'missing.yaml', 'data/iris.csv', 'experiments', 'package.json', ''];
const OPTIONS: string[][] = [
  ['--quiet'], ['--help'], ['--version'], ['--explain'], ['--log-scale'], ['--bogus'], ['--epochs', '5'], ['-x'],
  ['--set', 'training.epochs=5'], ['--set', 'name=.'], ['--set', '__proto__.polluted=yes'], ['--set', 'model.layers[9].units=2'],
  ['--set', 'training.optimizer.learning_rate=1e9'], ['--set', 'x'], ['--seed', '3'], ['--seed', '0x10'], ['--seed'],
  ['--sweep', 'seed=1,2'], ['--sweep', 'nope=1'], ['--jobs', '2'], ['--jobs', 'zero'], ['--threads', '2'], ['--threads', '99'], ['--shard', '1/2'], ['--shard', '3/2'],
  ['--by', 'train_loss'], ['--by', 'nonsense'], ['--curve', 'test_loss'], ['--rows', 'test'], ['--run', 'nowhere'], ['--id', 'species'], ['--out', ''],
];

const argv = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(fc.oneof(fc.constantFrom(...FILES).map((f) => [f]), fc.constantFrom(...OPTIONS)), { maxLength: 5 }))
  .map(([command, parts]) => [command, ...parts.flat(), '--set', 'training.epochs=3', '--out', join(out, 'o')].filter((a, i) => a !== '' || i > 0));

describe('the command line, fuzzed', () => {
  it('answers every argument list with 0, 1, 2 or 4 and no stack trace', { timeout: 120_000 }, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        let text = '';
        const io: Io = { out: (t) => void (text += t), err: (t) => void (text += t) };
        const code = await main(args, io);
        seen.set(code, (seen.get(code) ?? 0) + 1);
        expect([EXIT.ok, EXIT.input, EXIT.usage, EXIT.diverged], `${args.join(' ')}\n${text}`).toContain(code);
        expect(text, args.join(' ')).not.toContain('    at ');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 7) },
    );
    // The lists reach past the argument parser: some succeed, some are refused as input or usage errors.
    for (const code of [EXIT.ok, EXIT.input, EXIT.usage]) expect(seen.get(code), `exit ${code} never seen: ${[...seen]}`).toBeGreaterThan(0);
  });
});
