// Scoring a trained model on labelled rows: the model's loss (as the loss log computes it: on scaled targets
// when the model scaled them), accuracy and the confusion matrix (classification) or R² (regression), on every
// row of a CSV file or on given rows (a run's held-out test or validation rows, from its run.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { labelColumn, numericColumns, readCsv, selectRows, type CsvTable } from '../data/csv.js';
import { encodeTargets, type ClassLabel } from '../data/encode.js';
import { applyScaler } from '../data/preprocess.js';
import { networkFromModel, type ModelFile } from '../files/modelfile.js';
import type { RunRecord } from '../files/runfile.js';
import { zeros, type Matrix } from '../matrix.js';
import { accuracy, confusionMatrix, predictedClasses, r2 } from '../metrics.js';
import { Evaluator } from '../model/evaluate.js';

export const EVALUATION_FORMAT = 'mlplab.evaluation/v1';

export interface Evaluation {
  format: typeof EVALUATION_FORMAT;
  /** Which rows: all of the file, or a run's test or validation rows. */
  rows: 'all' | 'test' | 'validation';
  count: number;
  loss_function: string;
  /** The mean loss, as the loss log's (on the scaled targets when the model scales them). */
  loss: number;
  accuracy?: number;
  r2?: number;
  /** Classification: matrix[true class][predicted class] = count. */
  confusion?: { classes: ClassLabel[]; matrix: number[][] };
}

/** A run's held-out test (or validation) rows, from DIR/run.json. */
export function runRows(runDir: string, part: 'test' | 'validation' = 'test'): number[] {
  const file = join(runDir, 'run.json');
  let run: RunRecord;
  try {
    run = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError('io', `cannot read the run record: ${(e as Error).message}`, { file });
  }
  const rows = part === 'test' ? run.test_rows : run.validation_rows;
  if (!Array.isArray(rows)) throw new UserError('data', `this run has no ${part} rows (it had no ${part} split)`, { file, path: `${part}_rows` });
  return rows;
}

/** The field separator of a run's CSV data (its config.json's data.csv.delimiter), ',' when it has none. */
export function runDelimiter(runDir: string): string {
  try {
    return JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).data?.csv?.delimiter ?? ',';
  } catch {
    return ',';
  }
}

/** Evaluates the model on the rows of a CSV file (all, or the given 0-based data rows). */
export function evaluateCsv(model: ModelFile, csvFile: string, rows?: readonly number[], subset: Evaluation['rows'] = 'all', delimiter = ','): Evaluation {
  const full = readCsv(csvFile, delimiter, { file: csvFile });
  const table = rows ? pickRows(full, rows) : full;
  const column = (name: string) => {
    const c = table.header.indexOf(name);
    if (c < 0) throw new UserError('data', `missing column "${name}", which the model needs`, { file: table.file, line: 1 });
    return c;
  };
  if (!model.features || !model.targets) throw new UserError('data', 'the model file names no feature or target columns (trained on inline data?)');
  const p = model.preprocess;
  const x0 = numericColumns(table, model.features.map(column), 'a feature');
  const x = p ? applyScaler(p, x0) : x0;
  const y = model.classes ? classTargets(model, table, column(model.targets[0].split('=')[0])) : regressionTargets(model, table, model.targets.map(column));
  const out: Matrix = zeros(x.rows, y.cols);
  const loss = new Evaluator(networkFromModel(model)).run(x, y, model.loss, out);
  const result: Evaluation = { format: EVALUATION_FORMAT, rows: subset, count: x.rows, loss_function: model.loss, loss };
  if (!model.classes) return { ...result, r2: r2(out, y) };
  const t = model.threshold;
  const matrix = confusionMatrix(predictedClasses(out, t), predictedClasses(y, t), model.classes.length);
  return { ...result, accuracy: accuracy(out, y, t), confusion: { classes: model.classes, matrix } };
}

function pickRows(table: CsvTable, rows: readonly number[]): CsvTable {
  const bad = rows.find((r) => !(Number.isInteger(r) && r >= 0 && r < table.rowCount));
  if (bad !== undefined) throw new UserError('data', `the run's test rows include row ${bad}, but the file has ${table.rowCount} data rows: is it the run's data file?`, { file: table.file });
  return selectRows(table, rows);
}

/** Class labels encoded as the model was trained: one-hot over model.classes, or one 0/1 column. */
function classTargets(model: ModelFile, table: CsvTable, c: number): Matrix {
  const classes = model.classes!;
  const labels = labelColumn(table, c);
  const index = Int32Array.from(labels, (label, r) => {
    const k = classes.findIndex((cl) => (typeof cl === 'number' ? Number(label) === cl : label === cl));
    if (k < 0) throw new UserError('data', `unknown class "${label}" in column "${table.header[c]}"; the model knows: ${classes.join(', ')}`, { file: table.file, line: table.lines[r], column: c + 1 });
    return k;
  });
  return encodeTargets(index, classes.length, model.layers[model.layers.length - 1].units === 1 ? 'binary' : 'one_hot');
}

/** Numeric targets, scaled as in training when the model scaled them. */
function regressionTargets(model: ModelFile, table: CsvTable, columns: number[]): Matrix {
  const y = numericColumns(table, columns, 'a target');
  const t = model.target_preprocess;
  return t ? applyScaler(t, y) : y;
}
