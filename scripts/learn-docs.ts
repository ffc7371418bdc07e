// Regenerates the charts and tables of docs/learn.md (run: npm run docs:learn): runs every lesson in
// experiments/learn/ into a temporary results folder, compares each with `mlplab compare`, and writes
// docs/learn/NAME.svg (the chart) and docs/learn/NAME.txt (the table) for the page to show.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../src/cli.js';
import { ROOT } from './goldens.js';

/** Each chart: the lessons' result folders it compares, the column it plots, on a log scale or not. */
const CHARTS: { name: string; lessons: string[]; curve: string; log: boolean; by?: string }[] = [
  { name: 'activations', lessons: ['activations'], curve: 'train_loss', log: true },
  { name: 'batch-interval', lessons: ['batch-interval'], curve: 'train_loss', log: true },
  { name: 'reduction', lessons: ['reduction'], curve: 'train_loss', log: true },
  { name: 'three-classes', lessons: ['three-classes-softmax', 'three-classes-mse'], curve: 'test_accuracy', log: false, by: 'test_accuracy' },
  { name: 'init', lessons: ['init'], curve: 'train_loss', log: true },
  { name: 'learning-rate', lessons: ['learning-rate'], curve: 'train_loss', log: true },
];

/** Runs mlplab; returns what it printed on stdout and its 'left out' lines (runs that did not complete). */
async function cli(argv: string[], allowed: number[] = [0]): Promise<string> {
  let out = '';
  let leftOut = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (t.startsWith('left out') ? (leftOut += t) : process.stderr.write(t)) };
  const code = await main(argv, io);
  if (!allowed.includes(code)) throw new Error(`mlplab ${argv.join(' ')} exited ${code}`);
  return out + leftOut;
}

const work = mkdtempSync(join(tmpdir(), 'mlplab-learn-docs-'));
try {
  const docs = join(ROOT, 'docs', 'learn');
  mkdirSync(docs, { recursive: true });
  for (const chart of CHARTS) {
    // A lesson may show a diverging run on purpose: exit 4 (diverged) is expected there.
    for (const lesson of chart.lessons) await cli(['run', join(ROOT, 'experiments', 'learn', `${lesson}.yaml`), '--out', work, '--quiet', '--jobs', '2'], [0, 4]);
    const out = join(work, `compare-${chart.name}`);
    const args = ['compare', ...chart.lessons.map((l) => join(work, `learn-${l}`)), '--out', out, '--curve', chart.curve, ...(chart.log ? ['--log-scale'] : []), ...(chart.by ? ['--by', chart.by] : [])];
    const table = await cli(args);
    writeFileSync(join(docs, `${chart.name}.txt`), table.replaceAll(work, 'results'));
    copyFileSync(join(out, 'compare.svg'), join(docs, `${chart.name}.svg`));
    console.log(`wrote docs/learn/${chart.name}.svg and .txt`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
