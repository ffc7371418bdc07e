// `mlplab predict MODEL.json DATA.csv [--out FILE] [--id COLUMN]...`: the prediction table as CSV, on stdout
// or written atomically to FILE (an earlier FILE is replaced only once the new one is complete).

import { UserError } from '../config/errors.js';
import { writeFileAtomically } from '../logging/outputs.js';
import { readModelFile } from '../model/modelfile.js';
import { predictCsv } from '../predict.js';
import type { Io, ParsedOptions } from '../cli.js';

export function predictCommand(files: string[], values: ParsedOptions['values'], io: Io): number {
  if (files.length !== 2) throw new UserError('usage', `predict expects MODEL.json DATA.csv, found ${files.length} argument(s)`);
  const [modelFile, csvFile] = files;
  const csv = predictCsv(readModelFile(modelFile), csvFile, values.id ?? []);
  if (values.out === undefined) {
    io.out(csv);
    return 0;
  }
  writeFileAtomically(values.out, csv);
  if (!values.quiet) io.err(`wrote ${values.out}\n`);
  return 0;
}
