// `mlplab validate FILE...`: every check a run makes before training (schema, semantic checks, the data, the
// initial network), without training. Prints `FILE: valid` per good file; exit 1 if any file has a problem.

import { EXIT, loadAll, type Command } from './command.js';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'mlplab validate FILE...    check the files and their data, without training',
  run(files, options, io) {
    const { checked, failed } = loadAll(files, options, io);
    if (!options.quiet) for (const { exp } of checked) io.out(`${exp.file}: valid\n`);
    return failed ? EXIT.input : EXIT.ok;
  },
};
