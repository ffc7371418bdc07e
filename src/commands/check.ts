// `mlplab check [FILE...]`: reruns experiments (every run of a sweep; nothing is written to results/) and
// compares each base run's loss log with its golden file and each `expect:` bound; prints every drift and
// exits 1 on any. No FILE: every experiment under experiments/ that has a golden. --update writes the goldens.

import { relative } from 'node:path';
import { isUserError, UserError } from '../errors.js';
import { checkExperiment, experimentsWithGoldens, formatDrift } from '../runner/check.js';
import { EXIT, type Command } from './command.js';

export const checkCommand: Command = {
  name: 'check',
  usage: 'mlplab check [FILE...]     rerun and compare with golden loss logs and expect: bounds (--update: rewrite goldens)',
  run(args, options, io) {
    if (options.set || options.seed !== undefined || options.sweep || options.out !== undefined) {
      throw new UserError('usage', 'check runs the experiment files as written: --set, --seed, --sweep and --out do not apply');
    }
    const files = args.length > 0 ? args : experimentsWithGoldens();
    if (files.length === 0) throw new UserError('usage', 'no FILE given and no experiment under experiments/ has a golden file (test/golden/NAME.csv)');
    let drifts = 0;
    let failed = false;
    for (const file of files) {
      try {
        const r = checkExperiment(file, { update: options.update });
        drifts += r.drifts.length;
        for (const d of r.drifts) io.out(formatDrift(d) + '\n');
        if (options.quiet) continue;
        const golden = r.golden === undefined ? 'no golden file' : `${r.updated ? 'wrote' : 'golden'} ${relative('.', r.golden)}`;
        const verdict = r.drifts.length === 0 ? 'ok' : `${r.drifts.length} drift(s)`;
        io.out(`${r.name}: ${verdict} (${r.runs} run${r.runs > 1 ? 's' : ''}; ${golden})\n`);
      } catch (e) {
        if (!isUserError(e)) throw e;
        io.err(e.format() + '\n');
        failed = true;
      }
    }
    if (!options.quiet && files.length > 1) io.out(`${files.length} experiments checked, ${drifts} drift(s)\n`);
    return failed || drifts > 0 ? EXIT.input : EXIT.ok;
  },
};
