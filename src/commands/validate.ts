// `mlplab validate FILE...`: every check a run makes before training (schema, semantic checks, the data, the
// initial network), without training. Prints `FILE: valid` per good file; exit 1 if any file has a problem.

import { EXIT, loadPlans, type Command } from './command.js';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'mlplab validate FILE...    check the files and their data, without training',
  options: ['set', 'sweep', 'seed'],
  run(files, options, io) {
    const { plans, failed } = loadPlans(files, options, io);
    if (!options.quiet) for (const p of plans) io.out(`${p.file}: valid${p.axes.length > 0 ? ` (${p.runs.length} run${p.runs.length === 1 ? '' : 's'})` : ''}\n`);
    return failed ? EXIT.input : EXIT.ok;
  },
};
