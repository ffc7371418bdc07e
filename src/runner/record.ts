// A run's record (run.json's fields: how it ended, why it diverged in a sentence, its final metrics, the
// confusion matrix, k × k or one 2 × 2 per label for multilabel, and the per-class report, on the test rows or
// the training rows without a split) and its model file (with what prediction needs). Training and the loss
// log are session.ts's; the metrics' definitions are metrics.ts's; config_sha256 and inputs are runFiles'.

import type { LoadedExperiment } from '../config/load.js';
import type { PreparedData } from '../data/load.js';
import type { ExperimentConfig } from '../config/types.js';
import { toModelFile, type ModelFile } from '../files/modelfile.js';
import { RUN_FORMAT, type Confusion, type RunRecord, type RunStatus } from '../files/runfile.js';
import type { Divergence } from '../training/divergence.js';
import { VERSION } from '../version.js';
import type { Matrix } from '../matrix.js';
import { classificationSummary, type ClassificationReport } from '../metrics.js';
import type { Network } from '../model/network.js';

/** The model file of a trained network, with what prediction and evaluation need. */
export function modelOf(net: Network, data: PreparedData, cfg: ExperimentConfig): ModelFile {
  return toModelFile(net, cfg.loss, {
    kind: data.kind,
    features: data.featureNames,
    targets: data.targetNames,
    ...(data.classes ? { classes: data.classes } : {}),
    ...(data.labelColumn !== undefined ? { label_column: data.labelColumn } : {}),
    ...(data.threshold !== undefined ? { threshold: data.threshold } : {}),
    preprocess: { ...data.scaler },
    ...(data.targetScaler ? { target_preprocess: { ...data.targetScaler } } : {}),
  });
}

/** Classification: the confusion and the per-class report of `outputs` (the network's, on the test rows or else the training rows). */
export function classificationRecord(data: PreparedData, outputs: Matrix): { confusion: Confusion; classification_report: ClassificationReport } | undefined {
  if (data.kind === 'regression') return undefined;
  const on = scoredPart(data);
  const names = data.kind === 'multilabel' ? data.targetNames : data.classes!;
  const { confusion, classification_report } = classificationSummary(data.kind, outputs, data[on]!.y, names, data.threshold);
  return { confusion: { on, ...confusion }, classification_report };
}

/** Which rows the confusion matrix counts: the test rows, or the training rows without a split. */
export function scoredPart(data: PreparedData): 'test' | 'train' {
  return data.test ? 'test' : 'train';
}

/** How a run ended, as the session saw it. */
export interface RunEnd {
  status: RunStatus;
  started: Date;
  /** Weight updates made, and the epochs done (for a run that did not complete). */
  steps: number;
  epochsDone: number;
  divergence?: Divergence;
  signal?: string;
  final: Record<string, number>;
  stopping?: RunRecord['stopping'];
  /** A completed run's outputs on the test rows (the training rows without a split), for the confusion matrix. */
  outputs?: Matrix;
}

/** The run record; config_sha256 and inputs are filled when the files are made (runFiles). */
export function runRecord(exp: LoadedExperiment, data: PreparedData, end: RunEnd): RunRecord {
  const cfg = exp.config;
  const { status, divergence, stopping } = end;
  const classified = end.outputs !== undefined ? classificationRecord(data, end.outputs) : undefined;
  const ended = new Date();
  return {
    format: RUN_FORMAT,
    ...(cfg.run_id !== undefined ? { run_id: cfg.run_id } : {}),
    name: cfg.name,
    file: exp.file,
    seed: cfg.seed,
    status,
    started: end.started.toISOString(),
    ended: ended.toISOString(),
    duration_ms: ended.getTime() - end.started.getTime(),
    node: process.version,
    mlplab: VERSION,
    task: data.kind === 'regression' ? 'regression' : 'classification',
    kind: data.kind,
    ...(data.strata !== undefined ? { strata: data.strata } : {}),
    epochs: cfg.training.epochs,
    steps: end.steps,
    ...(status === 'completed' ? {} : { epochs_done: end.epochsDone }),
    ...(divergence ? { divergence: { ...divergence, cause: divergence.epoch === 0 ? scaleCause(data) : divergenceCause(cfg) } } : {}),
    ...(status === 'interrupted' ? { signal: end.signal } : {}),
    final: end.final,
    ...(stopping ? { stopping } : {}),
    ...(classified ?? {}),
    ...(data.test ? { test_rows: Array.from(data.split.test) } : {}),
    ...(data.validation ? { validation_rows: Array.from(data.split.validation) } : {}),
    config_sha256: '',
    inputs: [],
  };
}

/** The likely cause of a divergence, in a sentence naming the key to change and its value. */
export function divergenceCause(cfg: ExperimentConfig): string {
  const lr = cfg.training.optimizer.learning_rate;
  return `the learning rate training.optimizer.learning_rate = ${lr} is likely too large for this data and network: try ${Number((lr / 10).toPrecision(3))} or smaller`;
}

/** The likely cause of a loss that is not finite before any update: the size of the targets or inputs. */
export function scaleCause(data: PreparedData): string {
  const largest = (m: { data: Float64Array }) => m.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const y = largest(data.train.y);
  const x = largest(data.train.x);
  const which = y >= x ? `targets (up to ${y.toPrecision(3)})` : `inputs (up to ${x.toPrecision(3)})`;
  const fix = y >= x ? 'data.preprocess: { targets: standardize }' : 'data.preprocess: standardize';
  return `the loss was not finite before any update, so the ${which} are likely too large for float64 arithmetic: scale them (${fix}) or check the data`;
}
