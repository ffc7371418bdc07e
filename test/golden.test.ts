// Golden tests, through `mlplab check`'s own code (src/runner/check.ts): every shipped experiment is rerun
// (every run of its sweep), its base run's loss log compared with its golden file within a relative 1e-9, and
// its `expect:` bounds (for a sweep: each group's mean over seeds) checked. Adding a shipped experiment is
// adding its YAML file (with expect:) and its golden (mlplab check --update FILE); no name is listed here.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/config/load.js';
import { checkExperiment, formatDrift } from '../src/runner/check.js';
import { shippedExperiments } from '../scripts/goldens.js';

describe('shipped experiments (mlplab check)', () => {
  for (const file of shippedExperiments()) {
    const name = basename(file, '.yaml');
    it(`${name}: matches its golden loss log and its expect: bounds`, { timeout: 300_000 }, () => {
      expect(Object.keys(loadExperiment(file).expect ?? {}), `${name} declares no expect:`).not.toEqual([]);
      const report = checkExperiment(file);
      expect(report.golden, `no golden file for ${name}: run mlplab check --update ${file}`).toBeDefined();
      expect(report.drifts.map(formatDrift)).toEqual([]);
    });
  }
});
