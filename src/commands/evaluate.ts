// `mlplab evaluate MODEL.json DATA.csv [--rows test|validation --run results/NAME] [--out FILE]`: the model's loss and
// its kind's metrics (accuracy, the confusion matrix and the per-class report for classification; R², RMSE and MAE
// for regression), printed as a table; --out also
// writes them as JSON (atomically). --rows test (validation) takes exactly the run's held-out test (validation)
// rows from its run.json.

import { UserError } from '../errors.js';
import { readModelFile } from '../files/modelfile.js';
import { writeFileAtomically } from '../files/outputs.js';
import { checkOutFile } from '../files/outfile.js';
import { evaluateCsv, runDelimiter, runRows, type Evaluation } from '../runner/evaluate.js';
import { EXIT, type Command } from './command.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'mlplab evaluate MODEL.json DATA.csv [--rows test|validation --run DIR] [--out FILE]   loss and metrics (accuracy, confusion, per-class report; or R², RMSE, MAE)',
  options: ['rows', 'run', 'out'],
  out: 'the file to write the report to (JSON)',
  run(files, options, io) {
    if (files.length !== 2) throw new UserError('usage', `evaluate expects MODEL.json DATA.csv, found ${files.length} argument(s)`);
    const { rows, run } = options;
    if (rows !== undefined && rows !== 'test' && rows !== 'validation') throw new UserError('usage', `--rows expects test or validation, found "${rows}"`);
    if ((rows === undefined) !== (run === undefined)) throw new UserError('usage', '--rows and --run DIR go together: the run\'s run.json names its test and validation rows');
    if (options.out !== undefined) checkOutFile('--out', options.out, run === undefined ? files : [...files, `${run}/run.json`]);
    const [modelFile, csvFile] = files;
    const model = readModelFile(modelFile);
    const result = rows === 'test' || rows === 'validation' ? evaluateCsv(model, csvFile, runRows(run!, rows, csvFile), rows, runDelimiter(run!)) : evaluateCsv(model, csvFile);
    io.out(table(result));
    if (options.out !== undefined) {
      writeFileAtomically(options.out, JSON.stringify(result, null, 2) + '\n');
      if (!options.quiet) io.err(`wrote ${options.out}\n`);
    }
    return EXIT.ok;
  },
};

/** The evaluation as aligned text: the metrics, the confusion matrix (rows: true class) or per-label matrices, the per-class report. */
function table(e: Evaluation): string {
  const lines = [`rows      ${e.count} (${e.rows === 'all' ? 'all' : `the run's ${e.rows} rows`})`, `kind      ${e.kind}`, `loss      ${e.loss} (${e.loss_function}, mean)`];
  for (const k of ['accuracy', 'hamming_accuracy', 'r2', 'rmse', 'mae'] as const) if (e[k] !== undefined) lines.push(`${k.padEnd(9)} ${e[k]}`);
  const c = e.confusion;
  if (c && 'matrix' in c) lines.push('', 'confusion (rows: true class, columns: predicted)', ...grid(c.classes.map(String), c.classes.map(String), c.matrix));
  if (c && 'matrices' in c) {
    c.labels.forEach((label, i) => lines.push('', `confusion of ${label} (rows: true, columns: predicted)`, ...grid(['0', '1'], ['0', '1'], c.matrices[i])));
  }
  const r = e.classification_report;
  if (r) {
    const rows = [...r.per_class.map((p) => [String(p.class), p] as const), ['macro avg', r.macro_avg] as const, ['weighted avg', r.weighted_avg] as const];
    const w = Math.max(...rows.map(([n]) => n.length));
    const f = (v: number) => v.toFixed(4).padStart(9);
    lines.push('', `${''.padEnd(w)}  precision    recall        f1   support`);
    for (const [n, p] of rows) lines.push(`${n.padEnd(w)}  ${f(p.precision)} ${f(p.recall)} ${f(p.f1)} ${String(p.support).padStart(9)}`);
  }
  return lines.join('\n') + '\n';
}

/** A count matrix with row and column names, aligned. */
function grid(rowNames: string[], colNames: string[], m: number[][]): string[] {
  const width = Math.max(...rowNames.map((n) => n.length), ...colNames.map((n) => n.length), ...m.flat().map((v) => String(v).length), 4);
  const cell = (s: string) => s.padStart(width);
  return [`${' '.repeat(width)}  ${colNames.map(cell).join(' ')}`, ...m.map((row, i) => `${rowNames[i].padEnd(width)}  ${row.map((v) => cell(String(v))).join(' ')}`)];
}
