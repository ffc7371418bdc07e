// The `mlplab` command: parses arguments, dispatches to one module per command (src/commands/), and maps
// errors to exit codes (EXIT, in errors.ts). main(argv, io) is a plain function so tests call it directly;
// run() wires it to the process.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT, isUserError, UserError } from './errors.js';
import { VERSION } from './version.js';
import { checkOptionsApply, OPTIONS, threadsOption, type Command, type Io, type Options } from './commands/command.js';
import { setKernelThreads } from './kernels/index.js';
import { mark } from './trace.js';
import { checkCommand } from './commands/check.js';
import { compareCommand } from './commands/compare.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { optionError } from './commands/options.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { predictCommand } from './commands/predict.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';

export type { Io } from './commands/command.js';
export { EXIT } from './errors.js';
/** What a --jobs worker thread runs (runner/pool.ts), here so that the worker loads the CLI's bundle and code cache. */
export { serveRuns } from './runner/worker.js';

const COMMANDS: Readonly<Record<string, Command>> = Object.freeze(
  Object.fromEntries([runCommand, validateCommand, checkCommand, predictCommand, evaluateCommand, exportCommand, gradcheckCommand, compareCommand].map((c) => [c.name, c])),
);

const USAGE = `mlplab ${VERSION}: neural-network experiments as YAML files

usage:
${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}

options:
  --set key.path=value       override a key (repeatable); the value is parsed as YAML and validated
  --seed N                   override the seed (a run with --set/--seed writes results/NAME/ID, e.g. seed=4)
  --sweep key.path=v1,v2,... run every value (repeatable: every combination), with the file's sweep (replacing its list of that key)
  --out DIR                  run: write to DIR/NAME instead of results/NAME; predict: the CSV file;
                             compare: the folder for compare.* (default results/compare); evaluate: a JSON file;
                             export: the model file (default beside MODEL.json)
  --jobs N|auto              run: N runs at once, here and in N − 1 worker threads (default 1; auto: one per core)
  --shard I/N                run: only every N-th run, from the I-th (spread a sweep over machines)
  --threads N|auto           split each large matrix product over N threads, 1 to 64 (default MLPLAB_THREADS, else
                             auto: one per core); the same bits for any N; with --jobs, N threads per run (default 1)
  --update                   check: write the golden files instead of comparing
  --by METRIC                compare: sort by this metric (default test_accuracy, else test_r2, else
                             validation_accuracy, else validation_r2, else train_loss)
  --curve COLUMN             compare: the loss-log column drawn in compare.svg (default train_loss)
  --log-scale, --linear      compare: logarithmic or linear y axes for the loss charts (default: logarithmic for a
                             loss spanning more than two decades, as loss.svg)
  --alpha P                  compare: the significance level for calling a group best (default 0.05); intervals
                             are at confidence 1 − P
  --resume                   run: skip runs whose folder holds a completed run of the same configuration, and
                             continue interrupted runs from their checkpoints (training.checkpoint)
  --rows test|validation --run DIR   evaluate: only those held-out rows of the run in DIR (its run.json)
  --id COLUMN                predict: copy this column of DATA.csv into the output, first (repeatable)
  -q, --quiet                no progress and no summary lines
  --format onnx|safetensors  export: the file format; --dtype float64|float32: its numbers (default float64)
  --explain                  gradcheck: per layer, a few parameters' analytic and numeric derivatives side by side
  -h, --help                 this text
  --version                  the version of mlplab

exit codes: ${EXIT.ok} ok, ${EXIT.input} a problem in an input file or output folder (printed as file:line:col: key: message),
  ${EXIT.usage} usage error, ${EXIT.internal} internal error, ${EXIT.diverged} training diverged, ${EXIT.interrupted} interrupted (Ctrl-C), ${EXIT.terminated} terminated (SIGTERM)`;

function parseOptions(argv: string[]): { values: Options; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw optionError(e as Error);
  }
  checkGivenOnce(parsed.tokens);
  return { values: parsed.values, positionals: parsed.positionals };
}

/** An option taking one value given twice (`--seed 3 --seed 4`) is a usage error: parseArgs would keep the last quietly. */
function checkGivenOnce(tokens: readonly { kind: string; name?: string; value?: string }[]): void {
  const seen = new Map<string, string[]>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined) continue;
    const spec = (OPTIONS as Record<string, { type: string; multiple?: boolean }>)[t.name];
    if (spec === undefined || spec.type !== 'string' || spec.multiple) continue;
    seen.set(t.name, [...(seen.get(t.name) ?? []), t.value ?? '']);
  }
  for (const [name, values] of seen) {
    if (values.length > 1) throw new UserError('usage', `--${name} takes one value, given ${values.length} times (${values.map((v) => JSON.stringify(v)).join(', ')}): give it once`);
  }
}

/** Runs the CLI on argv (without node and script); returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseOptions(argv);
    const [name, ...args] = positionals;
    if (values.version) {
      io.out(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (values.help || name === undefined || name === 'help') {
      // Asked for: success. Not asked for (no command at all): a usage error, on stderr.
      const asked = values.help === true || name === 'help';
      (asked ? io.out : io.err)(USAGE + '\n');
      return asked ? EXIT.ok : EXIT.usage;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined) {
      const names = Object.keys(COMMANDS);
      throw new UserError('usage', `unknown command "${name}"; expected ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`);
    }
    checkOptionsApply(command, values);
    checkNoEmptyPaths(command, args, values);
    setKernelThreads(threadsOption(values)); // before anything makes a network; undefined: MLPLAB_THREADS, else one per core
    mark(`${name}: options parsed`);
    return await command.run(args, values, io);
  } catch (e) {
    return report(e, io);
  }
}

/**
 * An empty string where a path goes (`--out ''`, `mlplab run ''`, `--run ''`) is a usage error naming the argument:
 * read as a path, it gave a message naming no file (`cannot read the experiment file: no such file`), or, for --run,
 * the current folder's run.json.
 */
function checkNoEmptyPaths(command: Command, args: readonly string[], values: Options): void {
  if (values.out === '') throw new UserError('usage', `--out expects ${command.out ?? 'a path'}, found an empty string`);
  const at = args.indexOf('');
  if (at >= 0) throw new UserError('usage', `${command.name}: argument ${at + 1} is an empty string; expected a path (${command.usage.replace(/\s{2,}.*$/, '').replace(/^mlplab /, '')})`);
  if (values.run === '') throw new UserError('usage', '--run expects a run\'s results folder (with its run.json), found an empty string');
}

/** Prints an error: user errors as located sentences, anything else as a bug with its stack. */
export function report(e: unknown, io: Io): number {
  if (isUserError(e)) {
    io.err(e.format() + '\n');
    return e instanceof UserError && e.code === 'usage' ? (io.err('(see mlplab --help)\n'), EXIT.usage) : EXIT.input;
  }
  io.err(`mlplab: internal error (please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT.internal;
}

/** The process entry point (bin/mlplab.js, npm run experiment). */
export async function run(): Promise<number> {
  return main(process.argv.slice(2), {
    out: toReader(() => process.stdout),
    err: toReader(() => process.stderr),
    // NOTE: a getter: process.stderr is made on first use (≈2.5 ms: it loads Node's streams), which a quiet run
    // that writes nothing never needs.
    get errIsTTY() {
      return process.stderr.isTTY === true;
    },
  });
}

/**
 * Writes to a standard stream until its reader goes away (`mlplab predict … | head -1`): Node ignores SIGPIPE, so a
 * write then fails with EPIPE, an 'error' event that unhandled crashed with a stack trace. The rest is dropped;
 * the command runs on (a run's files are its results) and exits with its own code. The stream is made on first use.
 */
function toReader(stream: () => NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  let s: NodeJS.WriteStream | undefined;
  return (text) => {
    if (gone) return;
    if (s === undefined) (s = stream()).on('error', readerGone); // once, on the first write
    s.write(text);
  };
  function readerGone(e: NodeJS.ErrnoException): void {
    if (e.code !== 'EPIPE') throw e;
    gone = true;
  }
}

// NOTE: no top-level await: the build bundles this module as CommonJS (scripts/build-bundle.mjs). A --jobs
// worker loads it with no script of its own (process.argv[1] is Node's '[worker eval]').
const invokedDirectly = process.argv[1] !== undefined && !process.argv[1].startsWith('[') && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) void run().then((code) => (process.exitCode = code));
