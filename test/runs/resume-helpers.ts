// What the resume tests share: a plan run through the library, interrupted as by SIGINT after a given epoch, or resumed.
import { loadPlan, runPlans } from '../../src/index.js';

/**
 * Runs the experiment file's plan into `out` (runPlans), interrupted (as SIGINT) at the first pause after epoch
 * `stopAfter` when given, resuming interrupted runs with `resume`; each run's status, or its error.
 */
export async function runPlan(file: string, out: string, options: { stopAfter?: number; resume?: boolean } = {}) {
  let epoch = 0;
  const interrupt = () => (options.stopAfter !== undefined && epoch >= options.stopAfter ? 'SIGINT' : undefined);
  const finished = await runPlans([loadPlan(file)], { out, resume: options.resume, interrupt, onEpoch: () => (e) => void (epoch = e) });
  return finished.map((f) => ('error' in f ? f.error : f.run.status));
}
