// `npm run bench:sweep`: what a user waits for, a sweep from the command to the last file, as whole processes on
// equal cores (issue 22). The digits sweep (learning rate 3e-4/1e-3/3e-3 × 16/64/128 relu units × seeds 0–4 = 45
// runs; adam, batch 32, 50 epochs, standardized, stratified 80/20 split) by `mlplab run --jobs 2`, by scikit-learn
// (MLPClassifier under joblib, n_jobs=2) and by PyTorch float64 (2 processes of 1 thread) through
// bench/sweep_peers.py, each on the same runs and the same train/test rows; and XOR's 1,000 seeds
// (experiments/xor-softmax.yaml) by mlplab serially and with --jobs 2, and with --jobs 2 at one epoch a run (what
// the runs cost besides training: their folders and records). Prints the median time, runs/s and the mean
// final metric of each (a broken run cannot look fast), with the load average around each measurement (the
// machine may be shared), and writes it all to bench/results/sweep-DATE-COMMIT.json with the machine and commit.
// The tools take turns within each repetition, so a disturbance spreads over all of them.
// The same on regression-shaped data: diabetes (lr 1e-3/3e-3/1e-2 × 16/64/128 × seeds 0–4, 100 epochs, inputs and
// targets standardized, mean test R²).
// Options: --reps N (default 3); --no-peers; other words keep the sweeps whose name has one (digits, diabetes,
// xor). Needs dist/ (the npm script builds it) and, for the peers, a python3
// that imports sklearn and torch (MLPLAB_PYTHON, else /usr/bin/python3).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadExperiment, prepare } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JOBS = 2;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** One timed whole process: its seconds, the load average before and after, and what it reports. */
interface Timed {
  seconds: number;
  load: [string, string];
  runs: number;
  completed: number;
  mean: number;
}

/** A contender: how to start its process, and how to read its runs and mean metric once it has exited. */
interface Contender {
  sweep: string;
  who: string;
  metric: string;
  command: () => { file: string; args: string[]; env?: NodeJS.ProcessEnv; out?: string };
  read: (stdout: string, out?: string) => Omit<Timed, 'seconds' | 'load'>;
}

function timeProcess(c: Contender): Timed {
  const { file, args, env, out } = c.command();
  const before = loadavg();
  const t0 = process.hrtime.bigint();
  const run = spawnSync(file, args, { cwd: ROOT, encoding: 'utf8', env: env ?? process.env, maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const load: [string, string] = [before, loadavg()];
  if (run.status !== 0) throw new Error(`${c.sweep} ${c.who}: exit ${run.status}: ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  // NOTE: the output is removed with the whole benchmark folder at the end, not here: on ext4, files created
  // within minutes of others deleted nearby make the kernel skip over those "recently deleted" inodes one by
  // one (ext4 find_inode_bit → recently_deleted), which took 20% of a 1,000-run XOR sweep's time after one
  // deleted before it (perf record): each repetition would slow the next.
  return { seconds, load, ...c.read(run.stdout, out) };
}

/** The runs of an mlplab sweep's summary.csv: how many, how many completed, the mean of `metric` over those. */
function summaryOf(out: string, name: string, metric: string): Omit<Timed, 'seconds' | 'load'> {
  const rows: Record<string, string>[] = parse(readFileSync(join(out, name, 'summary.csv')), { columns: true });
  const done = rows.filter((r) => r.status === 'completed');
  return { runs: rows.length, completed: done.length, mean: done.reduce((s, r) => s + Number(r[metric]), 0) / done.length };
}

/** A sweep the three contenders run: a base experiment and a grid of learning rate × first layer's units × seed. */
interface Sweep {
  name: string;
  /** The experiment's name (its folder below --out). */
  file: string;
  csv: string;
  target: string;
  task: 'classification' | 'regression';
  metric: string;
  outputs: string;
  loss: string;
  epochs: number;
  grid: { learning_rate: number[]; units: number[]; seed: number[] };
}

const BATCH = 32;
const SWEEPS: Sweep[] = [
  { name: 'digits 45 runs', file: 'digits-sweep', csv: 'digits.csv', target: 'digit', task: 'classification', metric: 'test_accuracy', outputs: '{ units: 10, activation: softmax }',
    loss: 'cross_entropy', epochs: 50, grid: { learning_rate: [0.0003, 0.001, 0.003], units: [16, 64, 128], seed: [0, 1, 2, 3, 4] } },
  { name: 'diabetes 45 runs', file: 'diabetes-sweep', csv: 'diabetes.csv', target: 'progression', task: 'regression', metric: 'test_r2', outputs: '{ units: 1, activation: linear }',
    loss: 'mse', epochs: 100, grid: { learning_rate: [0.001, 0.003, 0.01], units: [16, 64, 128], seed: [0, 1, 2, 3, 4] } },
];

/** The sweep as an experiment file (log: the first and last epochs only, as the peers measure once). Regression
 *  standardizes its targets too, as the peers do (R² is the same in either units). */
function sweepYaml(w: Sweep): string {
  const preprocess = w.task === 'regression' ? '{ features: standardize, targets: standardize }' : 'standardize';
  return [
    `name: ${w.file}`,
    'data:',
    `  csv: { path: ${JSON.stringify(join(ROOT, 'data', w.csv))}, target: ${w.target} }`,
    '  split: { test: 0.2 }',
    `  preprocess: ${preprocess}`,
    'model:',
    `  layers: [{ units: 64, activation: relu }, ${w.outputs}]`,
    '  init: { scheme: he_uniform }',
    `loss: ${w.loss}`,
    `training: { epochs: ${w.epochs}, batch_size: ${BATCH}, optimizer: { type: adam, learning_rate: 0.001 } }`,
    `log: { every: ${w.epochs} }`,
    'sweep:',
    `  training.optimizer.learning_rate: [${w.grid.learning_rate.join(', ')}]`,
    `  model.layers[0].units: [${w.grid.units.join(', ')}]`,
    `  seed: [${w.grid.seed.join(', ')}]`,
    '',
  ].join('\n');
}

/** The peers' SPEC.json: the runs and, per seed, the train and test rows of mlplab's split (made by prepare). */
function sweepSpec(w: Sweep, yamlFile: string): object {
  const splits: Record<number, { train: number[]; test: number[] }> = {};
  for (const seed of w.grid.seed) {
    const { split } = prepare(loadExperiment(yamlFile, { seed })).data;
    splits[seed] = { train: Array.from(split.train), test: Array.from(split.test) };
  }
  const runs = w.grid.learning_rate.flatMap((learning_rate) => w.grid.units.flatMap((units) => w.grid.seed.map((seed) => ({ learning_rate, units, seed }))));
  return { csv: join(ROOT, 'data', w.csv), target: w.target, task: w.task, epochs: w.epochs, batch_size: BATCH, jobs: JOBS, runs, splits };
}

/** A python3 that imports sklearn, torch and joblib, or null. */
function findPython(): string | null {
  for (const py of [process.env.MLPLAB_PYTHON, '/usr/bin/python3'].filter((p): p is string => !!p)) {
    if (spawnSync(py, ['-c', 'import sklearn, torch, joblib'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

function contenders(dir: string, py: string | null, filters: string[]): Contender[] {
  let n = 0;
  const mlplab = (sweep: string, who: string, metric: string, name: string, args: string[]): Contender => ({
    sweep, who, metric,
    command: () => {
      const out = join(dir, `out-${n++}`);
      return { file: process.execPath, args: [join(ROOT, 'bin', 'mlplab.js'), 'run', ...args, '--out', out, '--quiet'], out };
    },
    read: (_stdout, out) => summaryOf(out!, name, metric),
  });
  // One BLAS/OpenMP thread in every peer process: the two workers are the two cores.
  const oneThread = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const peer = (w: Sweep, specFile: string, who: string, name: string): Contender => ({
    sweep: w.name, who, metric: w.metric,
    command: () => ({ file: py!, args: [join(ROOT, 'bench', 'sweep_peers.py'), name, specFile], env: oneThread }),
    read: (stdout) => {
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as { runs: number; completed: number; mean: number };
      return { runs: r.runs, completed: r.completed, mean: r.mean };
    },
  });
  const wanted = (name: string) => filters.length === 0 || filters.some((f) => name.includes(f));
  const all: Contender[] = [];
  for (const w of SWEEPS.filter((w) => wanted(w.name))) {
    const yamlFile = join(dir, `${w.file}.yaml`);
    writeFileSync(yamlFile, sweepYaml(w));
    const specFile = join(dir, `${w.file}-spec.json`);
    writeFileSync(specFile, JSON.stringify(sweepSpec(w, yamlFile)));
    all.push(mlplab(w.name, `mlplab --jobs ${JOBS}`, w.metric, w.file, [yamlFile, '--jobs', String(JOBS)]));
    if (py) all.push(peer(w, specFile, `scikit-learn, joblib n_jobs=${JOBS}`, 'sklearn'), peer(w, specFile, `PyTorch float64, ${JOBS} processes × 1 thread`, 'torch'));
  }
  if (wanted('xor')) {
    const xorSeeds = `seed=${Array.from({ length: 1000 }, (_, i) => i).join(',')}`;
    const xor = join(ROOT, 'experiments', 'xor-softmax.yaml');
    all.push(
      mlplab('xor 1,000 seeds', 'mlplab serial', 'train_accuracy', 'xor-softmax', [xor, '--sweep', xorSeeds]),
      mlplab('xor 1,000 seeds', `mlplab --jobs ${JOBS}`, 'train_accuracy', 'xor-softmax', [xor, '--sweep', xorSeeds, '--jobs', String(JOBS)]),
      // The floor under the target: the same runs with one epoch each, all but their folders and records (the file
      // itself, not --set, which would put the runs one folder deeper).
      mlplab('xor 1,000 seeds, 1 epoch', `mlplab --jobs ${JOBS}`, 'train_accuracy', 'xor-softmax', [oneEpoch(xor, dir), '--sweep', xorSeeds, '--jobs', String(JOBS)]),
    );
  }
  return all;
}

/** A copy of experiment `file` (in a folder of its own below dir, under its own name) training one epoch. */
function oneEpoch(file: string, dir: string): string {
  const text = readFileSync(file, 'utf8');
  const copy = text.replace(/^(\s+epochs:\s*)\d+/m, '$11');
  if (copy === text) throw new Error(`${file}: no training.epochs line to set to 1`);
  mkdirSync(join(dir, 'one-epoch'), { recursive: true });
  const out = join(dir, 'one-epoch', basename(file));
  writeFileSync(out, copy);
  return out;
}

/** XOR's --jobs times against issue 22's target, with the floor under it (the runs at one epoch each), when both ran. */
function xorNote(results: readonly { sweep: string; who: string; median_seconds: number }[]): string[] {
  const at = (sweep: string) => results.find((r) => r.sweep === sweep && r.who === `mlplab --jobs ${JOBS}`)?.median_seconds;
  const [full, floor] = [at('xor 1,000 seeds'), at('xor 1,000 seeds, 1 epoch')];
  if (full === undefined || floor === undefined) return [];
  return [`xor 1,000 seeds: mlplab --jobs ${JOBS} ${full.toFixed(2)} s (issue 22's target: under 1.5 s); at one epoch a run, all but training, ${floor.toFixed(2)} s`];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ') + ' |';
  return [line(rows[0]), '|' + widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.slice(1).map(line)].join('\n');
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--reps');
  const reps = ri >= 0 ? Number(args[ri + 1]) : 3;
  const py = args.includes('--no-peers') ? null : findPython();
  const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--reps');
  const cpus = os.cpus();
  const machine = { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memory_gb: Number((os.totalmem() / 1e9).toFixed(1)), node: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}` };
  const commit = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', 'src']) !== '';
  const versions = py ? execFileSync(py, ['-c', 'import sys, sklearn, torch, joblib, numpy; print(sys.version.split()[0], sklearn.__version__, torch.__version__, joblib.__version__, numpy.__version__)'], { encoding: 'utf8' }).trim().split(' ') : [];
  const peers = py ? { python: py, version: versions[0], sklearn: versions[1], torch: versions[2], joblib: versions[3], numpy: versions[4] } : null;
  console.log(`date:    ${new Date().toISOString()}`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} logical cores, ${machine.memory_gb} GB; node ${process.version}`);
  console.log(`commit:  ${commit}${dirty ? ' (src/ has uncommitted changes)' : ''}`);
  console.log(peers ? `peers:   python ${peers.version}, scikit-learn ${peers.sklearn}, torch ${peers.torch}, joblib ${peers.joblib}` : 'peers:   skipped (--no-peers, or no python3 imports sklearn, torch and joblib)');
  console.log(`method:  whole processes, ${JOBS} workers each; median of ${reps} repetitions, the contenders taking turns; load average (1, 5, 15 min) from /proc/loadavg before and after each\n`);
  const dir = mkdtempSync(join(os.tmpdir(), 'mlplab-bench-sweep-'));
  try {
    const all = contenders(dir, py, filters);
    const times: Timed[][] = all.map(() => []);
    for (let r = 0; r < reps; r++) {
      for (let k = 0; k < all.length; k++) {
        const i = (k + r) % all.length; // a different first contender each repetition
        const t = timeProcess(all[i]);
        times[i].push(t);
        console.log(`rep ${r + 1}/${reps} ${all[i].sweep}, ${all[i].who}: ${t.seconds.toFixed(2)} s, mean ${all[i].metric} ${t.mean.toFixed(4)} (${t.completed}/${t.runs} completed), load ${t.load[0]} -> ${t.load[1]}`);
      }
    }
    const rows = [['sweep', 'who', 'median s', 'min–max s', 'runs/s', 'mean final metric', 'completed', 'load avg (1 min) seen']];
    const results = all.map((c, i) => {
      const s = times[i].map((t) => t.seconds);
      const m = median(s);
      const loads = times[i].flatMap((t) => t.load.map((l) => Number(l.split(' ')[0])));
      const last = times[i][times[i].length - 1];
      rows.push([c.sweep, c.who, m.toFixed(2), `${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)}`, (last.runs / m).toFixed(1),
        `${c.metric} ${median(times[i].map((t) => t.mean)).toFixed(4)}`, `${last.completed}/${last.runs}`, `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`]);
      return { sweep: c.sweep, who: c.who, metric: c.metric, median_seconds: m, runs_per_second: last.runs / m, repetitions: times[i] };
    });
    console.log('\n' + table(rows));
    const ratio = (sweep: string, peer: string) => {
      const x = results.find((r) => r.who.startsWith('mlplab') && r.sweep === sweep);
      const y = results.find((r) => r.who.startsWith(peer) && r.sweep === sweep);
      return x && y ? `${(y.median_seconds / x.median_seconds).toFixed(2)}×` : 'n/a';
    };
    const notes = [
      ...SWEEPS.filter((w) => results.some((r) => r.sweep === w.name && r.who.startsWith('scikit'))).map((w) =>
        `${w.name}: mlplab --jobs ${JOBS} is ${ratio(w.name, 'scikit-learn')} scikit-learn's speed and ${ratio(w.name, 'PyTorch')} PyTorch's${w.name.startsWith('digits') ? " (issue 22's target: ≥ 3× scikit-learn's)" : ''}`),
      ...xorNote(results),
      'the machine may be shared: a load average above the cores used (2) means other work ran beside the benchmark, and the times are then upper bounds',
    ];
    for (const n of notes) console.log(`- ${n}`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const file = join(ROOT, 'bench', 'results', `sweep-${stamp}-${commit.slice(0, 7)}.json`);
    const record = { benchmark: 'bench:sweep', date: new Date().toISOString(), commit, src_dirty: dirty, machine, peers, reps, jobs: JOBS, results, table: table(rows), notes };
    writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
    console.log(`\nwritten: ${file.slice(ROOT.length)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
