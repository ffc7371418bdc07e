// Data written in the experiment file (`data.inline`): checks the row widths against each other and
// the last layer, and decides the target kind from the loss and the targets, which are used as given:
//   cross_entropy: multiclass (rows are class probabilities, usually one-hot);
//   binary_cross_entropy: binary for one column, multilabel for several (each column a 0/1 label);
//   mse: binary for one column of exactly two values (split at their midpoint), multiclass for one-hot rows,
//        otherwise regression (a column of one value too).
// Splitting and scaling are load.ts's.

import { UserError } from '../errors.js';
import { argmaxRow, fromRows } from '../matrix.js';
import { binaryThreshold } from '../metrics.js';
import { firstNonBinaryTarget } from './encode.js';
import { labelCombinations } from './strata.js';
import type { InlineSpec } from './schema.js';
import type { Where } from '../errors.js';
import type { LoadContext, Source } from './types.js';

/** Every row of `rows` must be as wide as the first; the error is at the first row that is not. */
function checkWidths(rows: number[][], key: 'inputs' | 'targets', where: Where): number {
  const width = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      const msg = `expected ${width} ${width === 1 ? 'value' : 'values'} per row, as in the first row, but found ${row.length}`;
      throw new UserError('data', msg, where(['data', 'inline', key, i]));
    }
  });
  return width;
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

export function fromInline(spec: InlineSpec, ctx: LoadContext, where: Where): Source {
  const inputWidth = checkWidths(spec.inputs, 'inputs', where);
  const targetWidth = checkWidths(spec.targets, 'targets', where);
  if (spec.targets.length !== spec.inputs.length) {
    const msg = `expected one target row per input row (${spec.inputs.length}), but found ${spec.targets.length}`;
    throw new UserError('data', msg, where(['data', 'inline', 'targets']));
  }
  if (targetWidth !== ctx.outputUnits) {
    const values = ctx.outputUnits === 1 ? 'value' : 'values';
    const msg = `expected target rows of ${ctx.outputUnits} ${values}, one per unit of the last layer, but found ${targetWidth}`;
    throw new UserError('data', msg, where(['data', 'inline', 'targets']));
  }
  checkTargetRange(spec.targets, ctx.loss, where);
  const x = fromRows(spec.inputs); // rows × inputWidth
  const y = fromRows(spec.targets); // rows × targetWidth
  const base = { x, y, featureNames: names('x', inputWidth), targetNames: names('y', targetWidth) };
  if (ctx.loss === 'binary_cross_entropy' && y.cols > 1) return { ...base, kind: 'multilabel', threshold: 0.5, strata: labelCombinations(y, 0.5) };
  if (ctx.loss === 'mse' && !(y.cols === 1 ? new Set(y.data).size === 2 : firstNonBinaryTarget(y, true) === undefined)) return { ...base, kind: 'regression' };
  if (y.cols > 1) {
    const strata = Int32Array.from({ length: y.rows }, (_, r) => argmaxRow(y, r));
    checkTwoStrata(strata, (k) => `class ${k} (column ${k + 1} of the targets)`, where);
    return { ...base, kind: 'multiclass', classes: Array.from({ length: y.cols }, (_, i) => i), strata };
  }
  // One column: class 0 is at or below the threshold, class 1 above; named by the lowest and highest target.
  const bce = ctx.loss === 'binary_cross_entropy';
  const threshold = bce ? 0.5 : binaryThreshold(y);
  const classes = bce ? [0, 1] : [y.data.reduce((a, b) => Math.min(a, b)), y.data.reduce((a, b) => Math.max(a, b))];
  const strata = Int32Array.from(y.data, (v) => (v > threshold ? 1 : 0));
  checkTwoStrata(strata, (k) => (k === 1 ? `targets above ${threshold}` : `targets at or below ${threshold}`), where);
  return { ...base, kind: 'binary', classes, threshold, strata };
}

/** Classification needs rows of at least two classes: with one, the loss is 0 from the start and nothing is learned. */
function checkTwoStrata(strata: Int32Array, name: (k: number) => string, where: Where): void {
  if (strata.every((k) => k === strata[0])) {
    const msg = `expected at least two classes in the targets, but every row has the same class: ${name(strata[0])}`;
    throw new UserError('data', msg, where(['data', 'inline', 'targets']));
  }
}

/** cross_entropy targets are distributions over classes; binary_cross_entropy targets lie in [0, 1]. */
function checkTargetRange(targets: number[][], loss: LoadContext['loss'], where: Where): void {
  targets.forEach((row, i) => {
    const sum = row.reduce((a, b) => a + b, 0);
    const place = where(['data', 'inline', 'targets', i]);
    if (loss === 'cross_entropy' && (row.some((v) => v < 0) || Math.abs(sum - 1) > 1e-9)) {
      const msg =
        'expected each target row to be class probabilities for cross_entropy ' +
        `(values ≥ 0 summing to 1, such as a one-hot row), but found [${row.join(', ')}]`;
      throw new UserError('data', msg, place);
    }
    if (loss === 'binary_cross_entropy' && row.some((v) => v < 0 || v > 1)) {
      const msg = `expected target values between 0 and 1 for binary_cross_entropy, but found [${row.join(', ')}]`;
      throw new UserError('data', msg, place);
    }
  });
}
