// Scoring a trained model on labelled rows: the model's loss (as the loss log computes it: on scaled targets
// when the model scaled them) and its kind's metrics, as the loss log's (metrics.ts: accuracy, and for multilabel
// hamming_accuracy; R², RMSE and MAE in the targets' units), the confusion matrix and the per-class report, on
// every row of a CSV file or on given rows (a run's held-out test or validation rows, from its run.json).
// Which columns hold the targets follows from the model's kind (targetsOf).

import { basename, join } from 'node:path';
import { badArgument, described, isUserError, UserError } from '../errors.js';
import { checkCsvArguments, modelArgument } from './arguments.js';
import { labelColumn, numericColumns, readCsv, selectRows, type CsvTable } from '../data/csv.js';
import { decimalOf } from '../data/decimal.js';
import { checkZeroOneColumns, encodeTargets } from '../data/encode.js';
import { applyScaler } from '../data/preprocess.js';
import { networkFromModel, type ModelFile } from '../files/modelfile.js';
import { sha256File } from '../files/hash.js';
import { checkRegularFile } from '../files/safefs.js';
import { readRunJson, type RunRecord } from '../files/runfile.js';
import { zeros, type Matrix } from '../matrix.js';
import { classificationSummary, scores, type ClassificationReport, type ConfusionCounts, type TargetKind } from '../metrics.js';
import { Evaluator } from '../model/evaluator.js';
import { givenBack } from '../kernels/index.js';

export const EVALUATION_FORMAT = 'mlplab.evaluation/v1';

export interface Evaluation {
  format: typeof EVALUATION_FORMAT;
  /** Which rows: all of the file, or a run's test or validation rows. */
  rows: 'all' | 'test' | 'validation';
  count: number;
  /** The model's target kind, which decides the metrics. */
  kind: TargetKind;
  loss_function: string;
  /** The mean loss, as the loss log's (on the scaled targets when the model scales them). */
  loss: number;
  /** Classification: the fraction of rows right (multilabel: with every label right). */
  accuracy?: number;
  /** Multilabel: the fraction of single labels right. */
  hamming_accuracy?: number;
  r2?: number;
  /** Regression: in the targets' own units (the scaling inverted). */
  rmse?: number;
  mae?: number;
  /** Classification: matrix[true class][predicted class] = count; multilabel: [[tn, fp], [fn, tp]] per label. */
  confusion?: ConfusionCounts;
  classification_report?: ClassificationReport;
}

/** A run's held-out test (or validation) rows, from DIR/run.json; with `csvFile`, that file checked to be the run's data (checkRunDataFile). */
export function runRows(runDir: string, part: 'test' | 'validation' = 'test', csvFile?: string): number[] {
  if (typeof runDir !== 'string') badArgument('runRows', 'the run folder', 'a path (a string)', runDir);
  if (part !== 'test' && part !== 'validation') badArgument('runRows', 'the part', 'test or validation', part);
  if (csvFile !== undefined && typeof csvFile !== 'string') badArgument('runRows', 'the data file', 'a path (a string)', csvFile);
  const file = join(runDir, 'run.json');
  let run: Partial<RunRecord> | null;
  try {
    run = readRunJson(file) as Partial<RunRecord> | null;
  } catch (e) {
    if (isUserError(e)) throw e; // not a regular file, too large: said as such
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? "no such file (is --run DIR a run's results folder?)" : e instanceof SyntaxError ? `expected JSON, found text that is not (${e.message})` : (e as Error).message;
    throw new UserError('io', `cannot read the run record: ${why}`, { file });
  }
  if (run === null || typeof run !== 'object' || Array.isArray(run)) throw new UserError('data', `cannot read the run record: expected a JSON object, found ${described(run)}`, { file });
  const path = `${part}_rows`;
  const rows: unknown = part === 'test' ? run.test_rows : run.validation_rows;
  if (rows === undefined || rows === null) throw new UserError('data', `this run has no ${part} rows (it had no ${part} split)`, { file, path });
  // A damaged file's rows are said at its key, not as evaluateCsv's argument (a usage error naming a function).
  if (!Array.isArray(rows)) throw new UserError('data', `expected a list of 0-based data row numbers, found ${described(rows)}`, { file, path });
  const seen = new Set<number>();
  rows.forEach((r: unknown, k) => {
    if (!(Number.isSafeInteger(r) && (r as number) >= 0)) throw new UserError('data', `expected a 0-based data row number, found ${described(r)}`, { file, path: `${path}[${k}]` });
    if (seen.has(r as number)) throw new UserError('data', `expected each data row once, found row ${r} again (is run.json damaged?)`, { file, path: `${path}[${k}]` });
    seen.add(r as number);
  });
  if (csvFile !== undefined) checkRunDataFile(run, file, csvFile, part);
  return rows as number[];
}

/**
 * Refuses a data file other than the one the run read (the SHA-256 run.json's inputs record for data.csv.path): the
 * run's row numbers are that file's, so another file's rows (an edited copy of the same length) would give other
 * metrics said to be the run's. A run of inline or generated data records no data file: nothing to compare.
 */
function checkRunDataFile(run: Partial<RunRecord>, runFile: string, csvFile: string, part: string): void {
  const input = Array.isArray(run.inputs) ? (run.inputs as unknown[]).find((i): i is RunRecord['inputs'][number] => typeof i === 'object' && i !== null && (i as { key?: unknown }).key === 'data.csv.path') : undefined;
  if (input === undefined || typeof input.sha256 !== 'string') return;
  let digest: string;
  try {
    checkRegularFile(csvFile, 'a CSV file'); // NOTE: first: a FIFO opened to be hashed waits for a writer, forever if none comes
    digest = sha256File(csvFile);
  } catch {
    return; // a file that cannot be read (a FIFO, missing): evaluateCsv says why
  }
  if (digest === input.sha256) return;
  const short = (d: string) => `${d.slice(0, 12)}…`;
  throw new UserError('data', `not the data file the run read: its SHA-256 is ${short(digest)}, ${basename(runFile)} records ${short(input.sha256)} for ${typeof input.path === 'string' ? input.path : 'its data file'}; --rows ${part} takes the run's row numbers, which are that file's`, { file: csvFile });
}

/** The field separator of a run's CSV data (its config.json's data.csv.delimiter), ',' when it has none. */
export function runDelimiter(runDir: string): string {
  const file = join(runDir, 'config.json');
  let delimiter: unknown;
  try {
    delimiter = (readRunJson(file) as { data?: { csv?: { delimiter?: unknown } } } | null)?.data?.csv?.delimiter;
  } catch (e) {
    if (isUserError(e)) throw e; // there, but not a regular file or too large: said as such
    return ',';
  }
  if (delimiter === undefined || delimiter === null) return ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1) throw new UserError('data', `expected one character, found ${described(delimiter)}`, { file, path: 'data.csv.delimiter' });
  return delimiter;
}

/** Evaluates the model on the rows of a CSV file (all, or the given 0-based data rows). */
export function evaluateCsv(model: ModelFile, csvFile: string, rows?: readonly number[], subset: Evaluation['rows'] = 'all', delimiter = ','): Evaluation {
  model = modelArgument('evaluateCsv', model);
  checkCsvArguments('evaluateCsv', csvFile);
  const k = rows === undefined ? -1 : Array.isArray(rows) ? rows.findIndex((r) => !(Number.isSafeInteger(r) && r >= 0)) : 0;
  if (k >= 0) badArgument('evaluateCsv', Array.isArray(rows) ? `rows[${k}]` : 'the rows', Array.isArray(rows) ? 'a 0-based data row number' : 'a list of 0-based data row numbers (runRows(dir))', Array.isArray(rows) ? rows[k] : rows);
  if (!['all', 'test', 'validation'].includes(subset)) badArgument('evaluateCsv', 'the subset', 'all, test or validation', subset);
  if (typeof delimiter !== 'string' || delimiter.length !== 1) badArgument('evaluateCsv', 'the delimiter', 'one character', delimiter);
  const full = readCsv(csvFile, delimiter, { file: csvFile });
  const table = rows ? pickRows(full, rows, subset) : full;
  if (!model.features || !model.targets) throw new UserError('data', 'the model file names no feature or target columns (trained on inline data?)');
  const missing = model.features.filter((f) => !table.header.includes(f));
  if (missing.length > 0) throw new UserError('data', `missing feature column(s) ${missing.map((m) => `"${m}"`).join(', ')}; the model takes: ${model.features.join(', ')}; the file's columns are: ${table.header.join(', ')}`, { file: table.file, line: table.headerLine });
  const p = model.preprocess;
  const x0 = numericColumns(table, model.features.map((f) => table.header.indexOf(f)), 'a feature');
  const x = p ? applyScaler(p, x0) : x0;
  const y = targetsOf(model, table);
  const out: Matrix = zeros(x.rows, y.cols);
  const loss = givenBack(() => new Evaluator(networkFromModel(model)).run(x, y, model.loss, out));
  const base: Evaluation = { format: EVALUATION_FORMAT, rows: subset, count: x.rows, kind: model.kind, loss_function: model.loss, loss };
  const metrics = { ...base, ...scores(model.kind, out, y, { threshold: model.threshold, targetScale: model.target_preprocess?.scale }) };
  if (model.kind === 'regression') return metrics;
  const names = model.kind === 'multilabel' ? model.targets : model.classes!;
  return { ...metrics, ...classificationSummary(model.kind, out, y, names, model.threshold) };
}

/** The given rows of the table (0-based row numbers, evaluateCsv's checked already), each one the file has. */
function pickRows(table: CsvTable, rows: readonly number[], subset: Evaluation['rows']): CsvTable {
  const bad = rows.find((r) => r >= table.rowCount);
  const which = subset === 'all' ? 'given' : `run's ${subset}`;
  if (bad !== undefined) throw new UserError('data', `the ${which} rows include row ${bad}, but the file has ${table.rowCount} data rows: is it the run's data file?`, { file: table.file });
  return selectRows(table, rows);
}

/**
 * The targets as the model was trained on them, from the columns its kind reads: a multiclass or binary model's
 * label column (label_column) or else its target columns (one-hot rows, or one numeric column for binary);
 * a multilabel model's 0/1 label columns; a regression model's target columns (scaled as in training).
 */
function targetsOf(model: ModelFile, table: CsvTable): Matrix {
  const targets = model.targets!;
  const has = (names: readonly string[]) => names.every((n) => table.header.includes(n));
  const columns = (names: readonly string[]) => names.map((n) => table.header.indexOf(n));
  if (model.kind === 'regression' || model.kind === 'multilabel') {
    if (!has(targets)) throw missingTargets(model, table, model.kind === 'regression' ? 'target' : '0/1 label');
    const y = numericColumns(table, columns(targets), model.kind === 'regression' ? 'a target' : 'a 0/1 label');
    const t = model.target_preprocess;
    if (model.kind === 'multilabel') checkZeroOneColumns(table, columns(targets), y, false); // as training takes them (sources.ts)
    return t && model.kind === 'regression' ? applyScaler(t, y) : y;
  }
  const label = model.label_column;
  if (label !== undefined && table.header.includes(label)) return classTargets(model, table, table.header.indexOf(label));
  if (!has(targets)) throw missingTargets(model, table, model.kind === 'binary' ? 'target' : 'one-hot');
  const y = numericColumns(table, columns(targets), model.kind === 'binary' ? 'a target' : 'a one-hot class column');
  if (model.kind !== 'binary') checkZeroOneColumns(table, columns(targets), y, true); // one-hot rows, as training takes them
  return y;
}

/** `expected the target columns y1, y2 (one-hot) or the label column "species"; found the columns …`. */
function missingTargets(model: ModelFile, table: CsvTable, what: string): UserError {
  const listed = model.targets!.map((t) => `"${t}"`).join(', ');
  const label = model.label_column !== undefined ? ` or the label column "${model.label_column}"` : '';
  const cols = model.targets!.length === 1 ? 'column' : 'columns';
  const msg = `expected the ${what} ${cols} ${listed}${label}, as the model was trained on; the file has: ${table.header.join(', ')}`;
  return new UserError('data', msg, { file: table.file, line: table.headerLine });
}

/** Class labels encoded as the model was trained: one-hot over model.classes, or one 0/1 column. */
function classTargets(model: ModelFile, table: CsvTable, c: number): Matrix {
  const classes = model.classes!;
  const labels = labelColumn(table, c);
  const index = Int32Array.from(labels, (label, r) => {
    const k = classes.findIndex((cl) => (typeof cl === 'number' ? decimalOf(label) === cl : label === cl)); // numbers as training read them (encodeLabels)
    if (k < 0) throw new UserError('data', `unknown class "${label}" in column "${table.header[c]}"; the model knows: ${classes.join(', ')}`, { file: table.file, line: table.lines[r], column: c + 1 });
    return k;
  });
  return encodeTargets(index, classes.length, model.kind === 'binary' ? 'binary' : 'one_hot');
}
