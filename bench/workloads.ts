// The five benchmark workloads of issue 11: shapes, data, optimizer, batches and epochs, fixed so that peers
// (bench/peers.py) train exactly the same thing. Data is made here once; its loading is never timed. Each is
// timed with plain SGD and with Adam (withOptimizer): Adam's per-step work is where a peer's Python overhead
// per step weighs most, so one optimizer alone flatters one side.

import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../src/config/load.js';
import type { Matrix } from '../src/matrix.js';
import type { InitScheme } from '../src/model/init.js';
import type { LossName } from '../src/model/losses.js';
import type { LayerSpec } from '../src/model/network.js';
import { Rng } from '../src/random.js';
import type { OptimizerConfig } from '../src/training/optimizers/index.js';
import { prepareData } from '../src/runner/prepare.js';

export const SEED = 1;

export interface Dataset {
  x: Matrix;
  y: Matrix;
  /** Where the rows came from, for the report. */
  source: string;
}

export interface Workload {
  name: string;
  layers: LayerSpec[];
  loss: LossName;
  optimizer: OptimizerConfig;
  batchSize: number | 'full';
  epochs: number;
  init: InitScheme;
  /** Classification (report accuracy) or regression. */
  classify: boolean;
  data: () => Dataset;
}

/** Uniform [0, 1) inputs and random one-hot labels: for timing only. */
function synthetic(rows: number, inputs: number, classes: number): Dataset {
  const rng = Rng.stream(SEED, 'data');
  const x: Matrix = { data: new Float64Array(rows * inputs), rows, cols: inputs };
  const y: Matrix = { data: new Float64Array(rows * classes), rows, cols: classes };
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next();
  for (let r = 0; r < rows; r++) y.data[r * classes + rng.int(classes)] = 1;
  return { x, y, source: `synthetic ${rows}×${inputs}, uniform, random labels` };
}

/** Standard normal inputs, target sin(Σ_i x_i / √inputs) + 0.1·noise. */
function regression(rows: number, inputs: number): Dataset {
  const rng = Rng.stream(SEED, 'data');
  const x: Matrix = { data: new Float64Array(rows * inputs), rows, cols: inputs };
  const y: Matrix = { data: new Float64Array(rows), rows, cols: 1 };
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < inputs; c++) s += x.data[r * inputs + c] = rng.normal();
    y.data[r] = Math.sin(s / Math.sqrt(inputs)) + 0.1 * rng.normal();
  }
  return { x, y, source: `synthetic ${rows}×${inputs}, normal, y = sin(Σx/√8) + noise` };
}

function xor(): Dataset {
  const x: Matrix = { data: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), rows: 4, cols: 2 };
  const y: Matrix = { data: Float64Array.from([1, 0, 0, 1, 0, 1, 1, 0]), rows: 4, cols: 2 };
  return { x, y, source: 'the 4 xor rows' };
}

const DIGITS_YAML = fileURLToPath(new URL('../experiments/digits.yaml', import.meta.url));

/** data/digits.csv (1,797 × 64, 10 classes), loaded and standardized as the shipped experiment does, all rows. */
function digits(): Dataset {
  const data = prepareData(loadExperiment(DIGITS_YAML, { set: ['data.split.test=0', 'expect={}'] })); // expect: names test metrics
  return { x: data.train.x, y: data.train.y, source: `data/digits.csv ${data.train.x.rows}×${data.train.x.cols}, standardized` };
}

const adam: OptimizerConfig = { type: 'adam', learning_rate: 0.001 };

export const WORKLOADS: Workload[] = [
  {
    name: 'xor',
    layers: [{ units: 2, activation: 'sigmoid' }, { units: 2, activation: 'softmax' }],
    loss: 'cross_entropy',
    optimizer: { type: 'sgd', learning_rate: 0.5, momentum: 0.9 },
    batchSize: 'full',
    epochs: 10_000,
    init: 'xavier_uniform',
    classify: true,
    data: xor,
  },
  {
    name: 'digits',
    layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    loss: 'cross_entropy',
    optimizer: adam,
    batchSize: 32,
    epochs: 20,
    init: 'he_uniform',
    classify: true,
    data: digits,
  },
  {
    name: 'digits-deep',
    layers: [{ units: 128, activation: 'tanh' }, { units: 64, activation: 'tanh' }, { units: 10, activation: 'softmax' }],
    loss: 'cross_entropy',
    optimizer: adam,
    batchSize: 32,
    epochs: 20,
    init: 'xavier_uniform',
    classify: true,
    data: digits,
  },
  {
    name: 'mnist-shape',
    layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    loss: 'cross_entropy',
    optimizer: adam,
    batchSize: 64,
    epochs: 2,
    init: 'he_uniform',
    classify: true,
    data: () => synthetic(10_000, 784, 10),
  },
  {
    name: 'regression',
    layers: [{ units: 64, activation: 'tanh' }, { units: 1, activation: 'linear' }],
    loss: 'mse',
    optimizer: { type: 'sgd', learning_rate: 0.01, momentum: 0.9 },
    batchSize: 128,
    epochs: 5,
    init: 'xavier_uniform',
    classify: false,
    data: () => regression(20_000, 8),
  },
];

/** The optimizers every workload is timed with. */
export const OPTIMIZER_TYPES = ['sgd', 'adam'] as const;
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

/**
 * The workload trained with `type`: its own optimizer when of that type (xor's and regression's SGD with
 * momentum, the others' Adam), else plain SGD (no momentum) or Adam at 0.001.
 */
export function withOptimizer(w: Workload, type: OptimizerType): Workload {
  if (w.optimizer.type === type) return w;
  const optimizer: OptimizerConfig = type === 'sgd' ? { type: 'sgd', learning_rate: 0.05 } : adam;
  return { ...w, optimizer };
}
