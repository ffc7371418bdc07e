// The `mlplab` command: a thin layer over the library API (loadExperiment, runExperiment, predict, gradcheck).
// main(argv, io) is a plain function so tests call it directly; run() wires it to the process.
// Exit codes: 0 success, 1 a problem with an input file (reported, located), 2 a usage error, 3 an internal error.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isUserError, UserError } from './config/errors.js';
import { loadExperiment, type LoadedExperiment } from './config/load.js';
import { progressReporter } from './logging/progress.js';
import { VERSION, prepare, runExperiment, type Prepared } from './runner.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { predictCommand } from './commands/predict.js';

export const EXIT = { ok: 0, input: 1, usage: 2, internal: 3 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Is stderr a terminal (show a progress line)? */
  errIsTTY?: boolean;
}

const USAGE = `mlplab ${VERSION}: neural-network experiments as YAML files

usage:
  mlplab run FILE...         validate, train and write results/NAME/{loss.csv,model.json,config.json,run.json}
  mlplab validate FILE...    check the files and their data, without training
  mlplab predict MODEL.json DATA.csv [--out FILE] [--id COLUMN]...
  mlplab gradcheck FILE      compare analytic gradients with finite differences

options (run, validate, gradcheck):
  --set key.path=value       override a key (repeatable); the value is parsed as YAML and validated
  --seed N                   override the seed
  --out DIR                  run: write to DIR/NAME instead of results/NAME; predict: the CSV file
  -q, --quiet                no progress and no summary lines
  -h, --help                 this text

exit codes: 0 ok, 1 a problem in an input file (printed as file:line:col: key: message), 2 usage error, 3 internal error`;

const OPTIONS = {
  set: { type: 'string', multiple: true },
  seed: { type: 'string' },
  out: { type: 'string' },
  id: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type ParsedOptions = ReturnType<typeof parseOptions>;

function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError('usage', (e as Error).message);
  }
}

/** Runs the CLI on argv (without node and script); returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseOptions(argv);
    const [command, ...files] = positionals;
    if (values.out === '') throw new UserError('usage', '--out expects a folder (run) or a file (predict), found an empty string');
    if (values.version) {
      io.out(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (values.help || command === undefined || command === 'help') {
      // Asked for: success. Not asked for (no command at all): a usage error, on stderr.
      const asked = values.help === true || command === 'help';
      (asked ? io.out : io.err)(USAGE + '\n');
      return asked ? EXIT.ok : EXIT.usage;
    }
    switch (command) {
      case 'run':
      case 'validate':
        return runOrValidate(command, files, values, io);
      case 'predict':
        return predictCommand(files, values, io);
      case 'gradcheck':
        return gradcheckCommand(files, values, io, loadAll);
      default:
        throw new UserError('usage', `unknown command "${command}"; expected run, validate, predict or gradcheck`);
    }
  } catch (e) {
    return report(e, io);
  }
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

/** A file that passed every check, with its data loaded and its initial network built. */
export interface Checked {
  exp: LoadedExperiment;
  prepared: Prepared;
}

/**
 * Loads every file, its data and its initial network (so a missing CSV file or an init.from model of another
 * input width shows up before anything trains), reporting every file's problems; an exit code if any failed.
 */
function loadAll(files: string[], values: ParsedOptions['values'], io: Io): { checked: Checked[]; failed: boolean } {
  if (files.length === 0) throw new UserError('usage', 'expected at least one experiment FILE');
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UserError('usage', `--seed expects an integer, found "${values.seed}"`);
  }
  const checked: Checked[] = [];
  let failed = false;
  for (const file of files) {
    try {
      const exp = loadExperiment(file, { set: values.set, seed });
      checked.push({ exp, prepared: prepare(exp) });
    } catch (e) {
      if (!isUserError(e) || (e instanceof UserError && e.code === 'usage')) throw e;
      io.err(e.format() + '\n');
      failed = true;
    }
  }
  return { checked, failed };
}

function runOrValidate(command: 'run' | 'validate', files: string[], values: ParsedOptions['values'], io: Io): number {
  const { checked, failed } = loadAll(files, values, io);
  if (command === 'validate') {
    if (!values.quiet) for (const { exp } of checked) io.out(`${exp.file}: valid\n`);
    return failed ? EXIT.input : EXIT.ok;
  }
  if (failed) return EXIT.input;
  for (const { exp, prepared } of checked) {
    const progress = values.quiet || !io.errIsTTY ? undefined : progressReporter(exp.config.name, io.err);
    const t0 = performance.now();
    const outDir = values.out === undefined ? undefined : `${values.out}/${exp.config.name}`;
    const result = runExperiment(exp, { outDir, prepared, onEpoch: progress?.update });
    progress?.done();
    if (!values.quiet) {
      const metrics = Object.entries(result.final).map(([k, v]) => `${k} ${Number(v.toPrecision(6))}`).join(', ');
      const seconds = ((performance.now() - t0) / 1000).toFixed(2);
      io.out(`${exp.config.name}: ${metrics}; ${exp.config.training.epochs} epochs in ${seconds} s → ${result.outDir}\n`);
    }
  }
  return EXIT.ok;
}

/** The process entry point (bin/mlplab.js, npm run experiment). */
export async function run(): Promise<number> {
  return main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    errIsTTY: process.stderr.isTTY === true,
  });
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = await run();
