// `mlplab run FILE...`: validates every file first (nothing trains unless all are valid), then trains each
// and writes results/NAME/ (or --out DIR/NAME), with a progress line on a terminal and one summary line each.

import { progressReporter } from './progress.js';
import { runExperiment } from '../runner/run.js';
import { EXIT, loadAll, type Command } from './command.js';

export const runCommand: Command = {
  name: 'run',
  usage: 'mlplab run FILE...         validate, train and write results/NAME/{loss.csv,loss.svg,model.json,config.json,run.json}',
  async run(files, options, io) {
    const { checked, failed } = loadAll(files, options, io);
    if (failed) return EXIT.input;
    for (const { exp, prepared } of checked) {
      const progress = options.quiet || !io.errIsTTY ? undefined : progressReporter(exp.config.name, io.err);
      const t0 = performance.now();
      const outDir = options.out === undefined ? undefined : `${options.out}/${exp.config.name}`;
      const result = await runExperiment(exp, { outDir, prepared, onEpoch: progress?.update });
      progress?.done();
      if (!options.quiet) {
        const metrics = Object.entries(result.final).map(([k, v]) => `${k} ${Number(v.toPrecision(6))}`).join(', ');
        const seconds = ((performance.now() - t0) / 1000).toFixed(2);
        io.out(`${exp.config.name}: ${metrics}; ${exp.config.training.epochs} epochs in ${seconds} s → ${result.outDir}\n`);
      }
    }
    return EXIT.ok;
  },
};
