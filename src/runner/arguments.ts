// The library's arguments checked where TypeScript's types do not reach (a JavaScript caller, a value read from
// JSON, `as any`): a path where a loaded experiment or a model is wanted, a plan list that is one plan, a shard
// given as "1/2", is a UserError (usage) naming the function, the argument, what it expected and what it found,
// instead of a TypeError from deep inside or, worse, an answer (runPlans with shard "1/2" ran nothing and said
// nothing). It leaves out what the validators check (an experiment's keys, the data), but has a model object's
// contents checked by the model file's checks (files/modelcheck.ts), whole once per object (an object without kind:
// at every call), its shapes at every call.

import { badArgument, checkTextList, described } from '../errors.js';
import { MAX_THREADS } from '../kernels/index.js';
import { checkedModel, checkModelFile, recheckModel } from '../files/modelcheck.js';
import type { ModelFile } from '../files/modelschema.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A loaded experiment (loadExperiment, experimentFromObject, a plan's run.exp), not a path or a bare config. */
export function checkExperimentArgument(fn: string, exp: unknown): void {
  if (isObject(exp) && isObject(exp.config) && isObject(exp.source) && typeof exp.baseDir === 'string') return;
  const hint = typeof exp === 'string' ? ' (load a file with loadExperiment(path))' : isObject(exp) && 'runs' in exp ? ' (a plan: take one of its runs, plan.runs[i].exp)' : '';
  badArgument(fn, 'the experiment', `a loaded experiment, from loadExperiment or experimentFromObject${hint}`, exp);
}

/**
 * A model (loadModel, or a trained run's model), not a path: the model to use, checked as loadModel checks a file
 * (files/modelcheck.ts; a model made or changed in memory, and one of a file written before `kind`, given its kind).
 * A model loadModel returned, or given before, has its shapes checked again (a bias or a row one short), not every
 * value. Its problems are the file's, named `FN's model`.
 */
export function modelArgument(fn: string, model: unknown): ModelFile {
  if (!(isObject(model) && typeof model.inputs === 'number' && Array.isArray(model.layers))) {
    badArgument(fn, 'the model', `a model, from loadModel(path) or a run's model${typeof model === 'string' ? ' (load the file with loadModel(path))' : ''}`, model);
  }
  const known = checkedModel(model);
  return known ? recheckModel(known, `${fn}'s model`) : checkModelFile(model, `${fn}'s model`);
}

/** An options object, or nothing. */
function checkOptionsArgument(fn: string, options: unknown): void {
  if (options !== undefined && !isObject(options)) badArgument(fn, 'the options', 'an object of options', options);
}

/** runPlans' plans, the options the command checks as it reads them (--jobs, --shard, --out), and its hooks functions. */
export function checkRunPlansArguments(plans: unknown, options: unknown): void {
  const fn = 'runPlans';
  const isPlan = (p: unknown) => isObject(p) && Array.isArray(p.runs) && typeof p.file === 'string';
  if (!Array.isArray(plans)) badArgument(fn, 'the plans', `a list of plans, from loadPlan(file)${isPlan(plans) ? ' (one plan: put it in a list)' : ''}`, plans);
  const k = plans.findIndex((p) => !isPlan(p));
  if (k >= 0) badArgument(fn, `plans[${k}]`, `a plan, from loadPlan(file)`, plans[k]);
  checkOptionsArgument(fn, options);
  const { jobs, kernelThreads, shard, out } = (options ?? {}) as Record<string, unknown>;
  if (jobs !== undefined && !(Number.isSafeInteger(jobs) && (jobs as number) >= 1)) badArgument(fn, 'options.jobs', 'a whole number of runs at once, 1 or more', jobs);
  if (kernelThreads !== undefined && !(Number.isSafeInteger(kernelThreads) && (kernelThreads as number) >= 1 && (kernelThreads as number) <= MAX_THREADS)) {
    badArgument(fn, 'options.kernelThreads', `a whole number of threads from 1 to ${MAX_THREADS} (as --threads)`, kernelThreads);
  }
  if (out !== undefined && (typeof out !== 'string' || out === '')) badArgument(fn, 'options.out', 'the path of a folder (a string), the runs going to OUT/NAME/', out); // '' as --out '': refused
  checkHooks(fn, options, ['prepared', 'onStart', 'onEpoch', 'onFinished', 'interrupt', 'onSummaryLeft']);
  if (shard === undefined) return;
  const { index, count } = isObject(shard) ? shard : {};
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && (index as number) >= 1 && (index as number) <= (count as number))) {
    badArgument(fn, 'options.shard', '{ index: I, count: N } with whole numbers 1 <= I <= N (as --shard I/N)', shard);
  }
}

/** The options that are hooks, each a function when given (else a TypeError from inside, or runs trained first). */
function checkHooks(fn: string, options: unknown, hooks: readonly string[]): void {
  const given = (options ?? {}) as Record<string, unknown>;
  for (const hook of hooks) if (given[hook] !== undefined && typeof given[hook] !== 'function') badArgument(fn, `options.${hook}`, 'a function', given[hook]);
}

/** compare's paths: a list of paths (a string would be read a letter at a time), and its options. */
export function checkPathsArgument(fn: string, paths: unknown, options: unknown): void {
  checkTextList(fn, 'the paths', 'paths', paths, 'a list of paths', 'a path (a string)');
  checkOptionsArgument(fn, options);
  const out = (options as { out?: unknown } | undefined)?.out;
  if (out !== undefined && out !== false && typeof out !== 'string') badArgument(fn, 'options.out', 'the path of a folder (a string), or false to write nothing', out);
}

/** trainExperiment's and runExperiment's experiment and options: the hooks functions, the paths strings. */
export function checkRunArguments(fn: string, exp: unknown, options: unknown): void {
  checkExperimentArgument(fn, exp);
  checkOptionsArgument(fn, options);
  checkHooks(fn, options, ['onEpoch', 'interrupt', 'onFlushing']);
  const given = (options ?? {}) as Record<string, unknown>;
  for (const path of ['outDir', 'resume']) {
    if (given[path] !== undefined && typeof given[path] !== 'string') badArgument(fn, `options.${path}`, 'a path (a string)', given[path]);
  }
}

/**
 * The library caller's interrupt() with its answers checked: undefined goes on, a reason (a signal's name, a non-empty
 * string) stops the runs under way; any other answer (null, true, 0, '', which stopped the run and became run.json's
 * signal) is a TypeError naming fn, thrown there and at every later call. A TypeError, not an argument's usage
 * UserError: it is the caller's code answering wrongly while runs are under way (as Node's ERR_INVALID_RETURN_VALUE),
 * and it ends the whole call, where a UserError would pass as one run's error (pool.ts answerOf).
 */
export function checkedInterrupt(fn: string, interrupt: (() => string | undefined) | undefined): (() => string | undefined) | undefined {
  if (interrupt === undefined) return undefined;
  let failed: TypeError | undefined;
  return () => {
    if (failed !== undefined) throw failed;
    const reason: unknown = interrupt();
    if (reason === undefined || (typeof reason === 'string' && reason !== '')) return reason;
    const expected = `expected it to return undefined (go on) or a reason to stop (a signal's name, a non-empty string such as "SIGINT")`;
    throw (failed = new TypeError(`${fn}: options.interrupt: ${expected}, found ${described(reason)}`));
  };
}

/** predict's rows: a list of rows (each a list or typed array of numbers), or a Matrix. */
export function checkRowsArgument(fn: string, input: unknown): void {
  if (Array.isArray(input)) {
    const r = input.findIndex((row) => !Array.isArray(row) && !ArrayBuffer.isView(row));
    if (r < 0) return;
    badArgument(fn, `the rows: row ${r + 1}`, 'a list of feature values', input[r]);
  }
  if (isObject(input) && typeof input.rows === 'number' && typeof input.cols === 'number' && input.data instanceof Float64Array) return;
  badArgument(fn, 'the rows', 'a list of rows (each a list of feature values) or a Matrix', input);
}

/** A CSV file's path and the names of the id columns to copy. */
export function checkCsvArguments(fn: string, csvFile: unknown, ids: unknown = []): void {
  if (typeof csvFile !== 'string') badArgument(fn, 'the CSV file', 'a path (a string)', csvFile);
  checkTextList(fn, 'the id columns', 'ids', ids, 'a list of column names', 'a column name (a string)');
}
