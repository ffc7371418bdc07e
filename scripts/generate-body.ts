// Writes data/body.csv: synthetic body measurements for a 3-output regression with targets far from 0
// (arm span ≈ 175 cm, shoe size ≈ 40, neck ≈ 35 cm), drawn from mlplab's seeded Rng by the formulas below,
// so the file is reproducible: `npx tsx scripts/generate-body.ts` rewrites it byte for byte.
//   height ~ N(170, 9) cm;  group ∈ {0, 1} (p = 1/2);  weight = 0.9·(height − 100) + 6·group + N(0, 9) kg;
//   age ~ U[18, 80) years
//   arm_span = 1.02·height + 3·group − 0.05·(age − 50) + N(0, 3)
//   shoe_size = 0.22·height + 2·group + 0.01·weight + N(0, 0.8)
//   neck = 20 + 0.2·weight + 3·group + 2·tanh((weight − 75) / 10) + 0.002·(age − 50)² + N(0, 1)
// Values are rounded to 0.1 (shoe size to 0.5), as measured values would be.

import { writeFileSync } from 'node:fs';
import { csvText } from '../src/files/losslog.js';
import { Rng } from '../src/random.js';

const SEED = 2026;
const ROWS = 400;
const round = (v: number, step: number) => Math.round(v / step) * step;
const tenth = (v: number) => Number(round(v, 0.1).toFixed(1));

const rng = new Rng(SEED);
const rows = Array.from({ length: ROWS }, () => {
  const height = rng.normal(170, 9);
  const group = rng.next() < 0.5 ? 0 : 1;
  const weight = 0.9 * (height - 100) + 6 * group + rng.normal(0, 9);
  const age = rng.uniform(18, 80);
  const armSpan = 1.02 * height + 3 * group - 0.05 * (age - 50) + rng.normal(0, 3);
  const shoe = 0.22 * height + 2 * group + 0.01 * weight + rng.normal(0, 0.8);
  const neck = 20 + 0.2 * weight + 3 * group + 2 * Math.tanh((weight - 75) / 10) + 0.002 * (age - 50) ** 2 + rng.normal(0, 1);
  return [tenth(height), tenth(weight), tenth(age), group, tenth(armSpan), Number(round(shoe, 0.5).toFixed(1)), tenth(neck)];
});
const file = new URL('../data/body.csv', import.meta.url);
writeFileSync(file, csvText(['height_cm', 'weight_kg', 'age_years', 'group', 'arm_span_cm', 'shoe_size_eu', 'neck_cm'], rows));
console.log(`wrote ${file.pathname} (${ROWS} rows)`);
