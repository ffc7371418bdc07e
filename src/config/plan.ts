// An experiment file as the runs it stands for: one run, or with a sweep (the file's `sweep:` and --sweep)
// one run per combination of the grid; with random search (distribution entries and `sweep_samples: N`), the N
// drawn settings form one axis of the grid, `sample`, combined with the listed entries. Every combination is
// validated before anything runs; a problem only some combinations have is reported once, at the sweep entry,
// with the runs (values) that have it. Cross-validation (data.split.folds: K) is one more axis, `fold`, 1..K, last.

import { MAX_FOLDS } from '../data/schema.js';
import { isUserError, UserError, UserErrors, type KeyPath } from '../errors.js';
import { attribute, buildExperiment, checkLoadArguments, isPrefix, optionOverrides, overridesRunId, setPath, type LoadedExperiment, type LoadOptions, type Override } from './load.js';
import { readYamlFile, type YamlSource } from './source.js';
import { drawSamples, fileAxes, grid, NOT_SWEPT, optionAxis, parseKeyPath, runId, type SweepAxis } from './sweep.js';

export const MAX_RUNS = 10_000;

export interface PlannedRun {
  exp: LoadedExperiment;
  /** Position in the grid (0 without a sweep); the grid's size for a run a --set/--seed value the sweep lacks puts outside it. */
  index: number;
  /** This run's value of each sweep axis, by key path as written; empty without a sweep. */
  values: Record<string, unknown>;
  /** The folder below results/NAME/: the file's run_id, the overrides' ID, the sweep ID, joined by `/`; '' for none. */
  runPath: string;
}

export interface Plan {
  file: string;
  /** The options it was loaded with (runner/clash.ts checks a run folder by the keys --set and --seed set). */
  options: LoadOptions;
  /** The base name: results/NAME. */
  name: string;
  axes: SweepAxis[];
  /** The folder below results/NAME/ that holds this invocation's run (or the sweep's runs and summary.csv). */
  rootPath: string;
  runs: PlannedRun[];
}

/** Every run of an experiment file, all validated; throws UserErrors with every problem of every combination. */
export function loadPlan(file: string, options: LoadOptions = {}): Plan {
  checkLoadArguments('loadPlan', file, options);
  const source = readYamlFile(file);
  const cliOverrides = optionOverrides(source, file, options); // first: it refuses a file that is not a mapping
  const swept = sweepAxes(source, options);
  const declared = [...swept, ...foldAxis(source, cliOverrides, swept)];
  const total = listedRuns(declared);
  if (total > MAX_RUNS && declared.at(-1)?.key === 'fold') {
    throw new UserErrors([new UserError('check', `the sweep has ${total} runs with its ${declared.at(-1)!.values.length} folds; at most ${MAX_RUNS} are allowed`, declared.at(-1)!.place)]);
  }
  // NOTE: a run with a --set/--seed value an axis lacks is no place in the grid: it records the grid's size, after every grid run.
  const after = total * (declared.some((a) => a.distribution !== undefined) ? Number((source.value as Record<string, unknown>).sweep_samples) : 1);
  const { overrides, pins: declaredPins, outside } = pinAxes(declared, cliOverrides);
  const { axes, pins, samples } = sampleAxis(declared, declaredPins, source);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const combos = [...grid(axes).entries()].filter(([, c]) => pins.every((pin, k) => pin === NO_PIN || same(c[k], pin)));
  const written = grid(axes.map((a) => ({ ...a, values: a.values.map((v, i) => (Number.isFinite(v) ? a.texts?.[i] : undefined)) }))) as (string | undefined)[][]; // each value's number as written
  const errors = new RunErrors(combos.length);
  const runs: PlannedRun[] = [];
  for (const [index, combo] of combos) {
    // NOTE: an integer beyond 2^53 as written: the run is refused, and its ID read rounded would name another value.
    const id = axes.length > 0 ? runId(axes.map((a) => a.path), combo.map((v, k) => (Number.isInteger(v) && !Number.isSafeInteger(v) ? (written[index][k] ?? v) : v))) : undefined;
    const placed: Override[] = axes.flatMap((a, k) =>
      a === samples?.axis
        ? samples.drawn.map((d, j) => ({ path: d.path, value: samples.values[combo[k] as number][j], text: `${d.from} (sample ${combo[k]}): ${shown(samples.values[combo[k] as number][j])}`, place: d.place }))
        : [pins[k] === NO_PIN ? axisOverride(a, combo[k], written[index][k]) : { ...axisOverride(a, combo[k], written[index][k]), text: a.from }],
    );
    try {
      const exp = buildExperiment(source, file, inOrder(overrides, placed));
      const values = Object.fromEntries(axes.flatMap((a, k) => (a === samples?.axis ? [[a.key, combo[k]], ...samples.drawn.map((d, j) => [d.key, samples.values[combo[k] as number][j]])] : [[a.key, combo[k]]])));
      runs.push({ exp, index: outside ? after : index, values, runPath: '' });
    } catch (e) {
      if (e instanceof UserError && e.code === 'usage') throw e;
      errors.add(e, id);
    }
  }
  errors.throwIfAny();
  const name = runs[0].exp.config.name;
  const rootPath = overridesRunId(runs[0].exp.config.run_id, overrides);
  const seen = new Map<string, PlannedRun>();
  for (const run of runs) {
    const id = axes.length > 0 ? runId(axes.map((a) => a.path), axes.map((a) => run.values[a.key])) : undefined;
    run.runPath = [rootPath, id].filter(Boolean).join('/');
    if (run.runPath !== '') run.exp.config.run_id = run.runPath;
    const twin = seen.get(run.runPath);
    if (twin !== undefined) throw sameFolder(axes, twin, run, id!);
    seen.set(run.runPath, run);
  }
  return { file, options, name, axes, rootPath, runs };
}

/**
 * What preparing a run threw (its data, its initial network), with an error at a key its sweep sets moved to that
 * sweep entry and naming the value, as buildExperiment places the schema's errors; --sweep's keeps the key path only.
 */
export function placedAtAxes(e: unknown, plan: Plan, run: PlannedRun): unknown {
  const overrideAt = (path: KeyPath): Override | undefined => {
    const axis = [...plan.axes].reverse().find((a) => a.key !== 'fold' && isPrefix(a.path, path));
    // NOTE: an axis pinned by --set/--seed has no place; withSets (runner/prepare-plans.ts) names that option.
    if (axis === undefined || !Object.hasOwn(run.values, axis.key) || (!axis.place.file && !axis.from.startsWith('--sweep'))) return undefined;
    return axisOverride(axis, run.values[axis.key]);
  };
  const one = (u: UserError) => attribute(u, overrideAt);
  return e instanceof UserErrors ? new UserErrors(e.errors.map(one)) : e instanceof UserError ? one(e) : e;
}

/**
 * The run folders below rootPath of the grid a plan stands for, in grid order: the file's sweep as --sweep changes it,
 * before --set/--seed pick a slice of it (a value an axis lacks: the values it lists; a drawn key --set fixes stays
 * fixed, its runs being other folders). summary.csv lists these first. Empty without a sweep.
 */
export function gridRunIds(plan: Plan): string[] {
  if (plan.axes.length === 0) return [];
  const axes = plan.axes.map((a) => (a.listed === undefined ? a : { ...a, values: a.listed }));
  return grid(axes).map((c) => runId(axes.map((a) => a.path), c));
}

/** Two runs of one grid whose IDs are equal (a value listed twice, or values a folder name cannot tell apart). */
function sameFolder(axes: readonly SweepAxis[], a: PlannedRun, b: PlannedRun, id: string): UserError {
  const show = (r: PlannedRun) => JSON.stringify(Object.values(r.values));
  const message = `runs ${a.index + 1} ${show(a)} and ${b.index + 1} ${show(b)} of the grid would both write the folder ${id}: give each value once, and values that differ in letters, digits, ".", "_", "+" or "-"`;
  const place = axes.find((x) => x.place.file)?.place;
  return place ? new UserError('check', message, place) : new UserError('usage', `--sweep: ${message}`);
}

const NO_PIN = Symbol('not pinned');

/**
 * The overrides of a run in the order they are written: --set/--seed, then the sweep's values, the values of a
 * swept mapping before those of keys inside it, and then a --set inside a swept mapping
 * (`--set training.optimizer.learning_rate=0.01` with `training.optimizer: [{ type: sgd }, { type: adam }]`), which
 * the mapping would otherwise replace.
 */
function inOrder(overrides: readonly Override[], placed: readonly Override[]): Override[] {
  const swept = [...placed].sort((a, b) => a.path.length - b.path.length);
  const inside = (o: Override) => swept.some((p) => p.path.length < o.path.length && isPrefix(p.path, o.path));
  return [...overrides.filter((o) => !inside(o)), ...swept, ...overrides.filter(inside)];
}

/**
 * A sweep axis's value in a run as an override: named `FROM: VALUE` (a number as written), placed at its sweep entry
 * when that stands in the file.
 */
function axisOverride(a: SweepAxis, value: unknown, written = writtenNumber(a, value)): Override {
  const text = `${a.from}: ${written ?? shown(value)}`;
  return { path: a.path, value, text, ...(written === undefined ? {} : { numberText: written }), ...(a.place.file ? { place: a.place } : {}) };
}

/** A number an axis lists, as the file or --sweep writes it (`18014398509481985`, which reads as 18014398509481984); the first so written. */
const writtenNumber = (a: SweepAxis, value: unknown): string | undefined => (Number.isFinite(value) ? a.texts?.[a.values.indexOf(value)] : undefined);

/** A value as messages show it: JSON, but .inf and .nan as Infinity and NaN (JSON would print null). */
const shown = (v: unknown): string => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

/** The runs of the axes' listed values: the product of their lengths (a distribution entry counts once; its draws are sweep_samples'). */
const listedRuns = (axes: readonly SweepAxis[]): number => axes.reduce((n, a) => n * (a.distribution === undefined ? a.values.length : 1), 1);

/** Random search's axis: the settings drawn for the distribution entries, by sample number. */
interface Samples {
  /** The grid axis `sample` (values 0..N−1), where the first distribution entry stood. */
  axis: SweepAxis;
  /** The distribution entries, in the file's order. */
  drawn: SweepAxis[];
  /** values[i][j]: sample i's value of drawn[j]. */
  values: unknown[][];
}

/**
 * The grid's axes with the distribution entries replaced by one axis `sample` (0..N−1, N = sweep_samples),
 * their draws made from the file's seed; without distribution entries, the axes as they are (then
 * sweep_samples is an error: nothing to draw from). Every distribution entry of the file is drawn, whatever
 * --set, --seed or --sweep sets, so a key they fix leaves each sample's other values as they were; with every
 * drawn key fixed, the samples would be one setting: no sample axis.
 */
function sampleAxis(declared: SweepAxis[], pins: unknown[], source: YamlSource): { axes: SweepAxis[]; pins: unknown[]; samples?: Samples } {
  const file = source.value as Record<string, unknown>;
  const count = file.sweep_samples;
  const at = (key: string) => ({ ...source.at([key]), path: key });
  const entries = fileAxes(file.sweep, source).axes.filter((a) => a.distribution !== undefined);
  if (entries.length === 0) {
    if (count !== undefined) throw new UserErrors([new UserError('check', 'sweep_samples draws settings from sweep entries that are distributions ({ log_uniform: [a, b] }, …); this sweep has none', at('sweep_samples'))]);
    return { axes: declared, pins };
  }
  if (!(Number.isSafeInteger(count) && (count as number) >= 1 && (count as number) <= MAX_RUNS)) {
    const found = count === undefined ? 'no sweep_samples' : `sweep_samples: ${JSON.stringify(count)}`;
    throw new UserErrors([new UserError('check', `a sweep entry that is a distribution needs sweep_samples: N, the number of settings to draw (1 to ${MAX_RUNS}); found ${found}`, count === undefined ? entries[0].place : at('sweep_samples'))]);
  }
  const drawn = declared.filter((a) => a.distribution !== undefined);
  if (drawn.length === 0) return { axes: declared, pins };
  const kept = entries.map((e) => drawn.some((a) => samePath(a.path, e.path)));
  const seed = Number.isSafeInteger(file.seed) ? (file.seed as number) : 0;
  const axis: SweepAxis = { key: 'sample', path: ['sample'], values: Array.from({ length: count as number }, (_, i) => i), place: at('sweep_samples'), from: 'sweep_samples' };
  const lists = listedRuns(declared);
  if (lists * (count as number) > MAX_RUNS) throw new UserErrors([new UserError('check', `the sweep has ${lists * (count as number)} runs (${count} samples × ${lists} combinations of the lists); at most ${MAX_RUNS} are allowed`, at('sweep_samples'))]);
  const first = declared.indexOf(drawn[0]);
  const axes = [...declared.slice(0, first), axis, ...declared.slice(first).filter((a) => a.distribution === undefined)];
  const keptPins = [...pins.slice(0, first), NO_PIN, ...pins.slice(first).filter((_, k) => declared[first + k].distribution === undefined)];
  return { axes, pins: keptPins, samples: { axis, drawn, values: drawSamples(entries, count as number, seed).map((v) => v.filter((_, j) => kept[j])) } };
}

/**
 * --set/--seed of a key the file sweeps selects that slice of the grid (`--seed 4` on a seed sweep is the run
 * seed=4, in the same folder as the sweep's); a value the axis lacks replaces its values (`outside`: the runs are no
 * place in the grid, and summary.csv lists them after it). Such overrides leave
 * the list (they are sweep values now); setting a key that --sweep also sets is a usage error.
 */
function pinAxes(axes: SweepAxis[], all: Override[]): { overrides: Override[]; pins: unknown[]; outside: boolean } {
  const pins: unknown[] = axes.map(() => NO_PIN);
  let outside = false;
  const overrides = all.filter((o) => {
    const k = axes.findIndex((a) => samePath(a.path, o.path));
    if (k < 0) return true;
    if (!axes[k].place.file) throw new UserError('usage', `${o.text} and ${axes[k].from} both set ${axes[k].key}: give one of them`);
    const listed = axes[k].values.some((v) => JSON.stringify(v) === JSON.stringify(o.value));
    const { distribution, ...axis } = axes[k]; // a random-search entry set by --set is that one value
    axes[k] = { ...axis, values: listed ? axis.values : [o.value], texts: listed ? axis.texts : [o.numberText], ...(listed || distribution ? {} : { listed: axis.values }), from: o.text, place: {} };
    pins[k] = o.value;
    outside ||= !listed;
    return false;
  });
  return { overrides, pins, outside };
}

/** The file's sweep axes, then --sweep's (an option for a key the file sweeps replaces the file's axis). */
function sweepAxes(source: YamlSource, options: LoadOptions): SweepAxis[] {
  const { axes, errors } = fileAxes((source.value as Record<string, unknown>).sweep, source);
  for (const axis of (options.sweep ?? []).map(optionAxis)) {
    const same = axes.findIndex((a) => samePath(a.path, axis.path) && !a.from.startsWith('--sweep'));
    if (same >= 0) axes[same] = axis;
    else axes.push(axis);
  }
  for (const [k, a] of axes.entries()) {
    const fail = (message: string) => (a.place.file ? errors.push(new UserError('check', message, a.place)) : errors.push(new UserError('usage', `${a.from}: ${message}`)));
    if (NOT_SWEPT.has(String(a.path[0]))) fail(`"${a.path[0]}" cannot be swept: it names the runs or says how they are checked`);
    else if (samePath(a.path, FOLD_PATH) || samePath(a.path, ['data', 'split', 'folds'])) fail(`${a.key} cannot be swept: data.split.folds: K makes one run per fold (run one fold with --set data.split.fold=k)`);
    else if (axes.some((b, j) => j < k && samePath(a.path, b.path))) fail(`the key path ${a.key} is swept twice`);
  }
  const total = listedRuns(axes); // sampleAxis counts the draws
  if (total > MAX_RUNS) errors.push(new UserError('check', `the sweep has ${total} combinations; at most ${MAX_RUNS} runs are allowed in one grid`, axes[0].place));
  if (errors.some((e) => e.code === 'usage')) throw errors.find((e) => e.code === 'usage');
  if (errors.length > 0) throw new UserErrors(errors);
  return axes;
}

const FOLD_PATH = ['data', 'split', 'fold'];

/** Where a run's configuration holds the value of a swept key as run.json records it (`fold`: data.split.fold). */
export const sweptKeyPath = (key: string): KeyPath => (key === 'fold' ? FOLD_PATH : parseKeyPath(key, 'sweep'));

/**
 * Cross-validation's axis, last (`seed=0,fold=1`): with data.split.folds: K (in the file, by --set, or in the values
 * of a swept data.split or data), fold takes 1..K, unless the split writes its fold (a run's config.json: that one
 * fold). A folds value the schema refuses adds no axis: the schema's error says what is wrong. Swept values that
 * give different fold axes (folds: 3 and folds: 5, or none) are refused: the grid's axes are the same for every run.
 */
function foldAxis(source: YamlSource, overrides: readonly Override[], sweep: readonly SweepAxis[]): SweepAxis[] {
  // NOTE: an axis --set/--seed sets too is pinned to that value (pinAxes), which overrides already holds.
  const swept = sweep.filter((a) => a.path.length < 3 && isPrefix(a.path, ['data', 'split']) && !overrides.some((o) => samePath(o.path, a.path)));
  const combos = grid(swept.map((a) => ({ ...a, values: a.distribution?.kind === 'choice' ? a.distribution.values : a.values })));
  const found = new Map<number, unknown[]>(); // each fold count (0: none) with the first values giving it
  let set: Override | undefined;
  for (const combo of combos) {
    const axis = foldsOf(source, inOrder(overrides, swept.map((a, k) => ({ path: a.path, value: combo[k], text: a.from }))));
    if (axis === undefined) continue;
    if (!found.has(axis.folds)) found.set(axis.folds, combo);
    set ??= axis.set;
  }
  if (found.size > 1) throw differentFolds(swept, found);
  const [folds] = [...found.keys()];
  if (folds === undefined || folds === 0) return [];
  const entry = set === undefined ? undefined : swept.find((a) => a.path === set!.path);
  const written = entry?.place.file ? entry.place : set === undefined ? source.at(['data', 'split', 'folds']) : { file: source.file };
  const place = { ...written, path: 'data.split.folds' };
  return [{ key: 'fold', path: FOLD_PATH, values: Array.from({ length: folds }, (_, k) => k + 1), place, from: (entry === undefined && set?.text) || 'data.split.folds' }];
}

/**
 * The fold count (0: no fold axis) of the split the file and these overrides, in order, leave, and the override that
 * set it; undefined where an override cannot apply (buildExperiment says so, at its option) or the count is one the schema refuses.
 */
function foldsOf(source: YamlSource, overrides: readonly Override[]): { folds: number; set?: Override } | undefined {
  // NOTE: the split as the overrides leave it: --set data.split={ folds: 3 } (or of data) sets folds and may write a fold too.
  // A file whose data is not a mapping (data: softmax, whose .split would be String.prototype.split) has no split here.
  const view: Record<string, unknown> = { data: { split: structuredClone(mappingOf(mappingOf(source.value)?.data)?.split) } };
  let set: Override | undefined;
  for (const o of overrides) {
    if (samePath(o.path, FOLD_PATH) || !(isPrefix(o.path, ['data', 'split']) || isPrefix(['data', 'split'], o.path))) continue;
    try {
      setPath(view, o.path, o.value); // setPath writes a copy
    } catch (e) {
      if (isUserError(e)) return undefined;
      throw e;
    }
    if (isPrefix(o.path, ['data', 'split', 'folds'])) set = o;
  }
  const split = mappingOf(mappingOf(view.data)?.split);
  const folds = split?.folds;
  if (folds === undefined || (split !== undefined && 'fold' in split)) return { folds: 0 };
  if (!Number.isSafeInteger(folds) || (folds as number) < 2 || (folds as number) > MAX_FOLDS) return undefined;
  return { folds: folds as number, set };
}

/** Swept values of data.split (or data) that give different fold axes: a usage error for --sweep's, else one at the entry. */
function differentFolds(swept: readonly SweepAxis[], found: Map<number, unknown[]>): UserError | UserErrors {
  const shownValues = (combo: unknown[]) => (combo.length === 1 ? JSON.stringify(combo[0]) : JSON.stringify(combo));
  const counts = [...found].map(([folds, combo]) => `${folds === 0 ? 'no folds' : `folds: ${folds}`} in ${shownValues(combo)}`);
  const message =
    `expected values that all give one fold axis (fold=1..K follows every run of the grid), found ${counts.join(', ')}; ` +
    'sweep splits of one folds count, or run each count apart (--set data.split=...)';
  const at = swept.at(-1)!;
  return at.place.file ? new UserErrors([new UserError('check', message, at.place)]) : new UserError('usage', `${at.from}: ${message}`);
}

const samePath = (a: KeyPath, b: KeyPath) => a.length === b.length && isPrefix(a, b);

/** A parsed YAML value as a mapping, or undefined (a scalar, a list, null). */
const mappingOf = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * Errors of the runs of a grid, each told once: an error every run has is shown as is; one that only some runs
 * have names them (`in runs activation=relu,seed=1; … and 3 more`).
 */
export class RunErrors {
  private readonly groups = new Map<string, { error: UserError; runs: string[] }>();

  constructor(private readonly total: number) {}

  /** Records what a run threw (rethrowing anything that isn't a user error). */
  add(e: unknown, runId: string | undefined): void {
    if (!isUserError(e)) throw e;
    for (const error of e instanceof UserErrors ? e.errors : [e as UserError]) {
      const key = error.format();
      const group = this.groups.get(key) ?? { error, runs: [] };
      group.runs.push(runId ?? '');
      this.groups.set(key, group);
    }
  }

  get count(): number {
    return this.groups.size;
  }

  errors(): UserError[] {
    return [...this.groups.values()].map(({ error, runs }) => {
      if (runs.length === this.total) return error;
      const shown = runs.slice(0, 3).join('; ') + (runs.length > 3 ? ` and ${runs.length - 3} more` : '');
      return new UserError(error.code, `${error.message} (in run${runs.length > 1 ? 's' : ''} ${shown})`, error.place);
    });
  }

  throwIfAny(): void {
    if (this.groups.size > 0) throw new UserErrors(this.errors());
  }
}
