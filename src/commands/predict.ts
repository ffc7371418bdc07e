// `mlplab predict MODEL.json DATA.csv [--out FILE] [--id COLUMN]...`: the prediction table as CSV, on stdout
// or written atomically to FILE (an earlier FILE is replaced only once the new one is complete).

import { UserError } from '../errors.js';
import { writeFileAtomically } from '../files/outputs.js';
import { checkOutFile } from '../files/outfile.js';
import { readModelFile } from '../files/modelfile.js';
import { predictCsvParts } from '../runner/predict.js';
import { EXIT, type Command } from './command.js';

export const predictCommand: Command = {
  name: 'predict',
  usage: 'mlplab predict MODEL.json DATA.csv [--out FILE] [--id COLUMN]...',
  options: ['out', 'id'],
  out: 'the file to write the predictions to (CSV)',
  run(files, options, io) {
    if (files.length !== 2) throw new UserError('usage', `predict expects MODEL.json DATA.csv, found ${files.length} argument(s)`);
    const [modelFile, csvFile] = files;
    if (options.out !== undefined) checkOutFile('--out', options.out, files);
    const csv = predictCsvParts(readModelFile(modelFile), csvFile, options.id ?? []);
    if (options.out === undefined) {
      for (const part of csv) io.out(part);
      return EXIT.ok;
    }
    writeFileAtomically(options.out, csv); // a file-system failure is a UserError naming the path
    if (!options.quiet) io.err(`wrote ${options.out}\n`);
    return EXIT.ok;
  },
};
