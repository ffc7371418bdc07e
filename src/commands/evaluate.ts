// `mlplab evaluate MODEL.json DATA.csv [--rows test|validation --run results/NAME] [--out FILE]`: the model's loss and
// accuracy with its confusion matrix (classification) or R² (regression), printed as a table; --out also
// writes them as JSON (atomically). --rows test (validation) takes exactly the run's held-out test (validation)
// rows from its run.json.

import { UserError } from '../errors.js';
import { readModelFile } from '../files/modelfile.js';
import { writeFileAtomically } from '../files/outputs.js';
import { evaluateCsv, runDelimiter, runRows, type Evaluation } from '../runner/evaluate.js';
import { EXIT, type Command } from './command.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'mlplab evaluate MODEL.json DATA.csv [--rows test|validation --run DIR] [--out FILE]   loss, accuracy or R², confusion matrix',
  run(files, options, io) {
    if (files.length !== 2) throw new UserError('usage', `evaluate expects MODEL.json DATA.csv, found ${files.length} argument(s)`);
    const { rows, run } = options;
    if (rows !== undefined && rows !== 'test' && rows !== 'validation') throw new UserError('usage', `--rows expects test or validation, found "${rows}"`);
    if ((rows === undefined) !== (run === undefined)) throw new UserError('usage', '--rows and --run DIR go together: the run\'s run.json names its test and validation rows');
    const [modelFile, csvFile] = files;
    const model = readModelFile(modelFile);
    const result = rows === 'test' || rows === 'validation' ? evaluateCsv(model, csvFile, runRows(run!, rows), rows, runDelimiter(run!)) : evaluateCsv(model, csvFile);
    io.out(table(result));
    if (options.out !== undefined) {
      writeFileAtomically(options.out, JSON.stringify(result, null, 2) + '\n');
      if (!options.quiet) io.err(`wrote ${options.out}\n`);
    }
    return EXIT.ok;
  },
};

/** The evaluation as aligned text: the metrics, then the confusion matrix (rows: true class). */
function table(e: Evaluation): string {
  const lines = [`rows      ${e.count} (${e.rows === 'all' ? 'all' : `the run's ${e.rows} rows`})`, `loss      ${e.loss} (${e.loss_function}, mean)`];
  if (e.r2 !== undefined) lines.push(`r2        ${e.r2}`);
  if (e.accuracy !== undefined) lines.push(`accuracy  ${e.accuracy}`);
  if (e.confusion) {
    const names = e.confusion.classes.map(String);
    const width = Math.max(...names.map((n) => n.length), ...e.confusion.matrix.flat().map((v) => String(v).length), 4);
    const cell = (s: string) => s.padStart(width);
    lines.push('', 'confusion (rows: true class, columns: predicted)', `${' '.repeat(width)}  ${names.map(cell).join(' ')}`);
    e.confusion.matrix.forEach((row, i) => lines.push(`${names[i].padEnd(width)}  ${row.map((v) => cell(String(v))).join(' ')}`));
  }
  return lines.join('\n') + '\n';
}
