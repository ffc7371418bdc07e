// Writes data/digit-properties.csv: the 1797 images of data/digits.csv (64 pixel columns p0..p63) with three
// 0/1 labels in place of the digit, for a multilabel example (experiments/digit-properties.yaml): a digit can
// be several of them at once, or none (0 and 1 are none of them; 5 and 7 are all three).
//   even: the digit is 0, 2, 4, 6 or 8;  large: the digit is 5 or more;  prime: the digit is 2, 3, 5 or 7.
// `npx tsx scripts/generate-digit-properties.ts` rewrites it byte for byte from data/digits.csv.

import { readFileSync, writeFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url);
const [header, ...lines] = readFileSync(new URL('data/digits.csv', ROOT), 'utf8').trimEnd().split(/\r?\n/);
const names = header.split(',');
const digitAt = names.indexOf('digit');
if (digitAt !== names.length - 1) throw new Error('expected digit as the last column of data/digits.csv');
const labels = (d: number) => [d % 2 === 0 ? 1 : 0, d >= 5 ? 1 : 0, [2, 3, 5, 7].includes(d) ? 1 : 0];
const out = [[...names.slice(0, digitAt), 'even', 'large', 'prime'].join(',')];
for (const line of lines) {
  const cells = line.split(',');
  out.push([...cells.slice(0, digitAt), ...labels(Number(cells[digitAt]))].join(','));
}
writeFileSync(new URL('data/digit-properties.csv', ROOT), out.join('\n') + '\n');
console.log(`wrote data/digit-properties.csv: ${lines.length} rows`);
