// Rewrites the golden loss log of every shipped experiment (or of the ones named): npm run golden:update [NAME...],
// through `mlplab check --update`'s code. Only ever run on purpose: a golden changes when a change to the numbers
// is intended, and the commit says why.
import { basename } from 'node:path';
import { checkExperiment, formatDrift } from '../src/runner/check.js';
import { shippedExperiments } from './goldens.js';

const only = process.argv.slice(2);
for (const file of shippedExperiments()) {
  const name = basename(file, '.yaml');
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = performance.now();
  const report = checkExperiment(file, { update: true });
  console.log(`${name}: wrote ${report.golden} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  for (const d of report.drifts) console.log(`  ${formatDrift(d)}`);
}
