// What the evaluate test needs besides the CLI: the public API and a CSV reader independent of evaluate's.
import { readFileSync } from 'node:fs';
export { loadExperiment, predict, runExperiment } from '../../src/index.js';

/** A plain comma-separated file (no quoting), header row first. */
export function readCsvForTests(file: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
  return { header, rows };
}
