// What every CLI command module is: a name, a usage line, and run(args, options, io) returning an exit code.
// Also what commands share: the options type, the io they print through, and loading experiment files with
// their data and initial network (so every problem shows up before anything trains).

import type { parseArgs } from 'node:util';
import { EXIT, isUserError, UserError, type ExitCode } from '../errors.js';
import { parseThreads } from '../kernels/index.js';
import { loadExperiment, type LoadedExperiment, type LoadOptions } from '../config/load.js';
import { loadPlan, type Plan, type PlannedRun } from '../config/plan.js';
import { DataCache } from '../runner/datacache.js';
import { prepare, type Prepared } from '../runner/prepare.js';
import type { MemoryShape } from '../runner/memory.js';
import { preparePlan, withSets } from '../runner/prepare-plans.js';

/** Where a command prints: plain functions, so tests capture the output. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Is stderr a terminal (show a progress line)? */
  errIsTTY?: boolean;
}

/** The command-line options every command receives (parsed by cli.ts). */
export const OPTIONS = {
  set: { type: 'string', multiple: true },
  sweep: { type: 'string', multiple: true },
  jobs: { type: 'string' },
  threads: { type: 'string' },
  shard: { type: 'string' },
  update: { type: 'boolean' },
  seed: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  dtype: { type: 'string' },
  id: { type: 'string', multiple: true },
  by: { type: 'string' },
  curve: { type: 'string' },
  'log-scale': { type: 'boolean' },
  linear: { type: 'boolean' },
  alpha: { type: 'string' },
  resume: { type: 'boolean' },
  rows: { type: 'string' },
  run: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  explain: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;
export type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];
export type OptionName = keyof typeof OPTIONS;

/** The options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'version', 'quiet', 'threads'];

/** A usage error for an option given that the command does not take (it would be ignored silently). */
export function checkOptionsApply(command: Command, options: Options): void {
  const takes = new Set<string>([...GLOBAL_OPTIONS, ...command.options]);
  const stray = Object.keys(options).filter((k) => options[k as OptionName] !== undefined && !takes.has(k));
  if (stray.length === 0) return;
  const list = command.options.map((o) => `--${o}`).join(', ');
  throw new UserError('usage', `${stray.map((o) => `--${o}`).join(', ')}: not an option of ${command.name}, which takes ${list || 'no options'} (and -q, --threads)`);
}

export interface Command {
  name: string;
  /** One line for the usage text: `mlplab NAME ARGS` and what it does. */
  usage: string;
  /** The options it takes besides GLOBAL_OPTIONS; any other given is a usage error (checkOptionsApply). */
  options: readonly OptionName[];
  /** With 'out' among its options: what --out names (`the file to write the predictions to (CSV)`), for messages. */
  out?: string;
  run(args: string[], options: Options, io: Io): ExitCode | Promise<ExitCode>;
}

/** A file that passed every check, with its data loaded and its initial network built. */
export interface Checked {
  exp: LoadedExperiment;
  prepared: Prepared;
}

/** An option's text as a decimal integer, else NaN: not 0x10, 1e3 or 0b10, which Number would read. */
export const decimalInteger = (text: string): number => (/^-?\d+$/.test(text.trim()) ? Number(text) : NaN);

/** --threads N (1 to MAX_THREADS) or auto (the machine's cores, at most MAX_THREADS), or undefined; MLPLAB_THREADS's rule (kernels parseThreads). */
export function threadsOption(options: Options): number | undefined {
  return options.threads === undefined ? undefined : parseThreads(options.threads, '--threads');
}

/** The --seed option as an integer, or undefined. */
function seedOption(options: Options): number | undefined {
  if (options.seed === undefined) return undefined;
  const seed = decimalInteger(options.seed);
  if (!Number.isSafeInteger(seed)) throw new UserError('usage', `--seed expects an integer, found "${options.seed}" (a decimal whole number from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, like 3)`);
  return seed;
}

/**
 * Loads every file, its data and its initial network (a missing CSV file or an init.from model of another
 * input width shows up before anything trains), printing every file's problems; `failed` if any had one.
 */
export function loadAll(files: string[], options: Options, io: Io): { checked: Checked[]; failed: boolean } {
  const seed = seedOption(options);
  const { loaded: checked, failed } = eachFile(files, io, (file) => {
    const exp = loadExperiment(file, { set: options.set, seed });
    return { exp, prepared: withSets(() => prepare(exp), options.set ?? []) };
  });
  return { checked, failed };
}

/**
 * Loads each file with `load`, printing every file's problems (so all are seen at once); `failed` if any had
 * one. A usage error, or anything that is not a user error, stops at once.
 */
function eachFile<T>(files: readonly string[], io: Io, load: (file: string) => T): { loaded: T[]; failed: boolean } {
  if (files.length === 0) throw new UserError('usage', 'expected at least one experiment FILE');
  const loaded: T[] = [];
  let failed = false;
  for (const file of files) {
    try {
      loaded.push(load(file));
    } catch (e) {
      if (!isUserError(e) || (e instanceof UserError && e.code === 'usage')) throw e;
      io.err(e.format() + '\n');
      failed = true;
    }
  }
  return { loaded, failed };
}

/** The options an experiment file is loaded with: --set, --seed, --sweep. */
export function loadOptions(options: Options): LoadOptions {
  return { set: options.set, seed: seedOption(options), sweep: options.sweep };
}

/**
 * Every run of every file, validated with its data and initial network (all combinations of a sweep, before
 * anything trains), printing every file's problems; `failed` if any had one. A single run's prepared data and
 * network are kept for it; every run's data are kept in `data` (runner/datacache.ts: each data set made once for
 * the invocation, its runs and workers), a sweep's networks going back to the kernels' memory at once; each run's
 * data shape in `shapes`, for the memory of the runs at once (prepare-plans.ts checkJobsMemory). `more`: a further
 * check of each file's plan, its problems printed with the file's (validate's of `expect:`), in the files' order.
 */
export function loadPlans(
  files: string[],
  options: Options,
  io: Io,
  more?: (plan: Plan, data: DataCache) => void,
): { plans: Plan[]; prepared: Map<PlannedRun, Prepared>; shapes: Map<PlannedRun, MemoryShape>; data: DataCache; failed: boolean } {
  const load = loadOptions(options);
  const prepared = new Map<PlannedRun, Prepared>();
  const shapes = new Map<PlannedRun, MemoryShape>();
  const data = new DataCache();
  const { loaded: plans, failed } = eachFile(files, io, (file) => {
    const plan = loadPlan(file, load);
    preparePlan(plan, data, prepared, shapes);
    more?.(plan, data);
    return plan;
  });
  return { plans, prepared, shapes, data, failed };
}

export { EXIT };
