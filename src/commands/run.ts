// `mlplab run FILE...`: validates every run of every file and checks every output folder first (nothing trains
// unless all are fine; a sweep is every combination of its grid), then trains each and writes results/NAME/
// (a sweep: results/NAME/RUN-ID/ and summary.csv; see runner/layout.ts), in this thread or on --jobs N workers,
// a --shard I/N share of them. Divergence and interrupts end a run with one line saying what was kept.

import { availableParallelism } from 'node:os';
import { UserError, type ExitCode } from '../errors.js';
import { checkOutputFolder } from '../files/outputs.js';
import { executeTasks, type Finished } from '../runner/execute.js';
import { layout, parseShard, shardOf, type RunTask } from '../runner/layout.js';
import { progressReporter, type Progress } from './progress.js';
import { exitFor, watchInterrupts } from './signals.js';
import { mark } from '../trace.js';
import { EXIT, loadOptions, loadPlans, threadsOption, type Command, type Io, type Options } from './command.js';

export const runCommand: Command = {
  name: 'run',
  usage: 'mlplab run FILE...         validate, train and write results/NAME/{loss.csv,loss.svg,model.json,config.json,run.json}',
  async run(files, options, io) {
    const jobs = parseJobs(options.jobs);
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    const { plans, prepared, failed } = loadPlans(files, options, io);
    if (failed) return EXIT.input;
    mark('run: experiments read, validated and prepared');
    const tasks = shardOf(layout(plans, options.out), shard);
    for (const t of tasks) checkOutputFolder(t.outDir);
    let done = 0;
    let errors = 0;
    let diverged = 0;
    let stopped: string | undefined;
    let progress: Progress | undefined;
    let current = '';
    const label = (t: RunTask) => (t.run.runPath === '' ? t.plan.name : `${t.plan.name}/${t.run.runPath}`);
    // NOTE: --jobs N: the worker pool handles Ctrl-C itself (runner/pool.ts).
    const watch = jobs > 1 && tasks.length > 1 ? undefined : watchInterrupts((signal) => {
      progress?.done();
      io.err(`mlplab: ${signal} again: stopped ${current} at once; nothing of this run kept\n`);
    });
    try {
      await executeTasks(tasks, {
        jobs,
        kernelThreads: threadsOption(options),
        load: loadOptions(options),
        prepared: (t) => prepared.get(t.run),
        interrupt: watch?.interrupt,
        onEpoch: (t) => {
          current = label(t);
          progress = options.quiet || !io.errIsTTY || jobs > 1 ? undefined : progressReporter(label(t), io.err);
          return progress?.update;
        },
        onFinished: (f: Finished) => {
          progress?.done();
          done++;
          if (f.error !== undefined) return void (errors++, io.err(f.error + '\n'));
          if (f.run?.status === 'interrupted') return void ((stopped = f.run.signal), interrupted(f, label(f.task), tasks.length - done, io));
          if (f.run?.status === 'diverged') return void (diverged++, divergedLine(f, label(f.task), io));
          if (options.quiet) return;
          const count = tasks.length > 1 ? `[${done}/${tasks.length}] ` : '';
          const metrics = Object.entries(f.final!).map(([k, v]) => `${k} ${Number(v.toPrecision(6))}`).join(', ');
          const seconds = ((f.duration_ms ?? 0) / 1000).toFixed(2);
          io.out(`${count}${label(f.task)}: ${metrics}; ${epochsText(f.task.run.exp.config.training.epochs, f.stopping)} in ${seconds} s → ${f.task.outDir}\n`);
        },
      });
    } finally {
      progress?.done();
      watch?.dispose();
    }
    const signal = stopped ?? watch?.interrupt();
    if (signal !== undefined) {
      if (stopped === undefined) io.err(`mlplab: ${signal}: stopped between runs; ${tasks.length - done} run(s) not run\n`);
      return exitFor(signal);
    }
    if (shard !== undefined && !options.quiet) io.out(`shard ${shard.index}/${shard.count}: ${tasks.length} of the invocation's runs\n`);
    const code: ExitCode = errors > 0 ? EXIT.input : diverged > 0 ? EXIT.diverged : EXIT.ok;
    return code;
  },
};

function interrupted(f: Finished, name: string, notRun: number, io: Io): void {
  const run = f.run!;
  const rest = notRun > 0 ? `; ${notRun} more run(s) not run` : '';
  io.err(
    `mlplab: ${run.signal}: interrupted ${name} in epoch ${run.epochs_done! + 1} of ${run.epochs}; kept its loss log ` +
      `to epoch ${f.lastLogged} and run.json in ${f.outDir}/ (no model.json)${rest}\n`,
  );
}

function divergedLine(f: Finished, name: string, io: Io): void {
  const d = f.run!.divergence!;
  io.err(
    `${f.task.plan.file}: ${name} diverged in epoch ${d.epoch} after ${d.step} weight update(s): the ${d.where} became NaN or infinite; ` +
      `${d.cause}. Kept the finite loss log (to epoch ${f.lastLogged}) and run.json in ${f.outDir}/ (no model.json)\n`,
  );
}

/** --jobs N or auto (the machine's cores); default 1. */
function parseJobs(text: Options['jobs']): number {
  if (text === undefined) return 1;
  if (text === 'auto') return availableParallelism();
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError('usage', `--jobs expects a number of worker threads >= 1 or auto, found "${text}"`);
  return n;
}

export type { Io };

/** "300 epochs", or "stopped early at epoch 41 of 300 (best validation_loss at epoch 21, restored)". */
function epochsText(epochs: number, s: Finished['stopping']): string {
  if (!s || s.reason === 'epochs') return `${epochs} epochs`;
  return `stopped early at epoch ${s.epoch} of ${epochs} (best ${s.monitor} at epoch ${s.best_epoch}${s.restored_best ? ', restored' : ''})`;
}
