// Sweeps: key paths (`model.layers.0.activation`, `--set`'s `model.layers[0].units`), the axes of a grid
// (from the file's `sweep:` mapping and from `--sweep key=v1,v2`), its combinations in a fixed order, and the
// readable run ID each combination (or each set of overrides) gets. Random search: entries that are
// distributions (uniform, log_uniform, int_uniform, choice), from which `sweep_samples` settings are drawn
// with the file's seed in a stream of their own. Applying and validating is load.ts's.

import { parsePath, UserError, type KeyPath, type Place } from '../errors.js';
import { Rng, STREAMS } from '../random.js';
import { parseOptionText, type YamlSource } from './source.js';
import { show } from './validate.js';

/** Keys a sweep or a run ID does not vary: they name the runs or say how they are checked. */
export const NOT_SWEPT: ReadonlySet<string> = new Set(['name', 'run_id', 'sweep', 'sweep_samples', 'expect', 'golden', 'description']);

/** Segments a key path may not use: they would reach Object.prototype instead of the experiment. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** `model.layers[0].units` or `model.layers.0.units` → ['model', 'layers', 0, 'units']; `what` names the option. */
export function parseKeyPath(keys: string, what: string): (string | number)[] {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*|\.\d+|\[\d+\])*$/.test(keys)) {
    throw new UserError('usage', `${what}: "${keys}" is not a key path like training.optimizer.learning_rate or model.layers[0].units`);
  }
  const path = parsePath(keys);
  const bad = path.find((s) => typeof s === 'string' && FORBIDDEN_SEGMENTS.has(s));
  if (bad !== undefined) throw new UserError('usage', `${what}: "${keys}" uses the segment "${bad}", which no experiment key has`);
  return path;
}

/** A random-search entry: values are drawn from it (sweep_samples of them), not listed. */
export type Distribution = { kind: 'uniform' | 'log_uniform' | 'int_uniform'; low: number; high: number } | { kind: 'choice'; values: unknown[] };

/** One axis of a sweep grid: a key path and the values it takes, and where it was declared. */
export interface SweepAxis {
  /** The key path with numeric segments (`model.layers.0.activation`, also for `model.layers[0].activation`). */
  key: string;
  path: (string | number)[];
  /** The values listed (none for a distribution until drawn). */
  values: unknown[];
  /** Each listed value that is a number as written (`18014398509481985`, which reads rounded), for messages. */
  texts?: (string | undefined)[];
  /** An axis --set/--seed set to a value it lacks (its values are that one): the values the sweep lists. */
  listed?: unknown[];
  /** A random-search entry's distribution. */
  distribution?: Distribution;
  /** The sweep entry in the file, or the --sweep option. */
  place: Place;
  /** Where an error from this axis is reported: the file position of the entry, or the option's text. */
  from: string;
}

/** The file's `sweep:` mapping (already schema-checked as key → non-empty list) as axes; bad key paths are errors. */
export function fileAxes(sweep: unknown, source: YamlSource): { axes: SweepAxis[]; errors: UserError[] } {
  const axes: SweepAxis[] = [];
  const errors: UserError[] = [];
  if (sweep === undefined) return { axes, errors };
  if (sweep === null || typeof sweep !== 'object' || Array.isArray(sweep) || Object.keys(sweep).length === 0) {
    const found = sweep !== null && typeof sweep === 'object' && !Array.isArray(sweep) ? 'a mapping with no keys' : show(sweep);
    errors.push(new UserError('schema', `expected a mapping of key paths to the values each takes (at least one), found ${found}`, { ...source.at(['sweep']), path: 'sweep' }));
    return { axes, errors };
  }
  for (const [key, values] of Object.entries(sweep)) {
    const place = { ...source.atKey(['sweep', key]), path: `sweep.${key}` };
    const distribution = distributionOf(values);
    if (typeof distribution === 'string') {
      errors.push(new UserError('check', distribution, { ...source.at(['sweep', key]), path: `sweep.${key}` }));
      continue;
    }
    if (distribution !== undefined) {
      try {
        const path = parseKeyPath(key, 'sweep');
        axes.push({ key: path.join('.'), path, values: [], distribution, place, from: `sweep entry ${key}` });
      } catch (e) {
        errors.push(new UserError('check', (e as Error).message.replace(/^sweep: /, ''), place));
      }
      continue;
    }
    if (!Array.isArray(values) || values.length === 0) {
      // NOTE: not schema-checked before this point: `seed: 0[0, 1]` is a string (found by the fuzz tests).
      errors.push(new UserError('schema', `expected a non-empty list of values to sweep, found ${JSON.stringify(values)}`, { ...source.at(['sweep', key]), path: `sweep.${key}` }));
      continue;
    }
    try {
      const path = parseKeyPath(key, 'sweep');
      const texts = values.map((_, i) => source.numberText(['sweep', key, i]));
      axes.push({ key: path.join('.'), path, values: values as unknown[], texts, place, from: `sweep entry ${key}` });
    } catch (e) {
      errors.push(new UserError('check', (e as Error).message.replace(/^sweep: /, ''), place));
    }
  }
  return { axes, errors };
}

const KINDS = ['uniform', 'log_uniform', 'int_uniform', 'choice'] as const;

/**
 * A sweep entry's distribution (a mapping with one of KINDS), undefined for anything else (a list, or what the
 * list check reports), or what is wrong with it.
 */
function distributionOf(entry: unknown): Distribution | string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const keys = Object.keys(entry);
  const kind = KINDS.find((k) => k === keys[0]);
  if (keys.length !== 1 || kind === undefined) return `expected a list of values, or one distribution of: ${KINDS.join(', ')}; found ${JSON.stringify(entry)}`;
  const arg = (entry as Record<string, unknown>)[kind];
  if (kind === 'choice') return Array.isArray(arg) && arg.length > 0 ? { kind, values: arg } : `choice: expected a non-empty list of values, found ${JSON.stringify(arg)}`;
  const [low, high] = Array.isArray(arg) ? arg : [];
  const range = kind === 'int_uniform' ? 'two integers [a, b] with a ≤ b' : kind === 'log_uniform' ? 'two numbers [a, b] with 0 < a < b' : 'two numbers [a, b] with a < b';
  const ok =
    Array.isArray(arg) && arg.length === 2 && Number.isFinite(low) && Number.isFinite(high) &&
    (kind === 'int_uniform' ? Number.isSafeInteger(low) && Number.isSafeInteger(high) && low <= high : low < high && (kind !== 'log_uniform' || low > 0));
  // NOTE: Rng.int draws among at most 2^32 integers (b − a + 1 of them); uniform's draw low + u·(high − low) needs high − low finite.
  if (ok && kind === 'int_uniform' && high - low >= 2 ** 32) return `${kind}: expected ${range}, b − a < 2^32 (at most 2^32 integers to draw from), found ${JSON.stringify(arg)}`;
  if (ok && kind === 'uniform' && !Number.isFinite(high - low)) return `${kind}: expected ${range}, b − a finite, found ${JSON.stringify(arg)}`;
  return ok ? { kind, low: low as number, high: high as number } : `${kind}: expected ${range}, found ${JSON.stringify(arg)}`;
}

/** One value from a distribution. */
function draw(d: Distribution, rng: Rng): unknown {
  switch (d.kind) {
    case 'uniform':
      return rng.uniform(d.low, d.high);
    case 'log_uniform':
      return Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)));
    case 'int_uniform':
      return d.low + rng.int(d.high - d.low + 1);
    case 'choice':
      return d.values[rng.int(d.values.length)];
  }
}

/**
 * Random search's draws: `samples` settings, each a value of every distribution axis (in the axes' order),
 * from `seed` in the sweep's own random stream: the same file gives the same settings on any machine.
 */
export function drawSamples(axes: readonly SweepAxis[], samples: number, seed: number): unknown[][] {
  const rng = new Rng(seed, STREAMS.sweep);
  const drawn = axes.filter((a) => a.distribution !== undefined);
  return Array.from({ length: samples }, () => drawn.map((a) => draw(a.distribution!, rng)));
}

/** `--sweep key=v1,v2,...`: the values are read as a YAML flow list, `[v1,v2,...]`. */
export function optionAxis(text: string): SweepAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UserError('usage', `--sweep expects key.path=value1,value2,..., found "${text}"`);
  const key = text.slice(0, eq).trim();
  const path = parseKeyPath(key, '--sweep');
  let list: ReturnType<typeof parseOptionText>;
  try {
    list = parseOptionText(`[${text.slice(eq + 1)}]`);
  } catch (e) {
    // NOTE: the parser's line and column are in the list made of the values ("[" + values + "]"), not in them.
    const why = (e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ` in ${JSON.stringify(text.slice(eq + 1))}`);
    throw new UserError('usage', `--sweep ${key}: the values are not a valid YAML list (${why})`);
  }
  const values = list.value;
  if (!Array.isArray(values) || values.length === 0) throw new UserError('usage', `--sweep ${key}: expected at least one value`);
  return { key: path.join('.'), path, values, texts: values.map((_, i) => list.numberText([i])), place: {}, from: `--sweep ${text}` };
}

/** Every combination of the axes' values, the first axis varying slowest (the grid's fixed order). */
export function grid(axes: readonly SweepAxis[]): unknown[][] {
  let combos: unknown[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, v]));
  return combos;
}

/**
 * Short names for key paths: the last non-numeric segment (`learning_rate`, `activation`), with earlier
 * segments added while two keys would share a name (`layers.0.activation`, `layers.1.activation`).
 */
export function shortNames(paths: readonly KeyPath[]): string[] {
  const segs = paths.map((p) => p.map(String));
  const start = segs.map((s) => {
    let i = s.length - 1;
    while (i > 0 && /^\d+$/.test(s[i])) i--;
    return i;
  });
  const label = (k: number) => segs[k].slice(start[k]).join('.');
  for (;;) {
    const clashing = segs.map((_, k) => start[k] > 0 && segs.some((_, j) => j !== k && label(j) === label(k)));
    if (!clashing.includes(true)) return segs.map((_, k) => label(k));
    clashing.forEach((c, k) => void (c && start[k]--));
  }
}

export const RUN_ID_MAX_LENGTH = 120;

/**
 * A value as it appears in a run ID, with only file-name-safe characters: a scalar as written; a list as its items
 * joined by `+` (`[16, 32]` → `16+32`); a mapping as `key-value` pairs joined by `+`
 * (`{ type: sgd, learning_rate: 0.1 }` → `type-sgd+learning_rate-0.1`), nested ones flattened the same way.
 * Other characters become `_`. Values that read alike here are told apart elsewhere: plan.ts refuses a grid whose
 * runs would share a folder, and a run refuses a folder holding another configuration (runner/clash.ts).
 */
function idValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(idValue).join('+');
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${safe(k)}-${idValue(x)}`).join('+');
  return safe(String(v));
}

const safe = (text: string): string => text.replace(/[^A-Za-z0-9._+-]/g, '_');

/**
 * The run ID of a combination: `learning_rate=0.1,activation=tanh,seed=3`, in the axes' order. Deterministic,
 * safe as a folder name (never `.` or `..`: it always holds `=`); a long ID is cut and ends in a hash of the whole.
 */
export function runId(paths: readonly KeyPath[], values: readonly unknown[]): string {
  const names = shortNames(paths);
  const id = names.map((n, k) => `${n}=${idValue(values[k])}`).join(',');
  if (id.length <= RUN_ID_MAX_LENGTH) return id;
  let h = 0x811c9dc5; // FNV-1a over the full ID, so two long IDs that share a prefix stay apart
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return `${id.slice(0, RUN_ID_MAX_LENGTH - 9)}~${h.toString(16).padStart(8, '0')}`;
}
