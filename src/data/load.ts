// The data layer's entry point for the runner: reads, draws or takes the rows, encodes the targets
// for the loss, splits (stratified by class for classification; with data.split.folds, the validation rows are
// one cross-validation fold, folds.ts) and scales the inputs with a scaler
// fitted on the training rows only. Batching and shuffling for training are not here.

import { formatPath, UserError, type Place, type Where } from '../errors.js';
import { takeRows, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { fromInline } from './inline.js';
import { applyScaler, fitScaler, preprocessKinds, type Scaler } from './preprocess.js';
import { DATA_DEFAULTS, type DataSpec, type PreprocessKind } from './schema.js';
import { fromCsv, fromGenerated } from './sources.js';
import { partitionRows } from './partition.js';
import { foldSplit } from './folds.js';
import { splitIndices, type Split } from './split.js';
import type { LoadContext, PreparedData, Source, Strata } from './types.js';

export type { LoadContext, PreparedData, Strata } from './types.js';

/** Where a YAML key is, with the file and the dotted key path filled in when `at` leaves them out. */
function locator(ctx: LoadContext): Where {
  return (path) => {
    const place: Place = ctx.at(path);
    return { ...place, file: place.file ?? ctx.yamlFile, path: place.path ?? formatPath(path) };
  };
}

function readSource(spec: DataSpec, ctx: LoadContext, where: Where): Source {
  if (spec.inline) return fromInline(spec.inline, ctx, where);
  if (spec.csv) return fromCsv(spec.csv, ctx, where);
  if (spec.generate) return fromGenerated(spec.generate, ctx, where);
  throw new Error('loadData: the data spec has none of inline, csv, generate (the schema should have caught it)');
}

/** Loads `spec` (validated against dataSchema) for an experiment; user errors are UserErrors with code 'data'. */
export function loadData(spec: DataSpec, ctx: LoadContext): PreparedData {
  const where = locator(ctx);
  const source = readSource(spec, ctx, where);
  const testFraction = spec.split?.test ?? DATA_DEFAULTS.test;
  const strata = source.kind === 'regression' ? undefined : source.strata;
  const held = splitIndices(source.x.rows, testFraction, Rng.stream(ctx.seed, 'split'), strata, where(['data', 'split', 'test']));
  const folds = spec.split?.folds;
  const split =
    folds === undefined
      ? withValidation(held, spec.split?.validation ?? 0, testFraction, ctx.seed, strata, where(['data', 'split', 'validation']))
      : withFold(held, folds, spec.split?.fold ?? 1, ctx.seed, foldStrata(source), where(['data', 'split', 'folds']), testFraction > 0);

  // NOTE: source.x is this function's own: its rows are reordered in place (train, validation, test), not copied.
  const [trainX, validationX, testX] = partitionRows(source.x, [split.train, split.validation, split.test]);
  const kinds = preprocessKinds(spec.preprocess ?? DATA_DEFAULTS.preprocess);
  const scaler = fitScaler(kinds.features, trainX);
  const targetScaler = fitTargetScaler(kinds.targets, source, split.train, where);
  const ys = (rows: Int32Array) => (targetScaler ? applyScaler(targetScaler, takeRows(source.y, rows)) : takeRows(source.y, rows));
  const data: PreparedData = {
    kind: source.kind,
    train: { x: applyScaler(scaler, trainX, trainX), y: ys(split.train) },
    featureNames: source.featureNames,
    targetNames: source.targetNames,
    scaler,
    ...(targetScaler ? { targetScaler } : {}),
    split,
  };
  if (split.validation.length > 0) data.validation = { x: applyScaler(scaler, validationX, validationX), y: ys(split.validation) };
  if (split.test.length > 0) data.test = { x: applyScaler(scaler, testX, testX), y: ys(split.test) };
  if (source.classes !== undefined) data.classes = source.classes;
  if (source.threshold !== undefined) data.threshold = source.threshold;
  if (source.labelColumn !== undefined) data.labelColumn = source.labelColumn;
  if (source.read !== undefined) data.read = source.read;
  if (split.test.length + split.validation.length > 0) data.strata = strataOf(source, folds !== undefined);
  return data;
}

/**
 * Splits the validation rows off the training rows, from their own 'validation' stream (the test rows stay as
 * they are without one): a fraction `validation` of all rows is validation / (1 − test) of the training rows.
 */
function withValidation(split: Split, validation: number, test: number, seed: number, strata: Int32Array | undefined, place: Place) {
  if (validation === 0) return { ...split, validation: new Int32Array(0) };
  const rows = split.train;
  const sub = splitIndices(rows.length, validation / (1 - test), Rng.stream(seed, 'validation'), strata && rows.map((r) => strata[r]), place, 'validation');
  return { train: sub.train.map((i) => rows[i]), test: split.test, validation: sub.test.map((i) => rows[i]) };
}

/**
 * Cross-validation: the rows left after the test split dealt into `folds` folds from the seed's own 'folds'
 * stream (so no other draw changes); fold `fold` (1-based) is the validation rows, the other folds train.
 */
function withFold(split: Split, folds: number, fold: number, seed: number, strata: Int32Array | undefined, place: Place, afterTest: boolean) {
  const rows = split.train;
  const which = afterTest ? 'rows left after the test split' : 'rows';
  const part = foldSplit(rows.length, folds, fold, Rng.stream(seed, 'folds'), strata && rows.map((r) => strata[r]), place, which);
  return { train: part.train.map((i) => rows[i]), test: split.test, validation: part.test.map((i) => rows[i]) };
}

/** The folds are stratified by class for multiclass and binary targets (StratifiedKFold); regression and multilabel: plain K-fold. */
const foldStrata = (source: Source): Int32Array | undefined => (source.kind === 'multiclass' || source.kind === 'binary' ? source.strata : undefined);

/** run.json's `strata`: how the held-out rows were drawn (with folds: how the folds were). */
function strataOf(source: Source, folds: boolean): Strata {
  const strata = folds ? foldStrata(source) : source.kind === 'regression' ? undefined : source.strata;
  return strata === undefined ? 'none' : source.kind === 'multilabel' ? 'label_combination' : 'class';
}

/** The targets' scaler, fitted on the training rows; regression only (refused, located, for classification). */
function fitTargetScaler(kind: PreprocessKind, source: Source, trainRows: Int32Array, where: Where): Scaler | undefined {
  if (kind === 'none') return undefined;
  if (source.kind !== 'regression') {
    const msg = `target scaling is for regression only, but these targets are ${source.kind} classes (from the loss and the targets); use targets: none`;
    throw new UserError('data', msg, where(['data', 'preprocess', 'targets']));
  }
  return fitScaler(kind, takeRows(source.y, trainRows));
}
