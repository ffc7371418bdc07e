// A run folder named by its overrides (results/NAME/units=8/) may already hold a run whose overrides were other
// key paths with the same readable ID (`--set model.layers[0].units=8` and `--set model.layers[1].units=8` both
// give `units=8`; `path=d/b.csv` and `path=d_b.csv` both give `path=d_b.csv`). Before anything runs, the
// folder's config.json is compared with this run's at every key path this run overrides or sweeps (a random
// search's drawn keys too: sample=K names no values, and a range edited since draws others): a value that
// differs means another configuration, and the run is refused instead of replacing it. Other keys may differ (the
// experiment file edited since): that is the same run again, and it replaces the folder as before.

import { join } from 'node:path';
import { formatPath, UserError, type KeyPath } from '../errors.js';
import { sweptKeyPath, type Plan, type PlannedRun } from '../config/plan.js';
import { parseKeyPath } from '../config/sweep.js';
import { readRunJson } from '../files/runfile.js';
import { kindOf } from '../files/safefs.js';
import { configSnapshot } from './snapshot.js';

/**
 * The key paths a run of this plan sets: the keys of its sweep values (a random search's drawn keys too: its axis
 * `sample` is no key of the config, and sample=K of an edited range is another configuration), --set's keys and --seed.
 */
function overriddenPaths(plan: Plan, run: PlannedRun): KeyPath[] {
  const paths: KeyPath[] = Object.keys(run.values).map(sweptKeyPath);
  for (const text of plan.options.set ?? []) {
    const eq = text.indexOf('=');
    if (eq > 0) paths.push(parseKeyPath(text.slice(0, eq).trim(), '--set'));
  }
  if (plan.options.seed !== undefined) paths.push(['seed']);
  return paths;
}

/** The value at a key path of a parsed JSON value (undefined where the path leaves it). summary.ts uses it too. */
export function valueAt(node: unknown, path: KeyPath): unknown {
  for (const seg of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}

const shown = (v: unknown): string => (v === undefined ? 'not set' : JSON.stringify(v).slice(0, 200));

/** Throws a UserError when outDir's config.json differs from this run's at a key path the run sets. */
export function checkFolderConfiguration(plan: Plan, run: PlannedRun, outDir: string): void {
  if (run.runPath === '') return; // results/NAME: the experiment's own folder, named by its name alone
  const file = join(outDir, 'config.json');
  if (kindOf(file) !== 'file') return;
  let theirs: unknown;
  try {
    theirs = readRunJson(file);
  } catch {
    return; // not a readable config: nothing to compare (the run replaces it, as a damaged folder)
  }
  const ours: unknown = JSON.parse(configSnapshot(run.exp.config, run.exp.baseDir, () => '').configText);
  for (const path of overriddenPaths(plan, run)) {
    const [there, here] = [valueAt(theirs, path), valueAt(ours, path)];
    if (JSON.stringify(there) === JSON.stringify(here)) continue;
    throw new UserError(
      'check',
      `${outDir} holds a run of another configuration under the same run ID: ${formatPath(path)} is ${shown(there)} there, ${shown(here)} here; ` +
        'give this run a folder of its own (--set run_id=...), or remove that folder',
      { file: plan.file },
    );
  }
}
