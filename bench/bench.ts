// Training throughput of the engine: samples per second of train() (forward, backward and optimizer step),
// the median of several timed repetitions after a warm-up. Run with `npm run bench`; pass words to run only
// the cases whose name contains one of them (`npm run bench -- 784`).
//
// Cases are entries of CASES below: add one to benchmark another shape. Each repetition runs whole epochs; the
// number of epochs per repetition is calibrated in the warm-up so a repetition lasts at least MIN_REP_SECONDS.

import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../src/config/load.js';
import type { Matrix } from '../src/matrix.js';
import { initialize } from '../src/model/init.js';
import type { LossName } from '../src/model/losses.js';
import { createNetwork, type LayerSpec } from '../src/model/network.js';
import { Rng } from '../src/random.js';
import type { OptimizerConfig } from '../src/training/optimizers/index.js';
import { train } from '../src/training/train.js';
import { prepareData } from '../src/runner/prepare.js';

const REPS = 5;
const MIN_REP_SECONDS = 0.4;
const SEED = 1;

interface Dataset {
  x: Matrix;
  y: Matrix;
  /** Where the rows came from, for the report. */
  source: string;
}

interface BenchCase {
  name: string;
  layers: LayerSpec[];
  loss: LossName;
  optimizer: OptimizerConfig;
  batchSize: number | 'full';
  /** Makes the data (inputs decide the network's input width). */
  data: () => Dataset;
}

/** Uniform [0, 1) inputs and random one-hot labels: for timing only. */
function synthetic(rows: number, inputs: number, classes: number, seed = SEED): Dataset {
  const rng = Rng.stream(seed, 'data');
  const x: Matrix = { data: new Float64Array(rows * inputs), rows, cols: inputs };
  const y: Matrix = { data: new Float64Array(rows * classes), rows, cols: classes };
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next();
  for (let r = 0; r < rows; r++) y.data[r * classes + rng.int(classes)] = 1;
  return { x, y, source: `synthetic ${rows}×${inputs}, dense uniform` };
}

const DIGITS_YAML = fileURLToPath(new URL('../experiments/digits.yaml', import.meta.url));

/** data/digits.csv (1,797 × 64, 10 classes), loaded as the shipped experiment does, all rows for training. */
function digits(): Dataset {
  const data = prepareData(loadExperiment(DIGITS_YAML, { set: ['data.split.test=0'] }));
  return { x: data.train.x, y: data.train.y, source: `data/digits.csv ${data.train.x.rows}×${data.train.x.cols}` };
}

/** Milliseconds to load the digits experiment's data: read and parse the CSV, encode, split, standardize. */
function loadTimes(reps: number): number[] {
  const exp = loadExperiment(DIGITS_YAML);
  prepareData(exp); // warm-up
  return Array.from({ length: reps }, () => {
    const t0 = process.hrtime.bigint();
    prepareData(exp);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}

const CASES: BenchCase[] = [
  {
    name: 'digits 64-32-10',
    layers: [
      { units: 32, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross_entropy',
    optimizer: { type: 'adam', learning_rate: 0.001 },
    batchSize: 32,
    data: digits,
  },
  {
    name: 'mnist-shape 784-128-10',
    layers: [
      { units: 128, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross_entropy',
    optimizer: { type: 'adam', learning_rate: 0.001 },
    batchSize: 64,
    data: () => synthetic(10_000, 784, 10),
  },
];

interface Result {
  c: BenchCase;
  data: Dataset;
  params: number;
  epochsPerRep: number;
  /** samples per second of each timed repetition */
  rates: number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function runCase(c: BenchCase): Result {
  const data = c.data();
  const net = createNetwork(data.x.cols, c.layers);
  initialize(net, { scheme: 'he_uniform' }, Rng.stream(SEED, 'init'));
  const params = net.layers.reduce((s, l) => s + l.w.length + l.b.length, 0);
  const rng = Rng.stream(SEED, 'shuffle');
  const epochs = (n: number): number => {
    const t0 = process.hrtime.bigint();
    train(net, data.x, data.y, { epochs: n, batchSize: c.batchSize, shuffle: true, loss: c.loss, reduction: 'mean', optimizer: c.optimizer, rng });
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  // Warm-up (lets V8 optimize the hot loops) and calibration.
  const first = epochs(1);
  const epochsPerRep = Math.max(1, Math.ceil(MIN_REP_SECONDS / first));
  epochs(epochsPerRep);
  const rates: number[] = [];
  for (let r = 0; r < REPS; r++) rates.push((epochsPerRep * data.x.rows) / epochs(epochsPerRep));
  return { c, data, params, epochsPerRep, rates };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function main(): void {
  const filters = process.argv.slice(2);
  const cases = filters.length ? CASES.filter((c) => filters.some((f) => c.name.includes(f))) : CASES;
  const cpus = os.cpus();
  console.log(`cpu:  ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores)`);
  console.log(`node: ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.release()} ${os.arch()}`);
  console.log(`method: train() with shuffle, float64, single thread; median of ${REPS} timed repetitions after a warm-up`);
  console.log('');
  if (filters.length === 0 || filters.some((f) => 'load'.includes(f))) {
    const ms = loadTimes(2 * REPS + 1);
    const r = (v: number) => v.toFixed(1);
    console.log(`load digits.csv (1,797 × 65: parse, encode, split, standardize): median ${r(median(ms))} ms (min ${r(Math.min(...ms))}, max ${r(Math.max(...ms))})\n`);
  }
  const results: Result[] = [];
  for (const c of cases) {
    process.stdout.write(`running ${c.name} ...`);
    const r = runCase(c);
    results.push(r);
    process.stdout.write(` ${Math.round(median(r.rates))} samples/s\n`);
  }
  console.log('');
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
  console.log(
    table([
      ['case', 'params', 'loss/optimizer', 'batch', 'data', 'epochs/rep', 'median samples/s', 'min', 'max', 'ms/epoch'],
      ...results.map((r) => {
        const med = median(r.rates);
        return [
          r.c.name,
          fmt(r.params),
          `${r.c.loss}/${r.c.optimizer.type}`,
          String(r.c.batchSize),
          r.data.source,
          String(r.epochsPerRep),
          fmt(med),
          fmt(Math.min(...r.rates)),
          fmt(Math.max(...r.rates)),
          ((1000 * r.data.x.rows) / med).toFixed(1),
        ];
      }),
    ]),
  );
}

main();
