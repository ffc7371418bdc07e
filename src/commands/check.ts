// `mlplab check [FILE...]`: reruns experiments (every run of a sweep; nothing is written to results/) and
// compares each base run's loss log with its golden file and each `expect:` bound; prints every drift, failed
// expectation and run that did not complete, and exits 1 on any. No FILE: every experiment under experiments/
// that has a golden. --update writes the goldens, each only if its file's expectations hold.

import { relative } from 'node:path';
import { isUserError, UserError } from '../errors.js';
import { experimentsWithGoldens, formatDrift, planCheck, runCheck, type Drift, type PlannedCheck } from '../runner/check.js';
import { EXIT, type Command } from './command.js';

export const checkCommand: Command = {
  name: 'check',
  usage: 'mlplab check [FILE...]     rerun and compare with golden loss logs and expect: bounds (--update: rewrite goldens)',
  // It runs the experiment files as written: --set, --seed, --sweep and --out are refused (checkOptionsApply).
  options: ['update'],
  run(args, options, io) {
    const files = args.length > 0 ? args : experimentsWithGoldens();
    if (files.length === 0) throw new UserError('usage', 'no FILE given and no experiment under experiments/ has a golden file (test/golden/NAME.csv)');
    // As run: every file's problems (every run's data and initial network, its expect: and golden) before anything trains (planCheck).
    let failed = false;
    const planned: PlannedCheck[] = [];
    for (const file of files) {
      try {
        planned.push(planCheck(file, { update: options.update }));
      } catch (e) {
        if (!isUserError(e)) throw e;
        io.err(e.format() + '\n');
        failed = true;
      }
    }
    if (failed) return EXIT.input;
    const total = { golden: 0, expect: 0, run: 0, error: 0 };
    for (const check of planned) {
      try {
        const r = runCheck(check);
        const counts = countsOf(r.drifts);
        for (const k of ['golden', 'expect', 'run'] as const) total[k] += counts[k];
        for (const d of r.drifts) io.out(formatDrift(d) + '\n');
        if (options.quiet) continue;
        const path = r.golden === undefined ? '' : relative('.', r.golden);
        const golden = r.updated ? `wrote ${path}` : options.update && r.golden !== undefined ? `did not write ${path}` : r.golden !== undefined ? `golden ${path}` : 'no golden file';
        io.out(`${r.name}: ${verdict(counts) || 'ok'} (${r.runs} run${r.runs > 1 ? 's' : ''}; ${golden})\n`);
      } catch (e) {
        if (!isUserError(e)) throw e;
        io.err(e.format() + '\n');
        total.error++;
      }
    }
    if (!options.quiet && files.length > 1) io.out(`${files.length} experiments checked: ${verdict(total) || 'all ok'}\n`);
    return total.golden + total.expect + total.run + total.error > 0 ? EXIT.input : EXIT.ok;
  },
};

/** Golden-log drifts (cells, shape), failed `expect:` bounds and statuses, and runs that did not complete. */
function countsOf(drifts: readonly Drift[]): { golden: number; expect: number; run: number } {
  const n = (test: (d: Drift) => boolean) => drifts.filter(test).length;
  const incomplete = (d: Drift) => d.kind === 'run' && d.expected === 'completed';
  return { golden: n((d) => d.kind === 'golden' || d.kind === 'shape'), expect: n((d) => d.kind === 'expect' || (d.kind === 'run' && !incomplete(d))), run: n(incomplete) };
}

/** "1 stopped by an error, 2 drift(s), 1 expectation failed, 1 run did not complete" (errors: of the total only); '' when there is nothing. */
function verdict(c: { golden: number; expect: number; run: number; error?: number }): string {
  const parts = [
    c.error ? `${c.error} stopped by an error` : '',
    c.golden > 0 ? `${c.golden} drift(s)` : '',
    c.expect > 0 ? `${c.expect} expectation${c.expect > 1 ? 's' : ''} failed` : '',
    c.run > 0 ? `${c.run} run${c.run > 1 ? 's' : ''} did not complete` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
