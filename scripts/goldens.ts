// The shipped experiments (every experiments/**/*.yaml) and the project root. Their golden loss logs and
// expectations are checked by the same code as `mlplab check` (src/runner/check.ts): the golden test and
// `npm run golden:update` call it; neither lists experiment names.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const EXPERIMENTS_DIR = join(ROOT, 'experiments');

/** Every shipped experiment file (experiments/ and its subfolders, such as learn/), sorted. */
export function shippedExperiments(): string[] {
  return (readdirSync(EXPERIMENTS_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(EXPERIMENTS_DIR, f));
}
