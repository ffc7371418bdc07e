// --jobs N: runs in worker threads (node:worker_threads), each worker taking the next run when it finishes
// one. A worker trains and writes a run exactly as the main thread would (worker.ts), so the files are the
// same as a serial run's. Ctrl-C stops every worker, then lets the signal end the process: finished runs are
// whole (each folder is written aside and renamed), unfinished ones leave nothing.

import type { RunRecord } from '../files/runfile.js';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { LoadOptions } from '../config/load.js';

/** Ctrl-C arrived: every worker has been stopped. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** A run for a worker: the file and options it is loaded with, its grid index, and its folder. */
export interface Job {
  number: number;
  file: string;
  options: LoadOptions;
  index: number;
  outDir: string;
}

export type JobAnswer =
  | { number: number; final: Record<string, number>; duration_ms: number; stopping?: RunRecord['stopping'] }
  | { number: number; userError: string }
  | { number: number; internal: string };

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

/**
 * Runs the jobs on `threads` workers; onAnswer sees each run's answer as it arrives. Rejects on an internal
 * error, and with Interrupted on Ctrl-C (SIGINT) once every worker is stopped.
 */
export function runInWorkers(jobs: readonly Job[], threads: number, settings: WorkerSettings, onAnswer: (answer: JobAnswer) => void): Promise<void> {
  const queue = [...jobs];
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let live = 0;
    let stopped = false;
    const stop = (error?: Error) => {
      if (stopped) return;
      stopped = true;
      process.off('SIGINT', onSigint);
      void Promise.all(workers.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve()));
    };
    const onSigint = () => stop(new Interrupted());
    process.on('SIGINT', onSigint);
    const feed = (w: Worker) => {
      const job = queue.shift();
      if (job !== undefined) return w.postMessage(job);
      void w.terminate();
      if (--live === 0) stop();
    };
    for (let k = 0; k < Math.min(threads, jobs.length); k++) {
      const w = startWorker(settings);
      workers.push(w);
      live++;
      w.on('message', (answer: JobAnswer) => {
        if (stopped) return;
        if ('internal' in answer) return stop(new Error(`a worker failed:\n${answer.internal}`));
        onAnswer(answer);
        feed(w);
      });
      w.on('error', (e) => stop(e));
      feed(w);
    }
    if (jobs.length === 0) stop();
  });
}
