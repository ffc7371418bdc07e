// Regenerates test/golden/NAME.csv for every shipped experiment (or the ones named): npm run golden:update [NAME...].
// Only ever run on purpose: a golden changes when a change to the numbers is intended, and the commit says why.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { goldenFileOf, lossCsvOf, shippedExperiments } from './goldens.js';

const only = process.argv.slice(2);
for (const file of shippedExperiments()) {
  const name = basename(file, '.yaml');
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = performance.now();
  const { csv } = lossCsvOf(file);
  writeFileSync(goldenFileOf(file), csv);
  console.log(`${name}: wrote ${goldenFileOf(file)} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
}
