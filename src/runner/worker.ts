// The worker thread of --jobs N (pool.ts): receives runs as (file, load options, grid index, folder), loads the
// file's plan again (validated as in the main thread, so the run is the same), trains and writes the run, and
// answers with its outcome (the run record, where it went, its last logged epoch) or its error. An interrupt
// message stops the run under way at its next batch boundary (the training loop lets messages in every
// ≈15 ms). Plans are cached per file and options. The kernel threads of --threads (else MLPLAB_THREADS, else
// 1) are set once, from workerData, before anything is loaded.

import { parentPort, workerData } from 'node:worker_threads';
import { setKernelThreads, threadsFromEnvSet } from '../kernels/index.js';
import { loadPlan, type Plan } from '../config/plan.js';
import { isUserError } from '../errors.js';
import type { JobAnswer, ToWorker, WorkerSettings } from './pool.js';
import { outcomeOf, runPlanned } from './execute.js';

// NOTE: without --threads or MLPLAB_THREADS a run in a worker takes one thread: the N jobs already use the cores.
setKernelThreads((workerData as WorkerSettings | null)?.kernelThreads ?? (threadsFromEnvSet() ? undefined : 1));

const plans = new Map<string, Plan>();
let signal: string | undefined;

parentPort!.on('message', async (message: ToWorker) => {
  if ('interrupt' in message) return void (signal = message.interrupt);
  const { job } = message;
  let answer: JobAnswer;
  try {
    const key = JSON.stringify([job.file, job.options]);
    const plan = plans.get(key) ?? loadPlan(job.file, job.options);
    plans.set(key, plan);
    const result = await runPlanned(plan, plan.runs.find((r) => r.index === job.index)!, job.outDir, { interrupt: () => signal, resume: job.checkpoint });
    answer = { number: job.number, ...outcomeOf(result) };
  } catch (e) {
    answer = isUserError(e) ? { number: job.number, userError: e.format() } : { number: job.number, internal: (e as Error)?.stack ?? String(e) };
  }
  parentPort!.postMessage(answer);
});
