// `mlplab predict MODEL.json DATA.csv`: not written yet (issue 5); see src/predict.ts when it lands.
import { UserError } from '../config/errors.js';
import type { Io, ParsedOptions } from '../cli.js';

export function predictCommand(_files: string[], _values: ParsedOptions['values'], _io: Io): number {
  throw new UserError('usage', 'predict is not available yet');
}
