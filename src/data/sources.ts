// The CSV and generated sources: rows read or drawn, the task chosen from the loss, the targets
// encoded and checked against the last layer. Inline data are in inline.ts; split and scaling in load.ts.

import { resolve } from 'node:path';
import { UserError, type Place } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { checkNumeric, columnIndices, labelColumn, numericColumns, readCsv, type CsvTable } from './csv.js';
import { checkClassCount, encodeLabels, encodeTargets, type ClassLabel, type Encoding } from './encode.js';
import { generate } from './generate.js';
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
): Pick<Source, 'task' | 'y' | 'targetNames' | 'classes' | 'threshold' | 'strata'> {
  const encoding: Encoding =
    ctx.loss === 'cross_entropy' || (ctx.loss === 'mse' && ctx.outputUnits > 1) ? 'one_hot' : 'binary';
  checkClassCount(classes, encoding, { units: ctx.outputUnits, place: ctx.outputUnitsPlace ?? dataPlace, loss: ctx.loss }, dataPlace);
  const y = encodeTargets(index, classes.length, encoding);
  const targetNames = encoding === 'binary' ? [name] : classes.map((c) => `${name}=${c}`);
  const threshold = encoding === 'binary' ? 0.5 : undefined;
  return { task: 'classification', y, targetNames, classes, threshold, strata: index };
}

/** A CSV file: mse makes a regression on numeric targets; the other losses a classification on one label column. */
export function fromCsv(spec: CsvSpec, ctx: LoadContext, where: Where): Source {
  const file = resolve(ctx.baseDir, spec.path);
  const labels = ctx.loss === 'mse' ? [] : typeof spec.target === 'string' ? [spec.target] : spec.target;
  const table = readCsv(file, spec.delimiter ?? DATA_DEFAULTS.delimiter, where(['data', 'csv', 'path']), spec.path, labels);
  const targetKey = ['data', 'csv', 'target'];
  const targetCols = columnIndices(table, spec.target, where, targetKey);
  const featureCols = featureColumns(table, targetCols, spec, where);
  checkNumeric(table, featureCols, 'a feature'); // features' errors first, then the targets'
  const y = ctx.loss === 'mse' ? numericColumns(table, targetCols, 'a target: loss mse makes this a regression; for class labels use cross_entropy') : undefined;
  const x = numericColumns(table, featureCols, 'a feature', true);
  const featureNames = featureCols.map((c) => table.header[c]);
  const targetNames = targetCols.map((c) => table.header[c]);
  if (y !== undefined) {
    checkRegressionUnits(y, targetNames, ctx, where(targetKey));
    return { task: 'regression', x, y, featureNames, targetNames };
  }
  if (targetCols.length !== 1) {
    const msg = `expected one target column of class labels for ${ctx.loss}, but found ${targetCols.length} (${targetNames.join(', ')})`;
    throw new UserError('data', msg, where(targetKey));
  }
  const { classes, index } = encodeLabels(labelColumn(table, targetCols[0]));
  return { x, featureNames, ...classTargets(index, classes, targetNames[0], ctx, where(targetKey)) };
}

/** The listed feature columns, or every column that is not a target; none may be a target. */
function featureColumns(table: CsvTable, targetCols: number[], spec: CsvSpec, where: Where): number[] {
  const { header } = table;
  if (spec.features === undefined) {
    const rest = header.map((_, c) => c).filter((c) => !targetCols.includes(c));
    if (rest.length === 0) {
      const msg = `expected at least one feature column besides the target, but the file's only columns are: ${header.join(', ')}`;
      throw new UserError('data', msg, where(['data', 'csv', 'target']));
    }
    return rest;
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
    return { task: 'regression', x: data.x, y: data.y!, featureNames, targetNames: ['y'] };
  }
  const classes = Array.from({ length: data.classCount }, (_, i) => i);
  const dataPlace = multiclass ? where(['data', 'generate', spec.classes === undefined ? 'kind' : 'classes']) : kindPlace;
  return { x: data.x, featureNames, ...classTargets(data.labels, classes, 'class', ctx, dataPlace) };
}
