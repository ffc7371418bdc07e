// Class labels to target matrices: the distinct labels in a fixed order (numerically if every label is a
// number a float64 holds as written, else by code point), then one-hot rows or a single 0/1 column. The order
// is the encoding: class i is column i of a one-hot row, and with 'binary' the second class is 1.

import { UserError, type Place } from '../errors.js';
import { zeros, type Matrix } from '../matrix.js';
import { isNumeric, type CsvTable } from './csv.js';

export type Encoding = 'one_hot' | 'binary';
export type ClassLabel = string | number;

export interface EncodedLabels {
  classes: ClassLabel[]; // in encoding order
  index: Int32Array; // class index of each row
}

/** A plain decimal as sign, digits and exponent without the zeros that leave its value alone ("1.50", "15e-1": "15e-1"). */
function canonicalDecimal(text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (m === null) return undefined;
  const fraction = m[3] ?? '';
  const all = (m[2] + fraction).replace(/^0+/, '');
  const digits = all.replace(/0+$/, '');
  if (digits === '') return '0';
  const exponent = BigInt(m[4] ?? 0) - BigInt(fraction.length) + BigInt(all.length - digits.length);
  return `${m[1] === '-' ? '-' : ''}${digits}e${exponent}`;
}

/** Does Number() hold the label's value as written? Not "12345678901234567" (…568) nor "1e400" (Infinity). */
const heldExactly = (label: string): boolean => canonicalDecimal(label) === canonicalDecimal(String(Number(label.trim())));

/**
 * Text in Unicode code point order, as numpy sorts strings (scikit-learn's LabelEncoder). NOTE: not `<`, which
 * compares UTF-16 units and puts a character above U+FFFF (its surrogates from U+D800) before U+E000 to U+FFFF.
 */
function byCodePoint(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y; // at the first difference: whole code points (equal lead surrogates before it)
  }
  return a.length - b.length;
}

/**
 * Distinct labels, sorted: as numbers (so "10" after "9", and "1" and "1.0" one class) if all are numbers that a
 * float64 holds as written; else as text, so that two labels never become one class (17-digit IDs that round to
 * the same float64) and no class is named by a number the file does not have.
 */
export function encodeLabels(labels: readonly string[]): EncodedLabels {
  const distinctTexts = [...new Set(labels)];
  const numeric = distinctTexts.every((label) => isNumeric(label) && heldExactly(label));
  const key = (label: string): ClassLabel => (numeric ? Number(label) : label);
  const distinct = [...new Set(labels.map(key))];
  const classes = numeric
    ? (distinct as number[]).sort((a, b) => a - b)
    : (distinct as string[]).sort(byCodePoint);
  const position = new Map<ClassLabel, number>(classes.map((c, i) => [c, i]));
  const index = Int32Array.from(labels, (label) => position.get(key(label))!);
  return { classes, index };
}

/** What the targets must fit: the last layer, and the loss named in messages. */
export interface UnitsCheck {
  /** Units of the last layer. */
  units: number;
  /** Where the units are written (or where the data are), for the message. */
  place: Place;
  /** The loss, named in the message ('cross_entropy'). */
  loss: string;
}

/** At least two classes in the targets: with one, the loss is 0 from the start and nothing is learned. */
export function checkTwoClasses(classes: readonly ClassLabel[], dataPlace: Place): void {
  if (classes.length < 2) {
    throw new UserError('data', `expected at least two classes in the targets, but found a single class (${listClasses(classes)})`, dataPlace);
  }
}

/** Checks the class count against the encoding and the units of the last layer. */
export function checkClassCount(classes: readonly ClassLabel[], encoding: Encoding, check: UnitsCheck, dataPlace: Place): void {
  checkTwoClasses(classes, dataPlace);
  const list = listClasses(classes);
  if (encoding === 'binary' && classes.length !== 2) {
    const msg =
      `expected exactly two classes for one output unit with ${check.loss}, but the data have ${classes.length} (${list}); ` +
      'use loss cross_entropy with one unit per class';
    throw new UserError('data', msg, dataPlace);
  }
  const needed = encoding === 'binary' ? 1 : classes.length;
  if (check.units !== needed) {
    const rule = encoding === 'binary' ? 'one unit for two classes' : 'one unit per class';
    const msg =
      `expected ${needed} output ${needed === 1 ? 'unit' : 'units'} (${rule}, with ${check.loss}), ` +
      `since the data have ${classes.length} classes (${list}), but the last layer has ${check.units}`;
    throw new UserError('data', msg, check.place);
  }
}

function listClasses(classes: readonly ClassLabel[]): string {
  const shown = classes.slice(0, 10).map(String).join(', ');
  return classes.length > 10 ? `${shown}, …` : shown;
}

/**
 * The first place where y is not 0/1 targets: a value other than 0 or 1 (row and column), or, with `oneHot`, a row
 * whose count of ones is not exactly one (row and that count); undefined when there is none.
 */
export function firstNonBinaryTarget(y: Matrix, oneHot: boolean): { row: number; col?: number; ones?: number } | undefined {
  for (let r = 0; r < y.rows; r++) {
    let ones = 0;
    for (let c = 0; c < y.cols; c++) {
      const v = y.data[r * y.cols + c];
      if (v === 1) ones++;
      else if (v !== 0) return { row: r, col: c };
    }
    if (oneHot && ones !== 1) return { row: r, ones };
  }
  return undefined;
}

/**
 * 0/1 target columns `cols` of a CSV table, read as y, as training and evaluate take them: a value other than 0 or 1
 * is an error at its line and field; with `oneHot`, a row without exactly one 1 at its line (`loss`, when given, is
 * named after the columns).
 */
export function checkZeroOneColumns(table: CsvTable, cols: readonly number[], y: Matrix, oneHot: boolean, loss?: string): void {
  const bad = firstNonBinaryTarget(y, oneHot);
  if (bad?.col !== undefined) {
    const msg = `expected 0 or 1 in column "${table.header[cols[bad.col]]}" (${oneHot ? 'a one-hot class column' : 'a 0/1 label'}), but found ${y.data[bad.row * y.cols + bad.col]}`;
    throw new UserError('data', msg, { file: table.file, line: table.lines[bad.row], column: cols[bad.col] + 1 });
  }
  if (bad !== undefined) {
    const msg = `expected exactly one 1 in the one-hot target columns ${cols.map((c) => table.header[c]).join(', ')}${loss ? ` (${loss})` : ''}, but found ${bad.ones}`;
    throw new UserError('data', msg, { file: table.file, line: table.lines[bad.row] });
  }
}

/** The target matrix for class indices: rows × k one-hot, or rows × 1 of 0/1 ('binary', k = 2). */
export function encodeTargets(index: Int32Array, k: number, encoding: Encoding): Matrix {
  if (encoding === 'binary') {
    const y = zeros(index.length, 1); // rows × 1
    index.forEach((c, r) => (y.data[r] = c));
    return y;
  }
  const y = zeros(index.length, k); // rows × k
  index.forEach((c, r) => (y.data[r * k + c] = 1));
  return y;
}
