// Where runs go: a plain run writes OUT/NAME/ (OUT = results by default); a run with --set/--seed overrides
// writes OUT/NAME/OVERRIDES-ID/; a sweep writes OUT/NAME[/OVERRIDES-ID]/RUN-ID/ per run plus summary.csv
// beside them. Two experiments of one invocation that would write the same folder are refused here, before
// anything runs, and so are a name or run ID ending in a status suffix (.diverged, .interrupted: the folders of
// runs that did not complete) and a symbolic link below OUT on the way to a run folder (a run would write through
// it, outside the results), and a run folder already holding another configuration under the same ID (clash.ts);
// --shard I/N picks a deterministic share of the runs.

import { join, resolve } from 'node:path';
import type { Plan, PlannedRun } from '../config/plan.js';
import { UserError } from '../errors.js';
import { checkNoLinkBelow } from '../files/outputs.js';
import { checkFolderConfiguration } from './clash.js';

export interface RunTask {
  plan: Plan;
  run: PlannedRun;
  /** The run's folder. */
  outDir: string;
  /** The folder of the sweep's summary.csv, or undefined for a run outside a sweep. */
  sweepRoot?: string;
  /** Position among all runs of the invocation (for sharding and progress). */
  number: number;
  /** With --resume: the checkpoint an interrupted run of this configuration left, to continue from (resume.ts). */
  checkpoint?: string;
}

const under = (out: string, name: string, path: string) => join(out, name, ...(path === '' ? [] : path.split('/')));

/** A run that did not complete goes to FOLDER.diverged or FOLDER.interrupted: no name or run ID may end so. */
const STATUS_SUFFIX = /\.(diverged|interrupted)$/;

function checkNoStatusSuffix(plan: Plan, runPath: string): void {
  for (const segment of [plan.name, ...(runPath === '' ? [] : runPath.split('/'))]) {
    const m = STATUS_SUFFIX.exec(segment);
    if (m === null) continue;
    const what = segment === plan.name ? 'the name' : 'the run ID';
    throw new UserError('check', `${what} "${segment}" ends in .${m[1]}, which names the folder a run that ${m[1] === 'diverged' ? 'diverged' : 'was interrupted'} is kept in; choose another ${segment === plan.name ? 'name (a name: key, or --set name=...)' : 'value'}`, { file: plan.file });
  }
}

/** Every run of every plan with its folder; refuses two plans writing one folder, and links below `out`. */
export function layout(plans: readonly Plan[], out = 'results'): RunTask[] {
  // NOTE: by the plan's place in the list, not the plan: one plan given twice (the library's runPlans([p, p])) would
  // train every run twice into one folder, where the command refuses a file given twice.
  const owner = new Map<string, number>();
  const claim = (dir: string, k: number) => {
    const key = resolve(dir);
    const other = owner.get(key);
    if (other !== undefined && other !== k) {
      throw new UserError('usage', `${plans[other].file} and ${plans[k].file} would both write ${dir}: give one of them another name (a name: key, or --set name=...)`);
    }
    owner.set(key, k);
  };
  const tasks: RunTask[] = [];
  for (const [k, plan] of plans.entries()) {
    const sweepRoot = plan.axes.length > 0 ? under(out, plan.name, plan.rootPath) : undefined;
    if (sweepRoot !== undefined) claim(sweepRoot, k);
    for (const run of plan.runs) {
      const outDir = under(out, plan.name, run.runPath);
      checkNoStatusSuffix(plan, run.runPath);
      claim(outDir, k);
      checkNoLinkBelow(out, outDir);
      checkFolderConfiguration(plan, run, outDir);
      tasks.push({ plan, run, outDir, sweepRoot, number: tasks.length });
    }
  }
  return tasks;
}

/** `--shard I/N` → {index: I, count: N}, 1 <= I <= N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && index <= count && Number.isSafeInteger(count))) throw new UserError('usage', `--shard expects I/N with 1 <= I <= N (for example 2/4), found "${text}"`);
  return { index, count };
}

/** The runs of shard I of N: every N-th run of the invocation, starting at the I-th (runs are in a fixed order). */
export function shardOf(tasks: readonly RunTask[], shard: { index: number; count: number } | undefined): RunTask[] {
  return shard === undefined ? [...tasks] : tasks.filter((t) => t.number % shard.count === shard.index - 1);
}
