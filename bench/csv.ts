// Reading a large CSV file: time and peak memory (max RSS) of `mlplab validate` and `mlplab predict` on a
// 728,000-row × 11-column file (~50 MB, diabetes-like rows with 3 decimals), generated in a temp folder.
// Run with `npm run bench:csv` (builds first: it runs bin/mlplab.js, as a user would). Medians of REPS runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROWS = 728_000;
const REPS = 3;
// NOTE: peak memory from bench/maxrss.cjs (VmHWM on Linux): a child's maxRSS also counts this process's pages
// it held between fork and exec, and this process holds the whole file's text.
const PROBE = join(ROOT, 'bench', 'maxrss.cjs');

/** diabetes.csv's rows repeated, with a small deterministic jitter on the measurements. */
function writeBigCsv(file: string): void {
  const [header, ...rows] = readFileSync(join(ROOT, 'data', 'diabetes.csv'), 'utf8').trim().split(/\r?\n/);
  const out = [header];
  let s = 1;
  const jitter = () => ((s = (s * 1103515245 + 12345) % 2147483648), (s / 2147483648) * 0.01);
  for (let i = 0; i < ROWS; i++) {
    const f = rows[i % rows.length].split(',');
    out.push(f.map((v, k) => (k === 1 || k === 10 ? v : (Number(v) + jitter()).toFixed(3))).join(','));
  }
  writeFileSync(file, out.join('\n') + '\n');
}

/** Seconds and peak MB of one CLI call. */
function timed(args: string[]): { seconds: number; mb: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', PROBE, join(ROOT, 'bin', 'mlplab.js'), ...args], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`mlplab ${args.join(' ')} failed:\n${r.stderr}`);
  const bytes = Number(/^peak RSS (\d+)$/m.exec(r.stderr)?.[1]);
  return { seconds, mb: bytes / 2 ** 20 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(os.tmpdir(), 'mlplab-bench-csv-'));
try {
  const csv = join(dir, 'big.csv');
  writeBigCsv(csv);
  const sizeMb = statSync(csv).size / 2 ** 20;
  const yaml = join(dir, 'big.yaml');
  const model = join(dir, 'model.json');
  const layers = '[{ units: 32, activation: relu }, { units: 1, activation: linear }]';
  writeFileSync(yaml, `data: { csv: { path: big.csv, target: progression }, split: { test: 0.2 }, preprocess: standardize }\nmodel: { layers: ${layers} }\nloss: mse\ntraining: { epochs: 1, optimizer: { type: adam, learning_rate: 0.01 } }\n`);
  // The model predict uses: the same network trained briefly on data/diabetes.csv.
  const small = join(dir, 'small.yaml');
  const diabetes = join(ROOT, 'data', 'diabetes.csv');
  writeFileSync(small, readFileSync(yaml, 'utf8').replace('path: big.csv', `path: ${JSON.stringify(diabetes)}`).replace('epochs: 1', 'epochs: 5'));
  spawnSync(process.execPath, [join(ROOT, 'bin', 'mlplab.js'), 'run', small, '--out', dir, '-q']);
  writeFileSync(model, readFileSync(join(dir, 'small', 'model.json')));
  console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`file: ${ROWS} rows × 11 columns, ${sizeMb.toFixed(1)} MiB`);
  for (const [name, args] of [['validate', ['validate', '-q', yaml]], ['predict', ['predict', model, csv, '--out', join(dir, 'pred.csv')]]] as const) {
    const runs = Array.from({ length: REPS }, () => timed([...args]));
    const s = median(runs.map((r) => r.seconds));
    const mb = median(runs.map((r) => r.mb));
    console.log(`${name.padEnd(8)} median ${s.toFixed(2)} s, peak ${mb.toFixed(0)} MiB (${(mb / sizeMb).toFixed(1)}× the file)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
