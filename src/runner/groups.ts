// Which runs form a group and what each group is called: runs whose config.json differ only in seed and name
// (and run_id, the folder, and a cross-validation's fold) form one group; its label is the run name when that
// tells groups apart, else the swept values (a sweep's) or the settings in which it differs from the others of
// its name. Statistics are compare.ts's.

import { shortNames } from '../config/sweep.js';
import { formatPath } from '../errors.js';
import { formatNumber } from '../report/table.js';
import type { StoredRun } from './collect.js';

/** JSON with object keys sorted, so equal configurations give equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What makes runs one group: their configuration without seed and name (and run_id, the run's folder), and
 * without the cross-validation fold (data.split.fold): a configuration's folds are one group, as its seeds are.
 */
export function groupKey(config: Record<string, unknown>): string {
  const { seed: _seed, name: _name, run_id: _runId, ...rest } = config;
  const data = rest.data as { split?: Record<string, unknown> } | undefined;
  if (data?.split !== undefined && 'fold' in data.split) {
    const { fold: _fold, ...split } = data.split;
    rest.data = { ...data, split };
  }
  return canonical(rest);
}

/** A run's cross-validation fold (config.json's data.split.fold), if it is one. */
export function foldOf(config: Record<string, unknown>): number | undefined {
  const fold = (config.data as { split?: { fold?: unknown } } | undefined)?.split?.fold;
  return typeof fold === 'number' ? fold : undefined;
}

/** The number of folds of a run's cross-validation (config.json's data.split.folds), if it is one. All runs of
 *  a group have the same (groupKey keeps it). */
export function foldsOf(config: Record<string, unknown>): number | undefined {
  const folds = (config.data as { split?: { folds?: unknown } } | undefined)?.split?.folds;
  // NOTE: as the schema allows (2 or more, whole): a hand-edited config.json's folds: 1 would make the correction infinite.
  return typeof folds === 'number' && Number.isInteger(folds) && folds >= 2 ? folds : undefined;
}

/** A run's swept values without those that tell a group's runs apart: seed and fold. */
export function sweptSetting(values: Record<string, unknown>): Record<string, unknown> {
  const { seed: _seed, fold: _fold, ...setting } = values;
  return setting;
}

/** Short names of swept keys as run IDs name them (sweep.ts's shortNames): `learning_rate`, and
 *  `0.units`, `1.units` (model.layers.0.units, model.layers.1.units) where two keys end alike; by key as written in the sweep. */
export function sweptNames(keys: readonly string[]): Map<string, string> {
  const unique = [...new Set(keys)];
  const names = shortNames(unique.map((k) => k.split('.')));
  return new Map(unique.map((k, i) => [k, names[i]]));
}

/** A swept value as labels show it: text as it is, anything else as JSON (a number in its shortest round-trip
 *  form: two values never read alike); in a random search (`drawn`: the run's swept values have `sample`) a
 *  fraction to 4 significant digits, the label's sample=K telling samples apart. */
export function sweptValueText(v: unknown, drawn = false): string {
  return typeof v === 'string' ? v : drawn && typeof v === 'number' && !Number.isInteger(v) ? formatNumber(v) : JSON.stringify(v);
}

/** Whether these runs' swept values are a random search's draws (they have its sample number). */
export const isDrawn = (swept: Record<string, unknown> | undefined): boolean => swept !== undefined && 'sample' in swept;

/** Leaf values of a configuration by dotted path (`model.layers[0].activation` → "tanh"). */
function leaves(value: unknown, path: (string | number)[] = [], out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  } else out.set(formatPath(path), typeof value === 'string' ? value : JSON.stringify(value));
  return out;
}

/** A key path's last two names, for labels: `model.layers[0].activation` → `layers[0].activation`. */
function shortKey(path: string): string {
  const parts = path.split('.');
  return parts.slice(-2).join('.');
}

/** The swept keys whose drawn values two groups would show alike at 4 digits (sweptValueText): shown in full. */
function drawnAlike(groups: readonly StoredRun[][]): Set<string> {
  const alike = new Set<string>();
  const byKey = new Map<string, Map<string, string>>(); // key → 4-digit text → the value's JSON
  for (const g of groups) {
    for (const [k, v] of Object.entries(sweptSetting(g[0].swept!))) {
      const texts = byKey.get(k) ?? new Map<string, string>();
      const [text, json] = [sweptValueText(v, isDrawn(g[0].swept)), JSON.stringify(v)];
      if ((texts.get(text) ?? json) !== json) alike.add(k);
      byKey.set(k, texts.set(text, json));
    }
  }
  return alike;
}

/**
 * Group labels: the run name when it tells groups apart, else the name and the settings in which the group
 * differs from the others of that name (`xor: optimizer.learning_rate=0.5, layers[0].activation="tanh"`).
 */
export function labels(groups: StoredRun[][]): string[] {
  const base = groups.map((runs) => [...new Set(runs.map((r) => r.name))].join('/'));
  // Sweep runs are told apart by their swept values, as written in the sweep (seed and fold aside); others by their settings.
  const bySweep = groups.every((g) => g[0].swept);
  const names = sweptNames(bySweep ? groups.flatMap((g) => Object.keys(g[0].swept!)) : []);
  const alike = bySweep ? drawnAlike(groups) : new Set<string>();
  const swept = (runs: StoredRun[]) => {
    const values = sweptSetting(runs[0].swept ?? {});
    return new Map(Object.entries(values).map(([k, v]) => [names.get(k)!, sweptValueText(v, isDrawn(runs[0].swept) && !alike.has(k))]));
  };
  const settings = groups.map((runs) => (bySweep ? swept(runs) : leaves(JSON.parse(groupKey(runs[0].config)))));
  const oneName = new Set(base).size === 1;
  const configs = bySweep ? groups.map((runs) => leaves(JSON.parse(groupKey(runs[0].config)))) : settings;
  const out = base.map((b, i) => {
    const peers = base.flatMap((other, j) => (other === b ? [j] : []));
    if (peers.length === 1) return b;
    const differs = apart(peers, settings).map((k) => `${bySweep ? k : shortKey(k)}=${settings[i].get(k) ?? 'unset'}`);
    // NOTE: sweeps alike in their swept values (seed and fold aside: a --set run's beside the file's) differ in settings.
    const twins = bySweep ? peers.filter((j) => apart([i, j], settings).length === 0) : [];
    if (twins.length > 1) differs.push(...apart(twins, configs).map((k) => `${shortKey(k)}=${configs[i].get(k) ?? 'unset'}`));
    return oneName && bySweep ? differs.join(', ') : `${b}: ${differs.join(', ')}`;
  });
  return out.map((l, i) => (out.indexOf(l) === i ? l : `${l} (${i + 1})`));
}

/** The keys whose values differ among these groups' settings (group index → key → value text), in first-seen order. */
function apart(peers: readonly number[], settings: readonly Map<string, string>[]): string[] {
  const keys = [...new Set(peers.flatMap((j) => [...settings[j].keys()]))];
  return keys.filter((k) => new Set(peers.map((j) => settings[j].get(k))).size > 1);
}
