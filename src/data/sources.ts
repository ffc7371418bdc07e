// The CSV and generated sources: rows read or drawn, the target kind chosen from the loss and the target
// columns, the targets encoded and checked against the last layer:
//   mse: regression on numeric target columns;
//   cross_entropy: multiclass, from one label column (one-hot encoded) or several one-hot columns;
//   binary_cross_entropy: binary from one label column of two classes, multilabel from several 0/1 columns.
// Inline data are in inline.ts; split and scaling in load.ts.

import { resolve } from 'node:path';
import { UserError, type Place } from '../errors.js';
import { argmaxRow, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { checkNumeric, columnIndices, labelColumn, numericColumns, readCsv, type CsvTable } from './csv.js';
import { checkClassCount, checkTwoClasses, checkZeroOneColumns, encodeLabels, encodeTargets, type ClassLabel, type Encoding } from './encode.js';
import { generate } from './generate.js';
import { labelCombinations } from './strata.js';
import { DATA_DEFAULTS, MULTICLASS_GENERATORS, type CsvSpec, type GenerateSpec } from './schema.js';
import type { Where } from '../errors.js';
import type { LoadContext, Source } from './types.js';

/** Regression targets must fit the last layer: one unit per target column. */
function checkRegressionUnits(y: Matrix, names: string[], ctx: LoadContext, place: Place): void {
  if (y.cols !== ctx.outputUnits) {
    const msg = `expected the last layer to have one unit per target (${y.cols}: ${names.join(', ')}), but it has ${ctx.outputUnits}`;
    throw new UserError('data', msg, ctx.outputUnitsPlace ?? place);
  }
}

/** Class indices to targets, after checking the class count against the loss and the last layer. */
function classTargets(
  index: Int32Array,
  classes: ClassLabel[],
  name: string,
  ctx: LoadContext,
  dataPlace: Place,
): Pick<Source, 'kind' | 'y' | 'targetNames' | 'classes' | 'threshold' | 'strata'> {
  const encoding: Encoding =
    ctx.loss === 'cross_entropy' || (ctx.loss === 'mse' && ctx.outputUnits > 1) ? 'one_hot' : 'binary';
  checkClassCount(classes, encoding, { units: ctx.outputUnits, place: ctx.outputUnitsPlace ?? dataPlace, loss: ctx.loss }, dataPlace);
  const y = encodeTargets(index, classes.length, encoding);
  const targetNames = encoding === 'binary' ? [name] : classes.map((c) => `${name}=${c}`);
  const threshold = encoding === 'binary' ? 0.5 : undefined;
  return { kind: encoding === 'binary' ? 'binary' : 'multiclass', y, targetNames, classes, threshold, strata: index };
}

/** A CSV file: mse makes a regression on numeric targets; the other losses a classification on one label column. */
export function fromCsv(spec: CsvSpec, ctx: LoadContext, where: Where): Source {
  const file = resolve(ctx.baseDir, spec.path);
  const targets = typeof spec.target === 'string' ? [spec.target] : spec.target;
  const labels = ctx.loss === 'mse' || targets.length > 1 ? [] : targets;
  const table = readCsv(file, spec.delimiter ?? DATA_DEFAULTS.delimiter, where(['data', 'csv', 'path']), spec.path, labels, where(['data', 'csv', 'delimiter']));
  const targetKey = ['data', 'csv', 'target'];
  const targetCols = columnIndices(table, spec.target, where, targetKey);
  const featureCols = featureColumns(table, targetCols, spec, where);
  // Features' errors first, then the targets'; a default feature that is not a number may be an ID: say how to leave it out.
  checkNumeric(table, featureCols, 'a feature', spec.features === undefined ? IGNORE_HINT : FEATURES_HINT);
  const y = ctx.loss === 'mse' ? numericColumns(table, targetCols, 'a target: loss mse makes this a regression; for class labels use cross_entropy') : undefined;
  // NOTE: the several target columns before the features, whose reading consumes the table's values.
  const columns = y === undefined && targetCols.length > 1 ? columnTargets(table, targetCols, ctx, where(targetKey)) : undefined;
  const x = numericColumns(table, featureCols, 'a feature', true);
  const featureNames = featureCols.map((c) => table.header[c]);
  const targetNames = targetCols.map((c) => table.header[c]);
  const read = { [file]: table.sha256! };
  if (y !== undefined) {
    checkRegressionUnits(y, targetNames, ctx, where(targetKey));
    return { kind: 'regression', x, y, featureNames, targetNames, read };
  }
  if (columns !== undefined) return { x, featureNames, ...columns, read };
  const { classes, index } = encodeLabels(labelColumn(table, targetCols[0]));
  return { x, featureNames, labelColumn: targetNames[0], ...classTargets(index, classes, targetNames[0], ctx, where(targetKey)), read };
}

const IGNORE_HINT = 'if it is not an input (an ID, a name), list it in data.csv.ignore';
const FEATURES_HINT = 'if it is not an input, remove it from data.csv.features';

/** The listed feature columns, or every column that is neither a target nor ignored; none may be a target. */
function featureColumns(table: CsvTable, targetCols: number[], spec: CsvSpec, where: Where): number[] {
  const { header } = table;
  if (spec.features === undefined) {
    const ignored = ignoredColumns(table, targetCols, spec.ignore ?? [], where);
    const rest = header.map((_, c) => c).filter((c) => !targetCols.includes(c) && !ignored.includes(c));
    if (rest.length === 0) {
      const besides = ignored.length > 0 ? 'besides the target and the ignored columns' : 'besides the target';
      const msg = `expected at least one feature column ${besides}, but the file's only columns are: ${header.join(', ')}`;
      throw new UserError('data', msg, where(['data', 'csv', ignored.length > 0 ? 'ignore' : 'target']));
    }
    return rest;
  }
  if (spec.ignore !== undefined) {
    const msg = 'expected either features (the inputs, listed) or ignore (columns left out of the default features), found both; drop ignore';
    throw new UserError('data', msg, where(['data', 'csv', 'ignore']));
  }
  const cols = columnIndices(table, spec.features, where, ['data', 'csv', 'features']);
  cols.forEach((c, i) => {
    if (targetCols.includes(c)) {
      const msg = `expected feature columns that are not targets, but ${JSON.stringify(header[c])} is also the target`;
      throw new UserError('data', msg, where(['data', 'csv', 'features', i]));
    }
  });
  return cols;
}

/** The columns of data.csv.ignore: each must exist and not be a target. */
function ignoredColumns(table: CsvTable, targetCols: number[], names: string[], where: Where): number[] {
  const cols = columnIndices(table, names, where, ['data', 'csv', 'ignore']);
  cols.forEach((c, i) => {
    if (targetCols.includes(c)) {
      const msg = `expected ignored columns that are not targets, but ${JSON.stringify(table.header[c])} is the target`;
      throw new UserError('data', msg, where(['data', 'csv', 'ignore', i]));
    }
  });
  return cols;
}

/** A generated data set, drawn from the seed's 'data' stream. */
export function fromGenerated(spec: GenerateSpec, ctx: LoadContext, where: Where): Source {
  const multiclass = MULTICLASS_GENERATORS.includes(spec.kind);
  if (spec.classes !== undefined && !multiclass) {
    const fixed = spec.kind === 'sine' ? 'is a regression data set' : 'always has two classes';
    const msg = `expected no classes key for ${spec.kind}, which ${fixed}; classes applies to ${MULTICLASS_GENERATORS.join(' and ')}`;
    throw new UserError('data', msg, where(['data', 'generate', 'classes']));
  }
  const params = {
    kind: spec.kind,
    samples: spec.samples ?? DATA_DEFAULTS.samples,
    noise: spec.noise ?? DATA_DEFAULTS.noise,
    classes: spec.classes ?? DATA_DEFAULTS.classes,
  };
  const data = generate(params, Rng.stream(ctx.seed, 'data'));
  const featureNames = Array.from({ length: data.x.cols }, (_, i) => `x${i + 1}`);
  const kindPlace = where(['data', 'generate', 'kind']);
  if (data.labels === undefined) {
    if (ctx.loss !== 'mse') {
      throw new UserError('data', `expected loss mse for ${spec.kind}, a regression data set, but the loss is ${ctx.loss}`, kindPlace);
    }
    checkRegressionUnits(data.y!, ['y'], ctx, kindPlace);
    return { kind: 'regression', x: data.x, y: data.y!, featureNames, targetNames: ['y'] };
  }
  const classes = Array.from({ length: data.classCount }, (_, i) => i);
  const dataPlace = multiclass ? where(['data', 'generate', spec.classes === undefined ? 'kind' : 'classes']) : kindPlace;
  return { x: data.x, featureNames, ...classTargets(data.labels, classes, 'class', ctx, dataPlace) };
}

/**
 * Several target columns of class data: 0/1 labels (binary_cross_entropy: multilabel) or one-hot rows
 * (cross_entropy: multiclass, the columns naming the classes). Every value is checked, located at its line.
 */
function columnTargets(table: CsvTable, cols: number[], ctx: LoadContext, place: Place): Pick<Source, 'kind' | 'y' | 'targetNames' | 'classes' | 'threshold' | 'strata'> {
  const names = cols.map((c) => table.header[c]);
  const multilabel = ctx.loss === 'binary_cross_entropy';
  const y = numericColumns(table, cols, multilabel ? 'a label: 0 or 1' : 'a one-hot class column: 0 or 1');
  const k = cols.length;
  checkZeroOneColumns(table, cols, y, !multilabel, 'cross_entropy');
  if (ctx.outputUnits !== k) {
    const rule = multilabel ? 'one sigmoid unit per label' : 'one unit per class';
    throw new UserError('data', `expected ${k} output units (${rule}, with ${ctx.loss}) for the target columns ${names.join(', ')}, but the last layer has ${ctx.outputUnits}`, ctx.outputUnitsPlace ?? place);
  }
  if (multilabel) return { kind: 'multilabel', y, targetNames: names, threshold: 0.5, strata: labelCombinations(y, 0.5) };
  const index = Int32Array.from({ length: y.rows }, (_, r) => argmaxRow(y, r));
  // At least two classes present; the units were checked against the columns above (one per column, even one
  // whose class has no row, as for inline one-hot rows), so not against the classes present.
  checkTwoClasses([...new Set(index)].sort((a, b) => a - b).map((i) => names[i]), place);
  return { kind: 'multiclass', y, targetNames: names, classes: names, strata: index };
}
