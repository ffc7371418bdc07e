// The parts of a run's record and model file that follow from its data's target kind: the model file's
// fields for prediction, the confusion matrix (k × k, or one 2 × 2 per label for multilabel) and the
// per-class report, on the test rows (or the training rows without a split). Training and the loss log
// are session.ts's; the metrics' definitions are metrics.ts's.

import type { PreparedData } from '../data/load.js';
import type { ExperimentConfig } from '../config/types.js';
import { toModelFile, type ModelFile } from '../files/modelfile.js';
import type { Confusion } from '../files/runfile.js';
import type { Matrix } from '../matrix.js';
import { classificationReport, confusionMatrix, multilabelConfusion, multilabelReport, predictedClasses, type ClassificationReport } from '../metrics.js';
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
  const part = data.test ?? data.train;
  const on = data.test ? 'test' : 'train';
  if (data.kind === 'multilabel') {
    const matrices = multilabelConfusion(outputs, part.y, data.threshold);
    return { confusion: { on, labels: data.targetNames, matrices }, classification_report: multilabelReport(data.targetNames, matrices) };
  }
  const classes = data.classes!;
  const matrix = confusionMatrix(predictedClasses(outputs, data.threshold), predictedClasses(part.y, data.threshold), classes.length);
  return { confusion: { on, classes, matrix }, classification_report: classificationReport(classes, matrix) };
}
