// --jobs N: runs in worker threads (node:worker_threads), each worker taking the next run when it finishes
// one. A worker trains and writes a run exactly as the main thread would (worker.ts) and answers with the
// whole outcome (run record, folder, last logged epoch), so the files and what is reported are a serial
// run's. An interrupt (the caller's interrupt(), asked every few milliseconds) is passed to every busy
// worker, whose run then stops at its next batch boundary as a serial run does (NAME.interrupted/); the runs
// not yet started are not run.

import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { LoadOptions } from '../config/load.js';
import type { RunOutcome } from './outcome.js';

/** A run for a worker: the file and options it is loaded with, its grid index, and its folder. */
export interface Job {
  number: number;
  file: string;
  options: LoadOptions;
  index: number;
  outDir: string;
  /** A checkpoint to continue from (--resume). */
  checkpoint?: string;
}

/** What the parent sends a worker: a run, or the signal that interrupts the run under way. */
export type ToWorker = { job: Job } | { interrupt: string };

export type JobAnswer = { number: number } & (RunOutcome | { userError: string } | { internal: string });

/**
 * The worker script: the compiled worker.js, or (under tsx or vitest, running the .ts sources) worker.ts
 * loaded through tsx's API, since a worker does not inherit the parent's TypeScript loader.
 */
function startWorker(workerData: WorkerSettings): Worker {
  // NOTE: node:worker_threads is loaded here, not imported: loading it costs every start ≈2 ms.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const url = new URL('./worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`, { eval: true, workerData });
}

/** What every worker is started with: the kernel threads of each of its runs (undefined: MLPLAB_THREADS, else 1). */
export interface WorkerSettings {
  kernelThreads?: number;
}

export interface PoolOptions {
  threads: number;
  settings: WorkerSettings;
  /** Sees each run's answer as it arrives, with the number of runs not yet handed to a worker. */
  onAnswer(answer: JobAnswer, notStarted: number): void;
  /** Called when a run is handed to a worker. */
  onStart?(job: Job): void;
  /** Asked every POLL_MS: a reason (a signal's name) interrupts the runs under way and starts no other. */
  interrupt?: () => string | undefined;
}

/** How often the pool asks interrupt(), in milliseconds (a serial run asks every ≈15 ms: run.ts YIELD_MS). */
const POLL_MS = 15;

/** Runs the jobs on `threads` workers. Rejects on an internal error (after stopping every worker). */
export function runInWorkers(jobs: readonly Job[], options: PoolOptions): Promise<void> {
  const queue = [...jobs];
  const busy = new Set<Worker>();
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let stopped = false;
    let signal: string | undefined;
    const poll = options.interrupt ? setInterval(() => interruptAll(options.interrupt!()), POLL_MS) : undefined;
    const stop = (error?: Error) => {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      void Promise.all(workers.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve()));
    };
    function interruptAll(reason: string | undefined) {
      if (reason === undefined || signal !== undefined) return;
      signal = reason;
      for (const w of busy) w.postMessage({ interrupt: reason } satisfies ToWorker);
      if (busy.size === 0) stop();
    }
    const feed = (w: Worker) => {
      const job = signal === undefined ? queue.shift() : undefined;
      if (job === undefined) {
        busy.delete(w);
        if (busy.size === 0) stop();
        return;
      }
      busy.add(w);
      options.onStart?.(job);
      w.postMessage({ job } satisfies ToWorker);
    };
    for (let k = 0; k < Math.min(options.threads, jobs.length); k++) {
      const w = startWorker(options.settings);
      workers.push(w);
      w.on('message', (answer: JobAnswer) => {
        if (stopped) return;
        if ('internal' in answer) return stop(new Error(`a worker failed:\n${answer.internal}`));
        options.onAnswer(answer, queue.length);
        feed(w);
      });
      w.on('error', (e) => stop(e));
      feed(w);
    }
    if (jobs.length === 0) stop();
  });
}
