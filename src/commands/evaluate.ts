// `mlplab evaluate MODEL.json DATA.csv [--rows test --run results/NAME] [--out FILE]`: the model's loss and
// accuracy with its confusion matrix (classification) or R² (regression), printed as a table; --out also
// writes them as JSON (atomically). --rows test takes exactly the run's held-out test rows from its run.json.

import { UserError } from '../errors.js';
import { readModelFile } from '../files/modelfile.js';
import { writeFileAtomically } from '../files/outputs.js';
import { evaluateCsv, runTestRows, type Evaluation } from '../runner/evaluate.js';
import { EXIT, type Command } from './command.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'mlplab evaluate MODEL.json DATA.csv [--rows test --run DIR] [--out FILE]   loss, accuracy or R², confusion matrix',
  run(files, options, io) {
    if (files.length !== 2) throw new UserError('usage', `evaluate expects MODEL.json DATA.csv, found ${files.length} argument(s)`);
    const { rows, run } = options;
    if (rows !== undefined && rows !== 'test') throw new UserError('usage', `--rows expects test, found "${rows}"`);
    if ((rows === undefined) !== (run === undefined)) throw new UserError('usage', '--rows test and --run DIR go together: the run\'s run.json names its test rows');
    const [modelFile, csvFile] = files;
    const model = readModelFile(modelFile);
    const result = rows === 'test' ? evaluateCsv(model, csvFile, runTestRows(run!), 'test') : evaluateCsv(model, csvFile);
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
  const lines = [`rows      ${e.count} (${e.rows === 'test' ? "the run's test rows" : 'all'})`, `loss      ${e.loss} (${e.loss_function}, mean)`];
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
