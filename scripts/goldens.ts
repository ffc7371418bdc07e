// The golden loss logs: which experiments have one, where it lives, and how a run's CSV is computed.
// Shared by the golden test (compares) and `npm run golden:update` (writes, on purpose only).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../src/config/load.js';
import { lossLogCsv } from '../src/files/losslog.js';
import { trainExperiment } from '../src/runner/run.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const EXPERIMENTS_DIR = join(ROOT, 'experiments');
export const GOLDEN_DIR = join(ROOT, 'test', 'golden');

/** Every shipped experiment file, sorted. */
export function shippedExperiments(): string[] {
  return readdirSync(EXPERIMENTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(EXPERIMENTS_DIR, f));
}

export const goldenFileOf = (experiment: string): string => join(GOLDEN_DIR, basename(experiment, '.yaml') + '.csv');

/** Trains the experiment (writing no files); returns its loss.csv text and the run. */
export function lossCsvOf(experiment: string) {
  const result = trainExperiment(loadExperiment(experiment));
  return { csv: lossLogCsv(result.columns, result.rows), result };
}
