// `mlplab validate FILE...`: every check a run makes before training (schema, semantic checks, the data, the
// initial network), without training, and for a file as written (no --set, --seed or --sweep) what would stop
// `mlplab check` measuring its `expect:` (runner/check.ts expectProblems), with check's messages. Prints
// `FILE: valid` per good file; exit 1 if any file has a problem. The golden file is check's alone.

import { loadExperiment } from '../config/load.js';
import type { Plan } from '../config/plan.js';
import { UserErrors } from '../errors.js';
import { expectProblems } from '../runner/check.js';
import type { DataCache } from '../runner/datacache.js';
import { EXIT, loadPlans, type Command } from './command.js';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'mlplab validate FILE...    check the files and their data, without training',
  options: ['set', 'sweep', 'seed'],
  run(files, options, io) {
    // NOTE: expect:'s problems printed with the file's, in the files' order, as check prints them; also the base run's
    // own problems (the file's values, which its sweep may replace in every run), as check reports them.
    const { plans, failed } = loadPlans(files, options, io, (plan, data) => {
      const problems = expectProblemsAsWritten(plan, data);
      if (problems.length > 0) throw new UserErrors(problems);
    });
    if (!options.quiet) for (const p of plans) io.out(`${p.file}: valid${p.axes.length > 0 ? ` (${p.runs.length} run${p.runs.length === 1 ? '' : 's'})` : ''}\n`);
    return failed ? EXIT.input : EXIT.ok;
  },
};

/** check's `expect:` problems of a file as written, which is how check runs it (it refuses --set, --seed and
 *  --sweep); with those, the runs are not the ones its selectors describe, and they are not checked. */
function expectProblemsAsWritten(plan: Plan, data: DataCache) {
  const { set, seed, sweep } = plan.options;
  if ((set?.length ?? 0) > 0 || seed !== undefined || (sweep?.length ?? 0) > 0) return [];
  return expectProblems(loadExperiment(plan.file), plan, data);
}
