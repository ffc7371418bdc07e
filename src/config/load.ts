// Loading an experiment file: YAML with positions → --set overrides → JSON Schema with defaults →
// semantic checks → a resolved ExperimentConfig. Every problem found is reported at once, located;
// nothing downstream sees a config that has not passed all of it.

import { basename, dirname, extname, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { NAME_MAX_LENGTH, NAME_PATTERN } from './schema.js';
import { CHECKS, runChecks, type CheckContext } from './checks.js';
import { badArgument, checkTextList, formatPath, parsePath, UserError, UserErrors, type Place } from '../errors.js';
import { NOT_SWEPT, parseKeyPath, runId } from './sweep.js';
import { parseOptionText, parseYaml, readYamlFile, type KeyPath, type YamlSource } from './source.js';
import type { ExperimentConfig } from './types.js';
import { brief, validateExperiment } from './validate.js';

export interface LoadOptions {
  /** `key.path=value` overrides; the value is parsed as YAML. */
  set?: readonly string[];
  /** Overrides the file's seed. With set, it names the run (its run_id: overridesRunId), as --seed and --set do. */
  seed?: number;
  /** `key.path=v1,v2,...` sweep axes added to the file's `sweep:` (loadPlan; loadExperiment ignores sweeps). */
  sweep?: readonly string[];
}

/** What an experiment declares about its results: bounds on final metrics (`mlplab check`). */
export type Bounds = { min?: number; max?: number };
/** How every run of a group is expected to end (`status:` in `expect:`; default completed). */
export type ExpectedStatus = 'completed' | 'diverged';
/**
 * `expect:`: metric → bounds for every group, or `key=value[,key=value]` → (metric → bounds) for the groups with
 * those swept values; at either level the key `status` holds an ExpectedStatus instead of bounds.
 */
export type Expectations = Record<string, Bounds | ExpectedStatus | Record<string, Bounds | ExpectedStatus>>;

export interface LoadedExperiment {
  /** The experiment file as given. */
  file: string;
  /** Its folder: relative paths in it start there. */
  baseDir: string;
  config: ExperimentConfig;
  /** Locates key paths of the file, for later located errors (data checks). */
  source: YamlSource;
  /** The file's `expect:` (checked by `mlplab check`), and `golden:` as written. */
  expect?: Expectations;
  golden?: string;
}

/** A change to the file's value: from --set, --seed or a sweep entry (then errors are placed at `place`). */
export interface Override {
  path: (string | number)[];
  value: unknown;
  text: string;
  place?: Place;
  /** A number set by --set or a sweep's value: the number as written (`1e300`), for messages. */
  numberText?: string;
}

/**
 * Reads, validates and resolves an experiment file; throws UserErrors listing every problem. A file with a
 * `sweep:` gives its base run here (the file's own values); config/plan.ts's loadPlan gives every run. With
 * options.set or seed, the run `mlplab run FILE --set … --seed …` makes, its run_id naming its folder (overridesRunId).
 */
export function loadExperiment(file: string, options: LoadOptions = {}): LoadedExperiment {
  checkLoadArguments('loadExperiment', file, options);
  const source = readYamlFile(file);
  return withOverridesRunId(source, file, optionOverrides(source, file, options));
}

/**
 * An experiment given as an object (as it would be written in YAML), validated like a file; its errors cite
 * key paths (`model.layers[0].units: …`), as there is no file. Relative paths in it (data.csv.path,
 * model.init.from) start at `baseDir` (default: the current directory).
 */
export function experimentFromObject(config: Record<string, unknown>, options: LoadOptions & { baseDir?: string } = {}): LoadedExperiment {
  // NOTE: `file` is not read; it names the run (run.json's file) and sets the folder paths start from.
  if (config === null || typeof config !== 'object') throw new UserError('schema', NOT_A_MAPPING);
  checkLoadOptions('experimentFromObject', options);
  if (options.baseDir !== undefined && typeof options.baseDir !== 'string') badArgument('experimentFromObject', 'options.baseDir', 'the path of a folder (a string)', options.baseDir);
  const odd = unwritable(config, []);
  if (odd !== undefined) throw new UserError('schema', `expected a number, string, boolean, null, list or mapping, found a ${odd.kind}`, { path: formatPath(odd.path) });
  const file = resolve(options.baseDir ?? '.', `${typeof config.name === 'string' ? config.name : 'experiment'}.yaml`);
  const source = parseYaml(toYaml(config));
  return withOverridesRunId(source, file, optionOverrides(source, file, options));
}

/** buildExperiment's run, its run_id set as the command's (overridesRunId) when options override keys. */
function withOverridesRunId(source: YamlSource, file: string, overrides: readonly Override[]): LoadedExperiment {
  const exp = buildExperiment(source, file, overrides);
  const id = overridesRunId(exp.config.run_id, overrides);
  if (id !== '') exp.config.run_id = id;
  return exp;
}

/**
 * The run ID (the folder below results/NAME/) of a run with --set/--seed overrides: the file's run_id, then the
 * overrides' ID (`seed=4`, `units=8`), joined by `/`; '' for neither. The ID leaves out the keys that only name the
 * run and an override a later one replaces (`--set training.epochs=5 --set training.epochs=6`: the run has 6).
 * loadPlan names its runs' folder by it, loadExperiment and experimentFromObject their run.
 */
export function overridesRunId(fileRunId: string | undefined, overrides: readonly Override[]): string {
  const used = overrides.filter((o, k) => !NOT_SWEPT.has(String(o.path[0])) && !overrides.slice(k + 1).some((later) => isPrefix(later.path, o.path)));
  const id = used.length > 0 ? runId(used.map((o) => o.path), used.map((o) => o.value)) : undefined;
  return [fileRunId, id].filter(Boolean).join('/');
}

/** The first value YAML cannot write (a function, a symbol: the yaml package throws a plain Error), and its path. */
function unwritable(value: unknown, path: (string | number)[], seen = new Set<unknown>()): { kind: string; path: (string | number)[] } | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') return { kind: typeof value, path };
  if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) {
    const found = unwritable(v, [...path, Array.isArray(value) ? Number(k) : k], seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What a config (a file's top, or experimentFromObject's argument) that is not a mapping is told. */
const NOT_A_MAPPING = 'expected a mapping of keys (data, model, loss, training, …) at the top of the file';

/** The arguments of loadExperiment and loadPlan (a JavaScript caller's): a path, and options of the kinds LoadOptions says. */
export function checkLoadArguments(fn: string, file: unknown, options: unknown): void {
  if (typeof file !== 'string') {
    const hint = file !== null && typeof file === 'object' && !Array.isArray(file) ? ' (an experiment as an object: experimentFromObject(config))' : '';
    badArgument(fn, 'the experiment file', `a path (a string)${hint}`, file);
  }
  checkLoadOptions(fn, options);
}

/** LoadOptions as its type says: set and sweep lists of texts (as --set and --sweep take); the seed is an override the schema checks, as --seed's. */
function checkLoadOptions(fn: string, options: unknown): asserts options is LoadOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) badArgument(fn, 'the options', 'an object of options (set, seed, sweep)', options);
  for (const key of ['set', 'sweep'] as const) {
    const list = (options as LoadOptions)[key];
    if (list === undefined) continue;
    const example = key === 'set' ? '"training.epochs=10"' : '"seed=1,2,3"';
    checkTextList(fn, `options.${key}`, `options.${key}`, list, `a list of texts such as ${example} (as --${key} takes)`, `a text such as ${example}`);
  }
}

/** Throws the file's syntax errors, or a located error when its top is not a mapping. */
export function assertMapping(source: YamlSource, file: string): Record<string, unknown> {
  if (source.errors.length > 0) throw new UserErrors(source.errors);
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    const place = source.file === undefined ? {} : { file, line: 1, column: 1 };
    throw new UserError('schema', NOT_A_MAPPING, place);
  }
  return source.value as Record<string, unknown>;
}

/** The checks' errors on a config with schema errors: each check that can run, none about a key already in error. */
function checksDespite(schemaErrors: readonly UserError[], context: () => CheckContext): UserError[] {
  let ctx: CheckContext;
  try {
    ctx = context();
  } catch (e) {
    return e instanceof UserError ? [e] : [];
  }
  const near = (a = '', b = '') => a !== '' && b !== '' && (a === b || b.startsWith(a + '.') || b.startsWith(a + '[') || a.startsWith(b + '.') || a.startsWith(b + '['));
  return CHECKS.flatMap((check) => {
    try {
      return check(ctx); // NOTE: checks assume a valid config; one that trips over a malformed part has nothing to say
    } catch {
      return [];
    }
  }).filter((e) => !schemaErrors.some((s) => near(s.place.path, e.place.path)));
}

/** The --set and --seed options as overrides (checked first: a bad option is a usage error). */
export function optionOverrides(source: YamlSource, file: string, options: LoadOptions): Override[] {
  assertMapping(source, file);
  const overrides = (options.set ?? []).map(parseOverride);
  if (options.seed !== undefined) overrides.push({ path: ['seed'], value: options.seed, text: `--seed ${options.seed}` });
  return overrides;
}

/**
 * One run of a file: its value without `sweep`, with the overrides applied, schema-checked (defaults filled),
 * resolved and checked. Throws UserErrors; errors at an overridden key path are placed where the override is.
 */
export function buildExperiment(source: YamlSource, file: string, overrides: readonly Override[]): LoadedExperiment {
  const fileValue = assertMapping(source, file);
  const { sweep: _sweep, sweep_samples: _samples, ...raw } = structuredClone(fileValue);
  for (const o of overrides) {
    try {
      setPath(raw, o.path, o.value);
    } catch (e) {
      if (!o.place || !(e instanceof UserError)) throw e;
      throw new UserError('check', `${e.message.replace(/^--set: /, '')} (from ${o.text})`, o.place);
    }
  }

  const cfg = structuredClone(raw);
  // An error at a key the file lacks (an unknown key) belongs to the override that wrote a path through it.
  const overrideAt = (path: KeyPath) =>
    [...overrides].reverse().find((o) => isPrefix(o.path, path)) ??
    (hasPath(fileValue, path) ? undefined : [...overrides].reverse().find((o) => isPrefix(path, o.path)));
  const place = (errors: UserError[]) => errors.map((e) => attribute(e, overrideAt));
  // A number as written: an override's own (only one that sets exactly this path has one), else the file's.
  const numberText = (path: KeyPath) => {
    const o = overrideAt(path);
    return o === undefined ? source.numberText(path) : o.path.length === path.length ? o.numberText : undefined;
  };
  const schemaErrors = validateExperiment(cfg, source, (path) => overrideAt(path)?.text);
  const { expect, golden, ...rest } = cfg as Record<string, unknown>;
  const baseDir = dirname(resolve(file));
  if (schemaErrors.length > 0) {
    // One round of errors: the semantic checks too, wherever the file is well-formed enough for them.
    const checkErrors = checksDespite(schemaErrors, () => ({ raw: raw as Record<string, any>, cfg: resolveConfig(rest as unknown as ExperimentConfig, file), source, baseDir, numberText }));
    throw new UserErrors(place([...schemaErrors, ...checkErrors]));
  }
  const config = resolveConfig(rest as unknown as ExperimentConfig, file);
  const checkErrors = runChecks({ raw: raw as Record<string, any>, cfg: config, source, baseDir, numberText });
  if (checkErrors.length > 0) throw new UserErrors(place(checkErrors));
  return { file, baseDir, config, source, ...(expect ? { expect: expect as Expectations } : {}), ...(golden ? { golden: golden as string } : {}) };
}

/**
 * An error at a key path an override wrote (the last one to write it) names that override; a placed override
 * (a sweep entry) also moves the error to where it stands in the file, an option's (--set) keeps the key path.
 * plan.ts's placedAtAxes places a prepared run's errors with it too.
 */
export function attribute(e: UserError, overrideAt: (path: KeyPath) => Override | undefined): UserError {
  const o = e.place.path === undefined ? undefined : overrideAt(parsePath(e.place.path));
  if (o === undefined) return e;
  const message = e.message.includes(`(from ${o.text})`) ? e.message : `${e.message} (from ${o.text})`;
  return new UserError(e.code, message, o.place ? { ...o.place, path: e.place.path } : { file: e.place.file, path: e.place.path });
}

/** Fills what the schema's defaults can't (the name); a model file's init takes no scheme. */
function resolveConfig(cfg: ExperimentConfig, file: string): ExperimentConfig {
  if (cfg.name === undefined) cfg.name = nameFromFile(file);
  // The schema filled in the chosen optimizer's and scheme's defaults only; a model file replaces the scheme.
  const init = cfg.model.init;
  if (init.from !== undefined) cfg.model.init = { from: init.from };
  return cfg;
}

/** The run name a file without `name:` gets: its base name, held to the same rule as a written name. */
function nameFromFile(file: string): string {
  const name = basename(file, extname(file));
  if (new RegExp(NAME_PATTERN).test(name) && name.length <= NAME_MAX_LENGTH) return name;
  throw new UserError(
    'check',
    `the file name gives the run name ${JSON.stringify(name)}, which cannot name a results folder; expected letters, digits, ".", "_" or "-" ` +
      `(not dots only, at most ${NAME_MAX_LENGTH} characters): add a name: key or rename the file`,
    { file, path: 'name' },
  );
}

/** `model.layers[0].units=4` or `model.layers.0.units=4` → path and YAML-parsed value. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UserError('usage', `--set expects key.path=value, found "${text}"`);
  const keys = text.slice(0, eq).trim();
  const path = parseKeyPath(keys, '--set');
  let parsed: ReturnType<typeof parseOptionText>;
  try {
    parsed = parseOptionText(text.slice(eq + 1));
  } catch (e) {
    throw new UserError('usage', `--set ${keys}: the value is not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const { value } = parsed;
  // NOTE: the number's own source text (a comment or spaces after it are not the number), as a sweep's values carry it
  const numberText = typeof value === 'number' ? parsed.numberText([]) : undefined;
  return { path, value, text: `--set ${brief(text)}`, ...(numberText !== undefined ? { numberText } : {}) };
}

export function setPath(target: Record<string | number, unknown>, path: readonly (string | number)[], value: unknown, what = '--set'): void {
  let node: Record<string | number, unknown> = target;
  for (let k = 0; k < path.length - 1; k++) {
    const next = Object.hasOwn(node, path[k]) ? node[path[k]] : undefined; // NOTE: never an inherited object
    if (Array.isArray(next) && typeof path[k + 1] === 'number' && (path[k + 1] as number) > next.length) {
      throw new UserError('usage', `${what}: ${formatPath(path.slice(0, k + 1))} has ${next.length} item(s); index ${path[k + 1]} is past its end`);
    }
    if (next === null || typeof next !== 'object') node[path[k]] = typeof path[k + 1] === 'number' ? [] : {};
    node = node[path[k]] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = structuredClone(value); // a copy: a later override into it (a sweep key inside a --set mapping) must not change the override
}

/** Whether the file's own value has this key path (before any override). */
function hasPath(value: unknown, path: KeyPath): boolean {
  let node = value;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, seg)) return false;
    node = (node as Record<string, unknown>)[seg];
  }
  return true;
}

/** Whether key path `prefix` is `path` or leads into it (segments compared as text: 0 and "0" are one). */
export const isPrefix = (prefix: readonly (string | number)[], path: KeyPath) =>
  prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
