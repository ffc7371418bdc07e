// Evaluation metrics shared by training, logging, evaluate and compare, and the one home of the target kinds
// they branch on. Every definition follows scikit-learn's, so each number can be checked against it:
// accuracy (accuracy_score: subset accuracy for multilabel), hamming_accuracy (1 − hamming_loss, Keras's binary
// accuracy), R² (r2_score), RMSE and MAE (mean_squared_error(squared=False), mean_absolute_error; both
// 'uniform_average' over outputs), confusion matrices (confusion_matrix, multilabel_confusion_matrix) and the
// per-class report (precision_recall_fscore_support, zero_division=0). Predictions and targets are
// rows × outputs matrices. Losses are not here (they belong to the model); neither is reading data (data/).

import { argmaxRow, type Matrix } from './matrix.js';

/**
 * What a data set's targets are, decided once by the data layer and written into model.json and run.json:
 * multiclass (one class per row: a label column or one-hot rows; softmax + cross_entropy, or mse on one-hot rows),
 * binary (one output: two classes), multilabel (k ≥ 2 independent 0/1 labels: k sigmoid outputs with
 * binary_cross_entropy), regression (numbers).
 */
export const TARGET_KINDS = ['multiclass', 'binary', 'multilabel', 'regression'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** What scoring needs besides the outputs and targets: the class threshold, and the targets' scale (regression). */
export interface ScoreContext {
  threshold?: number;
  targetScale?: readonly number[];
}

/** One score a kind logs beside its loss: which way is better, whether it counts over rows, and how it is computed. */
interface Score {
  maximise: boolean;
  /** A count over rows (k/n: right rows, right labels), so that equal counts differ only in their last bits. */
  counts: boolean;
  of(pred: Matrix, target: Matrix, ctx: ScoreContext): number;
}

const classAccuracy: Score = { maximise: true, counts: true, of: (p, t, c) => accuracy(p, t, c.threshold ?? 0.5) };

/** The scores each kind logs beside its loss, per part of the data (`test_accuracy`), in column order: their one home. */
const KIND_SCORE_DESCRIPTORS: Record<TargetKind, Readonly<Record<string, Score>>> = {
  multiclass: { accuracy: classAccuracy },
  binary: { accuracy: classAccuracy },
  multilabel: {
    accuracy: { maximise: true, counts: true, of: (p, t, c) => subsetAccuracy(p, t, c.threshold ?? 0.5) },
    hamming_accuracy: { maximise: true, counts: true, of: (p, t, c) => hammingAccuracy(p, t, c.threshold ?? 0.5) },
  },
  regression: {
    r2: { maximise: true, counts: false, of: (p, t) => r2(p, t) },
    rmse: { maximise: false, counts: false, of: (p, t, c) => rmse(p, t, c.targetScale) },
    mae: { maximise: false, counts: false, of: (p, t, c) => mae(p, t, c.targetScale) },
  },
};

/** The names of the scores each kind logs, in column order. */
export const KIND_SCORES = {} as Record<TargetKind, readonly string[]>;
for (const k of TARGET_KINDS) KIND_SCORES[k] = Object.keys(KIND_SCORE_DESCRIPTORS[k]);

/** Every score name any kind logs (the monitors, compare's metrics), in a fixed order. */
export const SCORE_NAMES: readonly string[] = [...new Set(Object.values(KIND_SCORES).flat())];

/** The score names whose descriptors have `key` set. */
const scoresWith = (key: 'maximise' | 'counts'): readonly string[] => [...new Set(Object.values(KIND_SCORE_DESCRIPTORS).flatMap((d) => Object.keys(d).filter((n) => d[n][key])))];
const MAXIMISED = scoresWith('maximise');
const COUNTS = scoresWith('counts');
/** Is `name` one of `scores`, or a part's (`test_accuracy`)? */
const isScore = (scores: readonly string[], name: string): boolean => scores.some((s) => name === s || name.endsWith(`_${s}`));

/** Is a larger value of this metric (`test_r2`, `train_loss`) better? Accuracies and R² are maximised; losses and errors minimised. */
export const maximised = (name: string): boolean => isScore(MAXIMISED, name);

/** Is this metric (`test_accuracy`, `train_hamming_accuracy`) a count over rows, k/n? Accuracies are; R², errors and losses not. */
export const countsOverRows = (name: string): boolean => isScore(COUNTS, name);

export const isClassification = (kind: TargetKind): boolean => kind !== 'regression';

/** The threshold for single-column class targets: the midpoint of their smallest and largest value (0.5 for 0/1, 0 for −1/1). */
export function binaryThreshold(targets: Matrix): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of targets.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return (min + max) / 2;
}

/** Class of each row: argmax for several columns; for one column, 1 if the value is above the threshold, else 0. */
export function predictedClasses(pred: Matrix, threshold = 0.5): number[] {
  const out: number[] = [];
  for (let r = 0; r < pred.rows; r++) out.push(pred.cols === 1 ? (pred.data[r] > threshold ? 1 : 0) : argmaxRow(pred, r));
  return out;
}

function sameShape(a: Matrix, b: Matrix, what: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`${what}: predictions are ${a.rows}×${a.cols}, targets ${b.rows}×${b.cols}`);
  }
}

/** Fraction of rows whose predicted class is the target's class (both by predictedClasses); NaN for no rows. */
export function accuracy(pred: Matrix, target: Matrix, threshold = 0.5): number {
  sameShape(pred, target, 'accuracy');
  if (pred.rows === 0) return NaN;
  const p = predictedClasses(pred, threshold);
  const t = predictedClasses(target, threshold);
  let hits = 0;
  for (let r = 0; r < p.length; r++) if (p[r] === t[r]) hits++;
  return hits / pred.rows;
}

/** Multilabel: the fraction of rows whose every label (output above the threshold) is right (accuracy_score); NaN for no rows. */
export function subsetAccuracy(pred: Matrix, target: Matrix, threshold = 0.5): number {
  sameShape(pred, target, 'subset accuracy');
  if (pred.rows === 0) return NaN;
  let hits = 0;
  for (let r = 0; r < pred.rows; r++) {
    let all = true;
    for (let c = r * pred.cols; c < (r + 1) * pred.cols && all; c++) all = pred.data[c] > threshold === target.data[c] > threshold;
    if (all) hits++;
  }
  return hits / pred.rows;
}

/** Multilabel: the fraction of single labels that are right (1 − hamming_loss; Keras's binary accuracy); NaN for no rows. */
export function hammingAccuracy(pred: Matrix, target: Matrix, threshold = 0.5): number {
  sameShape(pred, target, 'hamming accuracy');
  if (pred.rows === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < pred.data.length; i++) if (pred.data[i] > threshold === target.data[i] > threshold) hits++;
  return hits / pred.data.length;
}

/**
 * Coefficient of determination per output column, 1 − SS_res / SS_tot, averaged uniformly over the
 * columns (sklearn r2_score, multioutput 'uniform_average'). A constant target column scores 1 if
 * predicted exactly, else 0 (sklearn's force_finite). NaN for fewer than two rows, as sklearn.
 * NOTE: "constant" is tested exactly (every value equal), not by SS_tot = 0: ten 0.1s sum to 0.9999999999999999,
 * so their mean's tiny deviations would give an R² of −1e33 where scikit-learn (summing pairwise) gives 0.
 */
export function r2(pred: Matrix, target: Matrix): number {
  sameShape(pred, target, 'r2');
  const { rows, cols } = target;
  if (rows < 2) return NaN;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    let constant = true;
    for (let r = 0; r < rows; r++) {
      mean += target.data[r * cols + c];
      constant &&= target.data[r * cols + c] === target.data[c];
    }
    mean /= rows;
    let ssRes = 0;
    let ssTot = 0;
    for (let r = 0; r < rows; r++) {
      const t = target.data[r * cols + c];
      ssRes += (t - pred.data[r * cols + c]) ** 2;
      ssTot += (t - mean) ** 2;
    }
    total += constant || ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / cols;
}

/**
 * Root mean squared error per output column, averaged over the columns (sklearn mean_squared_error,
 * squared=False). `scale` (one per column) turns scaled errors back into the data's units: a target scaled
 * as y' = (y − offset) / scale has y − ŷ = (y' − ŷ')·scale. NaN for no rows.
 */
export function rmse(pred: Matrix, target: Matrix, scale?: readonly number[]): number {
  return columnErrors(pred, target, scale, 'rmse', (d) => d * d, Math.sqrt);
}

/** Mean absolute error per output column, averaged over the columns (sklearn mean_absolute_error), in the data's units as rmse. */
export function mae(pred: Matrix, target: Matrix, scale?: readonly number[]): number {
  return columnErrors(pred, target, scale, 'mae', Math.abs, (m) => m);
}

function columnErrors(pred: Matrix, target: Matrix, scale: readonly number[] | undefined, what: string, each: (d: number) => number, last: (m: number) => number): number {
  sameShape(pred, target, what);
  const { rows, cols } = target;
  if (rows === 0) return NaN;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    const s = scale?.[c] ?? 1;
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += each((target.data[r * cols + c] - pred.data[r * cols + c]) * s);
    total += last(sum / rows);
  }
  return total / cols;
}

/** The kind's scores (KIND_SCORES order) of outputs against targets. */
export function scores(kind: TargetKind, pred: Matrix, target: Matrix, ctx: ScoreContext = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, score] of Object.entries(KIND_SCORE_DESCRIPTORS[kind])) out[name] = score.of(pred, target, ctx);
  return out;
}

/** k × k counts: entry [t][p] is the number of rows of true class t predicted as class p. */
export function confusionMatrix(predClass: ArrayLike<number>, trueClass: ArrayLike<number>, k: number): number[][] {
  if (predClass.length !== trueClass.length) {
    throw new Error(`confusionMatrix: ${predClass.length} predictions, ${trueClass.length} targets`);
  }
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < predClass.length; i++) {
    const t = trueClass[i];
    const p = predClass[i];
    if (!(t >= 0 && t < k && p >= 0 && p < k)) throw new Error(`confusionMatrix: class ${t}/${p} outside 0..${k - 1}`);
    m[t][p]++;
  }
  return m;
}

/** Multilabel: one 2 × 2 matrix per label, [[tn, fp], [fn, tp]] (sklearn multilabel_confusion_matrix). */
export function multilabelConfusion(pred: Matrix, target: Matrix, threshold = 0.5): number[][][] {
  sameShape(pred, target, 'multilabel confusion');
  const out = Array.from({ length: pred.cols }, () => [
    [0, 0],
    [0, 0],
  ]);
  for (let i = 0; i < pred.data.length; i++) out[i % pred.cols][target.data[i] > threshold ? 1 : 0][pred.data[i] > threshold ? 1 : 0]++;
  return out;
}

/** One class's (or label's) line of a classification report. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision, recall, F1 and support, and their macro and support-weighted means (sklearn classification_report). */
export interface ClassificationReport {
  per_class: ({ class: string | number } & ClassScores)[];
  macro_avg: ClassScores;
  weighted_avg: ClassScores;
}

/** The report from [tp, fp, fn] per class (0 where a ratio has a zero denominator, as zero_division=0). */
function reportFrom(classes: readonly (string | number)[], counts: [number, number, number][]): ClassificationReport {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const per_class = counts.map(([tp, fp, fn], i) => {
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    // F1 as sklearn computes it, from precision and recall (not 2tp / (2tp + fp + fn), equal only up to rounding).
    return { class: classes[i], precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: tp + fn };
  });
  const support = per_class.reduce((s, c) => s + c.support, 0);
  const mean = (w: (c: ClassScores) => number, total: number): ClassScores => {
    const of = (k: 'precision' | 'recall' | 'f1') => ratio(per_class.reduce((s, c) => s + w(c) * c[k], 0), total);
    return { precision: of('precision'), recall: of('recall'), f1: of('f1'), support };
  };
  return { per_class, macro_avg: mean(() => 1, per_class.length), weighted_avg: mean((c) => c.support, support) };
}

/** The report of a k × k confusion matrix (multiclass, binary): class i's row and column. */
export function classificationReport(classes: readonly (string | number)[], matrix: number[][]): ClassificationReport {
  return reportFrom(
    classes,
    matrix.map((row, i) => {
      const col = matrix.reduce((s, r) => s + r[i], 0);
      const rowSum = row.reduce((s, v) => s + v, 0);
      return [row[i], col - row[i], rowSum - row[i]];
    }),
  );
}

/** The report of per-label 2 × 2 matrices (multilabel): each label's positive class. */
export function multilabelReport(labels: readonly (string | number)[], matrices: number[][][]): ClassificationReport {
  return reportFrom(labels, matrices.map(([[, fp], [fn, tp]]) => [tp, fp, fn]));
}

/** Counts of right and wrong: one k × k matrix (multiclass, binary; matrix[true][predicted]) or one 2 × 2 per label (multilabel). */
export type ConfusionCounts = { classes: (string | number)[]; matrix: number[][] } | { labels: string[]; matrices: number[][][] };

/**
 * A classifier's confusion counts and per-class report, as run.json and evaluate give them: `names` are the
 * classes (multiclass, binary) or the labels (multilabel), in output order.
 */
export function classificationSummary(
  kind: Exclude<TargetKind, 'regression'>,
  pred: Matrix,
  target: Matrix,
  names: readonly (string | number)[],
  threshold?: number,
): { confusion: ConfusionCounts; classification_report: ClassificationReport } {
  if (kind === 'multilabel') {
    const matrices = multilabelConfusion(pred, target, threshold);
    return { confusion: { labels: names.map(String), matrices }, classification_report: multilabelReport(names, matrices) };
  }
  const matrix = confusionMatrix(predictedClasses(pred, threshold), predictedClasses(target, threshold), names.length);
  return { confusion: { classes: [...names], matrix }, classification_report: classificationReport(names, matrix) };
}
