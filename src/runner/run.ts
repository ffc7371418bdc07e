// Running a loaded experiment: training with a loss log (trainExperiment: pure, writes nothing), and the run's
// files (loss.csv, model.json, config.json, run.json, and the loss chart loss.svg with its spec) written atomically (runExperiment). Parsing and
// validation are config/'s; the numerics are model/'s and training/'s; the file formats are files/'s.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedExperiment } from '../config/load.js';
import type { ExperimentConfig } from '../config/types.js';
import type { LogRow } from '../files/losslog.js';
import { runFiles } from './snapshot.js';
import { toModelFile, type ModelFile } from '../files/modelfile.js';
import { writeFolderAtomically } from '../files/outputs.js';
import { lossChartSpec } from '../report/charts.js';
import { renderSvg, specJson } from '../report/render.js';
import { RUN_FORMAT, type Confusion, type RunRecord } from '../files/runfile.js';
import type { PreparedData } from '../data/load.js';
import { train } from '../training/train.js';
import { cloneNetwork, type Network } from '../model/network.js';
import type { Matrix } from '../matrix.js';
import { confusionMatrix, predictedClasses } from '../metrics.js';
import { Rng } from '../random.js';
import { prepare, type Prepared } from './prepare.js';
import { EpochWatch, logsLearningRate, metricColumns } from './watch.js';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface TrainOptions {
  /** Called after every epoch, for progress displays, with the training loss last logged. */
  onEpoch?: (epoch: number, epochs: number, trainLoss: number) => void;
  /** The data and untrained network from prepare(exp), when already made; they are not changed. */
  prepared?: Prepared;
}

export interface RunOptions extends TrainOptions {
  /** Output folder (default: results/NAME under the current directory). */
  outDir?: string;
  /** A sweep run: its position in the grid and swept values, recorded in run.json. */
  sweep?: RunRecord['sweep'];
}

export interface RunResult {
  name: string;
  columns: string[];
  rows: LogRow[];
  /** The written model's metrics: the last row's, or the best epoch's when early stopping restored it. */
  final: Record<string, number>;
  model: ModelFile;
  config: ExperimentConfig;
  /** The experiment file's folder: relative paths in config start there. */
  baseDir: string;
  /** The run record; config_sha256 and inputs are filled when the files are made (runFiles). */
  run: RunRecord;
}

export { metricColumns } from './watch.js';

/** Trains a loaded experiment and returns its loss log, model and run record; writes no file. */
export function trainExperiment(exp: LoadedExperiment, options: TrainOptions = {}): RunResult {
  const started = new Date();
  const { config: cfg } = exp;
  const prepared = options.prepared ?? prepare(exp);
  const data = prepared.data;
  const net = cloneNetwork(prepared.network);
  const watch = new EpochWatch(net, data, cfg);
  const { epochs } = cfg.training;
  train(net, data.train.x, data.train.y, {
    epochs,
    batchSize: cfg.training.batch_size,
    shuffle: cfg.training.shuffle,
    loss: cfg.loss,
    reduction: cfg.reduction,
    optimizer: cfg.training.optimizer,
    clipGradNorm: cfg.training.clip_grad_norm,
    rng: Rng.stream(cfg.seed, 'shuffle'),
    dropoutRng: Rng.stream(cfg.seed, 'dropout'),
    onEpoch: (epoch, step, optimizer) => {
      const go = watch.endEpoch(epoch, step, optimizer);
      options.onEpoch?.(epoch, epochs, watch.rows[watch.rows.length - 1].train_loss);
      return go;
    },
  });
  const rows = watch.rows;
  const stopping = watch.finish();
  // The model written is the one measured last, unless early stopping put the best epoch's weights back.
  const { epoch: _e, step, learning_rate: _lr, ...last } = rows[rows.length - 1];
  const final = stopping?.restored_best ? watch.measure() : last;
  const outputs = data.test ? watch.outputs('test')! : watch.outputs('train')!;
  const ended = new Date();
  const run: RunRecord = {
    format: RUN_FORMAT,
    ...(cfg.run_id !== undefined ? { run_id: cfg.run_id } : {}),
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
    ...(stopping ? { stopping } : {}),
    ...(data.classes ? { confusion: confusion(data, outputs) } : {}),
    ...(data.test ? { test_rows: Array.from(data.split.test) } : {}),
    ...(data.validation ? { validation_rows: Array.from(data.split.validation) } : {}),
    config_sha256: '',
    inputs: [],
  };
  const columns = ['epoch', 'step', ...metricColumns(data), ...(logsLearningRate(cfg) ? ['learning_rate'] : [])];
  return { name: cfg.name, columns, rows, final, model: modelOf(net, data, cfg), config: cfg, baseDir: exp.baseDir, run };
}

/** Trains a loaded experiment and writes its files into outDir (default results/NAME); returns the run. */
export async function runExperiment(exp: LoadedExperiment, options: RunOptions = {}): Promise<RunResult & { outDir: string }> {
  const result = trainExperiment(exp, options);
  const outDir = options.outDir ?? join('results', result.name);
  if (options.sweep) result.run.sweep = options.sweep;
  const { files, run } = runFiles(result, outDir);
  writeFolderAtomically(outDir, { ...files, ...(await chartFiles(result)) }, { keep: keptEntry });
  return { ...result, run, outDir };
}

/** What a run's folder keeps when it is written again: the runs below it and their summary. */
const keptEntry = (name: string, isDirectory: boolean) => (isDirectory && !name.startsWith('.')) || name === 'summary.csv';

/** The run's loss chart: loss.svg and its Vega-Lite spec loss.vl.json (rendering loads Vega on first use). */
export async function chartFiles(result: RunResult): Promise<Record<string, string>> {
  const spec = lossChartSpec(result.name, result.config.loss, result.columns, result.rows);
  return { 'loss.svg': await renderSvg(spec), 'loss.vl.json': specJson(spec) };
}

function modelOf(net: Network, data: PreparedData, cfg: ExperimentConfig): ModelFile {
  return toModelFile(net, cfg.loss, {
    features: data.featureNames,
    targets: data.targetNames,
    ...(data.classes ? { classes: data.classes } : {}),
    ...(data.threshold !== undefined ? { threshold: data.threshold } : {}),
    preprocess: { kind: data.scaler.kind, offset: data.scaler.offset, scale: data.scaler.scale },
    ...(data.targetScaler ? { target_preprocess: { ...data.targetScaler } } : {}),
  });
}

/** The confusion matrix (rows: true class, columns: predicted) on the test rows, or the training rows without a split. */
function confusion(data: PreparedData, outputs: Matrix): Confusion {
  const part = data.test ?? data.train;
  const k = data.classes!.length;
  const matrix = confusionMatrix(predictedClasses(outputs, data.threshold), predictedClasses(part.y, data.threshold), k);
  return { on: data.test ? 'test' : 'train', classes: data.classes!, matrix };
}
