// The data layer's entry point for the runner: reads, draws or takes the rows (loadSource), encodes the targets
// for the loss, splits (stratified by class for classification; with data.split.folds, the validation rows are
// one cross-validation fold, folds.ts) and scales the inputs with a scaler fitted on the training rows only
// (splitSource); loadData does both. dataKeys names what each step's result depends on, for a cache of them
// (runner/datacache.ts, which keeps them for an invocation). Batching and shuffling for training are not here.

import { resolve } from 'node:path';
import { formatPath, UserError, type Place, type Where } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { fromInline } from './inline.js';
import { applyScaler, fitScaler, preprocessKinds, type Scaler } from './preprocess.js';
import { DATA_DEFAULTS, type DataSpec, type PreprocessKind } from './schema.js';
import { fromCsv, fromGenerated } from './sources.js';
import { sharedCopy, sharedInt32 } from './shared.js';
import { partitionRows } from './partition.js';
import { foldSplit } from './folds.js';
import { splitIndices, type Split } from './split.js';
import type { LoadContext, PreparedData, Source, Strata } from './types.js';

export type { LoadContext, PreparedData, Source, Strata } from './types.js';

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
  return splitSource(loadSource(spec, ctx), spec, ctx, true);
}

/**
 * Counts of the work done, for tests: counts[0] sources read, drawn or taken, counts[1] splits made (here), and
 * counts[2] runs of a --jobs worker that took data the main thread made (runner/datacache.ts); added to with
 * Atomics, so that workers given the same shared array count into it too. Undefined: nothing is counted.
 */
let counts: Int32Array | undefined;
export function countDataWork(counter: Int32Array | undefined): void {
  counts = counter;
}
/** The counter countDataWork set, if any (the runner passes it on to its workers). */
export const dataWorkCounter = (): Int32Array | undefined => counts;

/** The rows of `spec`, targets encoded: read from a CSV file, drawn, or taken from the experiment file. */
export function loadSource(spec: DataSpec, ctx: LoadContext): Source {
  if (counts) Atomics.add(counts, 0, 1);
  return readSource(spec, ctx, locator(ctx));
}

/**
 * What each step's result depends on, as text: `source` (the file as first read, its columns and how its
 * targets are encoded for the loss and the last layer; a generated set's seed) and `split` (that, with the split,
 * the scaling and the seed). Equal keys give equal data (errors aside, whose places are the experiment's).
 */
export function dataKeys(spec: DataSpec, ctx: Pick<LoadContext, 'baseDir' | 'seed' | 'loss' | 'outputUnits'>): { source: string; split: string } {
  const from = spec.csv ? { csv: { ...spec.csv, path: resolve(ctx.baseDir, spec.csv.path) } } : spec.generate ? { generate: spec.generate, seed: ctx.seed } : { inline: spec.inline };
  const source = JSON.stringify([from, ctx.loss, ctx.outputUnits]);
  return { source, split: JSON.stringify([source, spec.split ?? null, spec.preprocess ?? null, ctx.seed]) };
}

/**
 * Splits and scales a source's rows as `spec` says, from the seed's streams. `own`: the source is this call's,
 * its rows reordered in place (no copy); else it is left as it was (a cached source split again). The arrays made
 * are in shared memory (a --jobs worker takes them as they are).
 */
export function splitSource(source: Source, spec: DataSpec, ctx: LoadContext, own = false): PreparedData {
  if (counts) Atomics.add(counts, 1, 1);
  const where = locator(ctx);
  const testFraction = spec.split?.test ?? DATA_DEFAULTS.test;
  const strata = source.kind === 'regression' ? undefined : source.strata;
  const held = splitIndices(source.x.rows, testFraction, Rng.stream(ctx.seed, 'split'), strata, where(['data', 'split', 'test']));
  const folds = spec.split?.folds;
  const chosen =
    folds === undefined
      ? withValidation(held, spec.split?.validation ?? 0, testFraction, ctx.seed, strata, where(['data', 'split', 'validation']))
      : withFold(held, folds, spec.split?.fold ?? 1, ctx.seed, foldStrata(source), where(['data', 'split', 'folds']), testFraction > 0);
  const split = { train: sharedInt32(chosen.train), test: sharedInt32(chosen.test), validation: sharedInt32(chosen.validation) };
  const parts = [split.train, split.validation, split.test];

  // NOTE: the rows are reordered in place (train, validation, test) into views, not copied out part by part:
  // source.x itself when it is this call's own, else one copy of it.
  const [trainX, validationX, testX] = partitionRows(own ? source.x : sharedCopy(source.x), parts);
  const [trainY, validationY, testY] = partitionRows(sharedCopy(source.y), parts);
  const kinds = preprocessKinds(spec.preprocess ?? DATA_DEFAULTS.preprocess);
  const scaler = fitScaler(kinds.features, trainX);
  const targetScaler = fitTargetScaler(kinds.targets, source, trainY, where);
  const ys = (y: Matrix) => (targetScaler ? applyScaler(targetScaler, y, y) : y);
  const data: PreparedData = {
    kind: source.kind,
    train: { x: applyScaler(scaler, trainX, trainX), y: ys(trainY) },
    featureNames: source.featureNames,
    targetNames: source.targetNames,
    scaler,
    ...(targetScaler ? { targetScaler } : {}),
    split,
  };
  if (split.validation.length > 0) data.validation = { x: applyScaler(scaler, validationX, validationX), y: ys(validationY) };
  if (split.test.length > 0) data.test = { x: applyScaler(scaler, testX, testX), y: ys(testY) };
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
  // Messages say the fraction as written, of all rows (not validation / (1 − test) of the training rows).
  const all = rows.length + split.test.length;
  const asked = `${validation} of ${all} ${all === 1 ? 'row' : 'rows'}` + (split.test.length > 0 ? ` (taken from the ${rows.length} left after the test split)` : '');
  const sub = splitIndices(rows.length, validation / (1 - test), Rng.stream(seed, 'validation'), strata && rows.map((r) => strata[r]), place, 'validation', asked);
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
function fitTargetScaler(kind: PreprocessKind, source: Source, trainY: Matrix, where: Where): Scaler | undefined {
  if (kind === 'none') return undefined;
  if (source.kind !== 'regression') {
    const msg = `target scaling is for regression only, but these targets are ${source.kind} classes (from the loss and the targets); use targets: none`;
    throw new UserError('data', msg, where(['data', 'preprocess', 'targets']));
  }
  return fitScaler(kind, trainY);
}
