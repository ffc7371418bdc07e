// Using a trained model: apply its stored preprocessing and network to new rows, and by the model's kind:
// multiclass and binary name the predicted class with one probability (or score) column per class; multilabel
// gives one 0/1 column and one probability column per label; regression the outputs in the data's units.
// Reading CSV files is data/csv's; the model file format is files/modelfile's.

import { UserError } from '../errors.js';
import { checkCsvArguments, modelArgument, checkRowsArgument } from './arguments.js';
import { numericColumns, readCsv, textColumn, type CsvTable } from '../data/csv.js';
import { applyScaler, invertScaler } from '../data/preprocess.js';
import { csvRow, csvText } from '../files/losslog.js';
import { fromRows, zeros, type Matrix } from '../matrix.js';
import { predictedClasses } from '../metrics.js';
import { Evaluator } from '../model/evaluator.js';
import { givenBack } from '../kernels/index.js';
import { networkFromModel, type ModelFile } from '../files/modelfile.js';

export interface Prediction {
  /** The network's outputs, (rows, units of the last layer); regression targets scaled in training are unscaled. */
  outputs: Matrix;
  /** Multiclass and binary: the predicted class of each row (a name from model.classes). */
  predicted?: (string | number)[];
  /** Column names and values of the prediction table (without id columns). */
  columns: string[];
  rows: (string | number)[][];
}

/** A prediction table without its rows materialized: column names and a function giving row r. */
interface PredictionTable {
  outputs: Matrix;
  predicted?: (string | number)[];
  columns: string[];
  row: (r: number) => (string | number)[];
}

/** Predicts for x: (rows, features) in the model's feature order, raw (the model's preprocessing is applied here); no rows, no predictions. */
export function predict(model: ModelFile, input: Matrix | readonly (readonly number[])[]): Prediction {
  model = modelArgument('predict', model);
  checkRowsArgument('predict', input);
  if (Array.isArray(input)) {
    // fromRows takes the first row's width: a shorter row would be padded with zeros, a longer one spill into the next.
    const r = (input as readonly (readonly number[])[]).findIndex((row) => row.length !== model.inputs);
    if (r >= 0) throw new UserError('data', `the model takes ${model.inputs} features, found ${input[r].length} in row ${r + 1}`);
  }
  // NOTE: no rows give no predictions, as a matrix of 0 rows does (fromRows would make it 0 features wide).
  const x = Array.isArray(input) ? (input.length === 0 ? zeros(0, model.inputs) : fromRows(input)) : (input as Matrix);
  if (x.cols === model.inputs) checkFinite(model, Array.isArray(input) ? (input as readonly (readonly number[])[]).flatMap((row) => Array.from(row)) : x.data); // rows may be typed arrays
  const { row, ...table } = predictionTable(model, x);
  return { ...table, rows: Array.from({ length: x.rows }, (_, r) => row(r)) };
}

/** Every value a finite number (NaN outputs would be read as the first class), as predictCsv's numeric columns. */
function checkFinite(model: ModelFile, values: ArrayLike<unknown>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    const c = i % model.inputs;
    const name = model.features?.[c] !== undefined ? ` (${model.features[c]})` : '';
    const found = typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
    throw new UserError('data', `expected a finite number for feature ${c + 1}${name} of row ${Math.floor(i / model.inputs) + 1}, found ${found}`);
  }
}

/** `scaleInPlace`: x is the caller's own copy, which the model's preprocessing may overwrite. */
function predictionTable(model: ModelFile, x: Matrix, scaleInPlace = false): PredictionTable {
  if (x.cols !== model.inputs) throw new UserError('data', `the model takes ${model.inputs} features, found ${x.cols}`);
  const p = model.preprocess;
  const scaled = p ? applyScaler(p, x, scaleInPlace ? x : undefined) : x;
  const outputs = givenBack(() => new Evaluator(networkFromModel(model)).outputs(scaled)); // a plain array
  const t = model.target_preprocess;
  if (t && model.kind === 'regression') invertScaler(t, outputs); // in the data's units
  const out = (r: number, c: number) => outputs.data[r * outputs.cols + c];
  const outputRow = (r: number): number[] => Array.prototype.slice.call(outputs.data.subarray(r * outputs.cols, (r + 1) * outputs.cols));
  const targets = model.targets ?? Array.from({ length: outputs.cols }, (_, c) => `y${c + 1}`);
  if (model.kind === 'regression') return { outputs, columns: targets, row: outputRow };
  if (model.kind === 'multilabel') {
    // One 0/1 column per label (output above the threshold), then one probability column per label.
    const t = model.threshold ?? 0.5;
    const columns = [...targets, ...targets.map((l) => `p_${l}`)];
    const row = (r: number) => {
      const p = outputRow(r);
      return [...p.map((v) => (v > t ? 1 : 0)), ...p];
    };
    return { outputs, columns, row };
  }
  const classes = model.classes!; // multiclass and binary (modelcheck: their classes are there)
  const predicted = predictedClasses(outputs, model.threshold ?? 0.5).map((k) => classes[k]);
  if (model.loss === 'cross_entropy' || model.loss === 'binary_cross_entropy') {
    const columns = ['predicted', ...classes.map((c) => `p_${c}`)];
    // A single sigmoid output is P(second class); the first class gets 1 − p.
    const probs = (r: number) => (outputs.cols === 1 ? [1 - out(r, 0), out(r, 0)] : outputRow(r));
    return { outputs, predicted, columns, row: (r) => [predicted[r], ...probs(r)] };
  }
  // Classification by squared error: the outputs are scores, not probabilities.
  const columns = ['predicted', ...Array.from({ length: outputs.cols }, (_, c) => `output_${c + 1}`)];
  return { outputs, predicted, columns, row: (r) => [predicted[r], ...outputRow(r)] };
}

/** The model's feature columns of a table; its id and target columns may be there too, anything else is an error. */
function featureMatrix(model: ModelFile, table: CsvTable, ids: readonly string[]): Matrix {
  if (model.features === undefined) {
    const msg = `the model file has no "features" naming its ${model.inputs} input columns, so they cannot be found in this file's header`;
    throw new UserError('data', msg, { file: table.file, line: table.headerLine });
  }
  const features = model.features;
  const twice = ids.find((id, k) => ids.indexOf(id) < k);
  if (twice !== undefined) throw new UserError('usage', `--id ${twice} is given twice; expected each column once`);
  const absentId = ids.find((id) => !table.header.includes(id));
  if (absentId !== undefined) {
    throw new UserError('data', `expected the column ${JSON.stringify(absentId)} (--id), but the file's columns are: ${table.header.join(', ')}`, { file: table.file, line: table.headerLine });
  }
  const missing = features.filter((f) => !table.header.includes(f));
  if (missing.length > 0) {
    throw new UserError('data', `missing column(s) ${missing.map((m) => `"${m}"`).join(', ')}; the model takes the features: ${features.join(', ')}; the file's columns are: ${table.header.join(', ')}`, { file: table.file, line: table.headerLine });
  }
  // The target columns may be there too (labelled data): the label column, or the target columns themselves.
  const known = new Set([...features, ...ids, ...(model.targets ?? []), ...(model.label_column !== undefined ? [model.label_column] : [])]);
  const extra = table.header.filter((h) => !known.has(h));
  if (extra.length > 0) {
    throw new UserError('data', `unexpected column(s) ${extra.map((m) => `"${m}"`).join(', ')}: the model takes only ${features.join(', ')} (pass --id NAME to copy a column into the output)`, { file: table.file, line: table.headerLine });
  }
  return numericColumns(table, features.map((f) => table.header.indexOf(f)), 'a feature', true);
}

/** Predicts for every row of a CSV file; returns the output CSV text (id columns first, then the prediction). */
export function predictCsv(model: ModelFile, csvFile: string, ids: readonly string[] = []): string {
  return predictCsvParts(model, csvFile, ids).join('');
}

/** predictCsv's text in consecutive parts (the header, then 4096 rows each): written one by one, never joined. */
export function predictCsvParts(model: ModelFile, csvFile: string, ids: readonly string[] = []): string[] {
  model = modelArgument('predictCsv', model);
  checkCsvArguments('predictCsv', csvFile, ids);
  const table = readCsv(csvFile, ',', { file: csvFile }, csvFile, ids);
  const result = predictionTable(model, featureMatrix(model, table, ids), true);
  const idTexts = ids.map((id) => textColumn(table, table.header.indexOf(id)));
  const parts: string[] = [csvText([...ids, ...result.columns], [])];
  const row = idTexts.length === 0 ? result.row : (r: number) => [...idTexts.map((t) => t[r]), ...result.row(r)];
  for (let start = 0; start < table.rowCount; start += 4096) {
    let chunk = ''; // NOTE: one string per 4096 rows, not one per row: far less memory for millions of rows
    for (let r = start; r < Math.min(start + 4096, table.rowCount); r++) chunk += csvRow(row(r));
    parts.push(chunk);
  }
  return parts;
}
