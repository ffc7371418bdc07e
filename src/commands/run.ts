// `mlplab run FILE...`: validates every run of every file and checks every output folder first (nothing trains
// unless all are fine; a sweep is every combination of its grid), then trains each and writes results/NAME/
// (a sweep: results/NAME/RUN-ID/ and summary.csv; see runner/layout.ts), in this thread or on --jobs N workers,
// a --shard I/N share of them. Divergence and interrupts end a run with one line saying what was kept.

import { availableParallelism } from 'node:os';
import { UserError, type ExitCode } from '../errors.js';
import { executeTasks, tasksOf, type Finished, type RunOutcome } from '../runner/execute.js';
import { parseShard, type RunTask } from '../runner/layout.js';
import { skipCompleted } from '../runner/resume.js';
import { checkJobsMemory } from '../runner/prepare-plans.js';
import { withJobKernelThreads } from '../runner/pool.js';
import { progressReporter, type Progress } from './progress.js';
import { exitFor, watchInterrupts } from './signals.js';
import { mark } from '../trace.js';
import { decimalInteger, EXIT, loadPlans, threadsOption, type Command, type Io, type Options } from './command.js';

export const runCommand: Command = {
  name: 'run',
  usage: 'mlplab run FILE...         validate, train and write results/NAME/{loss.csv,loss.svg,loss.vl.json,model.json,config.json,run.json}',
  options: ['set', 'sweep', 'seed', 'out', 'jobs', 'shard', 'resume'],
  out: 'the folder to write the runs in (DIR/NAME/)',
  async run(files, options, io) {
    const jobs = parseJobs(options.jobs);
    if (jobs <= 1) return runFiles(files, options, io, jobs);
    // NOTE: with --jobs this thread trains runs too, with the workers' kernel threads (runner/pool.ts): set
    // before anything makes a network, so that one set of kernels (and one wasm heap) serves it all; the
    // caller's setting back after (main() is called again in one process by tests and the library's users).
    return withJobKernelThreads(threadsOption(options), () => runFiles(files, options, io, jobs));
  },
};

/** The run command with the kernel threads set: validates every run, then trains them and reports each. */
async function runFiles(files: string[], options: Options, io: Io, jobs: number): Promise<ExitCode> {
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const { plans, prepared, shapes, data, failed } = loadPlans(files, options, io);
  if (failed) return EXIT.input;
  mark('run: experiments read, validated and prepared');
  const { todo: tasks, skipped, resumed } = skipCompleted(tasksOf(plans, options.out, shard), options.resume === true);
  checkJobsMemory(tasks, jobs, shapes);
  if (skipped.length > 0 && !options.quiet) {
    io.out(`skipped ${skipped.length} run(s) completed already with the same config.json and inputs (delete a run's folder to run it again); ${tasks.length} to run\n`);
  }
  if (resumed > 0 && !options.quiet) io.out(`resuming ${resumed} interrupted run(s) from their checkpoints\n`);
  let done = 0;
  let errors = 0;
  let diverged = 0;
  let full = false;
  let stopped: string | undefined;
  let progress: Progress | undefined;
  const running = new Set<string>(); // the runs under way (one, or with --jobs N up to N)
  const label = (t: RunTask) => (t.run.runPath === '' ? t.plan.name : `${t.plan.name}/${t.run.runPath}`);
  const watch = watchInterrupts((signal) => {
    progress?.done();
    const what = running.size === 0 ? '' : ` ${[...running].join(', ')} at once; nothing of ${running.size > 1 ? 'these runs' : 'this run'} kept`;
    io.err(`mlplab: ${signal} again: stopped${what || ' at once'}\n`);
  });
  try {
    await executeTasks(tasks, {
      jobs,
      kernelThreads: threadsOption(options),
      prepared: (t) => prepared.get(t.run),
      data,
      interrupt: watch.interrupt,
      onSummaryLeft: (file, signal) => {
        stopped = signal;
        io.err(`mlplab: ${signal}: stopped waiting for another mlplab process writing ${file}; left it as it was: run the same command again to rewrite it (the runs completed are skipped)\n`);
      },
      onStart: (t) => void running.add(label(t)),
      onEpoch: (t) => {
        progress = options.quiet || !io.errIsTTY || jobs > 1 ? undefined : progressReporter(label(t), io.err);
        return progress?.update;
      },
      onFinished: (f: Finished) => {
        progress?.done();
        running.delete(label(f.task));
        done++;
        if ('error' in f) return void (errors++, (full ||= f.deviceFull === true), io.err(f.error + '\n'));
        if (f.run.status === 'interrupted') return void ((stopped = f.run.signal), interrupted(f, label(f.task), io));
        if (f.run.status === 'diverged') return void (diverged++, divergedLine(f, label(f.task), io));
        if (options.quiet) return;
        const count = tasks.length > 1 ? `[${done}/${tasks.length}] ` : '';
        const metrics = Object.entries(f.run.final).map(([k, v]) => `${k} ${v === null ? NaN : Number(v.toPrecision(6))}`).join(', '); // null: not a number, as run.json holds it
        const seconds = (f.run.duration_ms / 1000).toFixed(2);
        io.out(`${count}${label(f.task)}: ${metrics}; ${epochsText(f.run.epochs, f.run.stopping)} in ${seconds} s → ${f.outDir}\n`);
      },
    });
  } finally {
    progress?.done();
    watch.dispose();
  }
  const signal = stopped ?? watch.interrupt();
  if (signal !== undefined) {
    if (stopped === undefined) io.err(`mlplab: ${signal}: stopped between runs; ${tasks.length - done} run(s) not run\n`);
    return exitFor(signal);
  }
  // A full device (or quota) started no other run (runner/execute.ts): say what is left and how to finish it.
  if (full && done < tasks.length) io.err(`mlplab: the device is full: ${tasks.length - done} run(s) not run; free some space, then run the same command again with --resume (the runs completed are skipped)\n`);
  if (shard !== undefined && !options.quiet) io.out(`shard ${shard.index}/${shard.count}: ${tasks.length} of the invocation's runs\n`);
  const code: ExitCode = errors > 0 ? EXIT.input : diverged > 0 ? EXIT.diverged : EXIT.ok;
  return code;
}

type Outcome = Finished & RunOutcome;

function interrupted(f: Outcome, name: string, io: Io): void {
  const run = f.run;
  const rest = f.notStarted > 0 ? `; ${f.notStarted} more run(s) not run` : '';
  const kept = f.checkpointEpoch === undefined ? ' and run.json' : `, run.json and its checkpoint of epoch ${f.checkpointEpoch} (--resume continues from it)`;
  io.err(
    `mlplab: ${run.signal}: interrupted ${name} in epoch ${run.epochs_done! + 1} of ${run.epochs}; kept its loss log ` +
      `to epoch ${f.lastLogged}${kept} in ${f.outDir}/ (no model.json)${rest}\n`,
  );
}

function divergedLine(f: Outcome, name: string, io: Io): void {
  const d = f.run.divergence!;
  io.err(
    `${f.task.plan.file}: ${name} diverged in epoch ${d.epoch} after ${d.step} weight update(s): the ${d.where} became NaN or infinite; ` +
      `${d.cause}. Kept ${f.lastLogged === undefined ? 'run.json (no finite loss to log)' : `the finite loss log (to epoch ${f.lastLogged}) and run.json`} in ${f.outDir}/ (no model.json)\n`,
  );
}

/**
 * The most worker threads --jobs starts: each is a V8 isolate of tens of MiB, so far more than the cores only
 * fills memory. Fewer start when there are fewer runs (runner/pool.ts).
 */
export const MAX_JOBS = 256;

/** --jobs N (1 to MAX_JOBS) or auto (the machine's cores); default 1. */
function parseJobs(text: Options['jobs']): number {
  if (text === undefined) return 1;
  if (text === 'auto') return Math.min(availableParallelism(), MAX_JOBS);
  const n = decimalInteger(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_JOBS) throw new UserError('usage', `--jobs expects a number of worker threads from 1 to ${MAX_JOBS} or auto, found "${text}"`);
  return n;
}

export type { Io };

/** "300 epochs", or "stopped early at epoch 41 of 300 (best validation_loss at epoch 21, restored)". */
function epochsText(epochs: number, s: RunOutcome['run']['stopping']): string {
  if (!s || s.reason === 'epochs') return `${epochs} epochs`;
  return `stopped early at epoch ${s.epoch} of ${epochs} (best ${s.monitor} at epoch ${s.best_epoch}${s.restored_best ? ', restored' : ''})`;
}
