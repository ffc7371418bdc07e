// Running a loaded experiment: its data, its network (initialized from the seed or a model file), training
// with a loss log, and the run's files (loss.csv, model.json, config.json, run.json) written atomically.
// Parsing and validation are config/'s; the numerics are model/'s and training/'s.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatPath, UserError } from '../errors.js';
import type { LoadedExperiment } from '../config/load.js';
import type { ExperimentConfig } from '../config/types.js';
import { loadData, type PreparedData } from '../data/load.js';
import { lossLogCsv, isLoggedEpoch, type LogRow } from '../files/losslog.js';
import { writeFolderAtomically } from '../files/outputs.js';
import { zeros, type Matrix } from '../matrix.js';
import { accuracy, confusionMatrix, predictedClasses, r2 } from '../metrics.js';
import { Evaluator } from '../model/evaluate.js';
import { initialize } from '../model/init.js';
import { networkFromModel, readModelFile, toModelFile, type ModelFile } from '../files/modelfile.js';
import { createNetwork, outputWidth, type Network } from '../model/network.js';
import { Rng } from '../random.js';
import { train } from '../training/train.js';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface RunOptions {
  /** Output folder (default: results/NAME under the current directory). */
  outDir?: string;
  /** Called after every epoch, for progress displays, with the training loss last logged. */
  onEpoch?: (epoch: number, epochs: number, trainLoss: number) => void;
  /** Don't write any file (for tests and the library). */
  dryRun?: boolean;
  /** The data and untrained network from prepare(exp), when already made (the CLI checks with them); training changes the network. */
  prepared?: Prepared;
}

export interface RunResult {
  name: string;
  outDir: string;
  columns: string[];
  rows: LogRow[];
  /** The last row's metrics. */
  final: Record<string, number>;
  model: ModelFile;
  run: Record<string, unknown>;
  network: Network;
  data: PreparedData;
}

/** Loads the experiment's data, prepared as its config says. */
export function prepareData(exp: LoadedExperiment): PreparedData {
  const { config, source, baseDir, file } = exp;
  const layers = config.model.layers;
  return loadData(config.data, {
    yamlFile: file,
    baseDir,
    seed: config.seed,
    loss: config.loss,
    outputUnits: layers[layers.length - 1].units,
    at: (path) => ({ ...source.at(path), path: formatPath(path) }),
    outputUnitsPlace: { ...source.at(['model', 'layers', layers.length - 1, 'units']), path: formatPath(['model', 'layers', layers.length - 1, 'units']) },
  });
}

/** The experiment's network before training: from the seed's 'init' stream or from init.from. */
export function buildNetwork(exp: LoadedExperiment, inputs: number): Network {
  const { config, baseDir, source } = exp;
  const init = config.model.init;
  if (init.from === undefined) {
    const net = createNetwork(inputs, config.model.layers);
    initialize(net, { scheme: init.scheme ?? 'xavier_uniform', ...init }, Rng.stream(config.seed, 'init'));
    return net;
  }
  const model = readModelFile(resolve(baseDir, init.from));
  if (model.inputs !== inputs) {
    const path = ['model', 'init', 'from'];
    throw new UserError('check', `${init.from} takes ${model.inputs} inputs, but the data have ${inputs} features`, { ...source.at(path), path: formatPath(path) });
  }
  return networkFromModel(model);
}

/** What a run starts from: the prepared data and the network before training. */
export interface Prepared {
  data: PreparedData;
  network: Network;
}

/** Loads the data and builds the initial network: every problem a file can have shows up here, before training. */
export function prepare(exp: LoadedExperiment): Prepared {
  const data = prepareData(exp);
  return { data, network: buildNetwork(exp, data.train.x.cols) };
}

/** The metric columns of the loss log for this data (after epoch and step). */
export function metricColumns(data: PreparedData): string[] {
  const score = data.task === 'classification' ? 'accuracy' : 'r2';
  return ['train_loss', `train_${score}`, ...(data.test ? ['test_loss', `test_${score}`] : [])];
}

/** Measures the network on the training (and test) rows. */
function measure(ev: Evaluator, data: PreparedData, cfg: ExperimentConfig, out: { train: Matrix; test?: Matrix }): Record<string, number> {
  const m: Record<string, number> = {};
  const parts = [['train', data.train, out.train], ['test', data.test, out.test]] as const;
  for (const [name, part, buf] of parts) {
    if (!part || !buf) continue;
    m[`${name}_loss`] = ev.run(part.x, part.y, cfg.loss, buf);
    if (data.task === 'classification') m[`${name}_accuracy`] = accuracy(buf, part.y, data.threshold);
    else m[`${name}_r2`] = r2(buf, part.y);
  }
  return m;
}

/** Trains a loaded experiment and (unless dryRun) writes its files; returns the log and the model. */
export function runExperiment(exp: LoadedExperiment, options: RunOptions = {}): RunResult {
  const started = new Date();
  const { config: cfg } = exp;
  const { data, network: net } = options.prepared ?? prepare(exp);
  const ev = new Evaluator(net);
  const nOut = outputWidth(net);
  const out = { train: zeros(data.train.x.rows, nOut), test: data.test ? zeros(data.test.x.rows, nOut) : undefined };
  const { epochs } = cfg.training;
  const rows: LogRow[] = [{ epoch: 0, step: 0, ...measure(ev, data, cfg, out) }];
  train(net, data.train.x, data.train.y, {
    epochs,
    batchSize: cfg.training.batch_size,
    shuffle: cfg.training.shuffle,
    loss: cfg.loss,
    reduction: cfg.reduction,
    optimizer: cfg.training.optimizer,
    rng: Rng.stream(cfg.seed, 'shuffle'),
    onEpoch: (epoch, step) => {
      if (isLoggedEpoch(epoch, cfg.log.every, epochs)) rows.push({ epoch, step, ...measure(ev, data, cfg, out) });
      options.onEpoch?.(epoch, epochs, rows[rows.length - 1].train_loss);
    },
  });
  const columns = ['epoch', 'step', ...metricColumns(data)];
  const { epoch: _e, step, ...final } = rows[rows.length - 1];
  const model = toModelFile(net, cfg.loss, {
    features: data.featureNames,
    targets: data.targetNames,
    ...(data.classes ? { classes: data.classes } : {}),
    ...(data.threshold !== undefined ? { threshold: data.threshold } : {}),
    preprocess: { kind: data.scaler.kind, offset: data.scaler.offset, scale: data.scaler.scale },
  });
  const ended = new Date();
  const run = {
    name: cfg.name,
    file: exp.file,
    seed: cfg.seed,
    status: 'completed',
    started: started.toISOString(),
    ended: ended.toISOString(),
    duration_ms: ended.getTime() - started.getTime(),
    node: process.version,
    mlplab: VERSION,
    task: data.task,
    epochs,
    steps: step,
    final,
    ...(data.classes ? { confusion: confusion(data, data.test ? out.test! : out.train) } : {}),
    /** The data rows (0-based, in file or generation order) held out for testing. */
    ...(data.test ? { test_rows: Array.from(data.split.test) } : {}),
  };
  const outDir = options.outDir ?? join('results', cfg.name);
  if (!options.dryRun) {
    writeFolderAtomically(outDir, {
      'loss.csv': lossLogCsv(columns, rows),
      'model.json': JSON.stringify(model) + '\n',
      'config.json': JSON.stringify(cfg, null, 2) + '\n',
      'run.json': JSON.stringify(run, null, 2) + '\n',
    });
  }
  return { name: cfg.name, outDir, columns, rows, final, model, run, network: net, data };
}

/** The confusion matrix (rows: true class, columns: predicted) on the test rows, or the training rows without a split. */
function confusion(data: PreparedData, outputs: Matrix) {
  const part = data.test ?? data.train;
  const k = data.classes!.length;
  const matrix = confusionMatrix(predictedClasses(outputs, data.threshold), predictedClasses(part.y, data.threshold), k);
  return { on: data.test ? 'test' : 'train', classes: data.classes, matrix };
}
