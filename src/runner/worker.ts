// A worker thread of --jobs N (pool.ts; serveRuns is what the thread calls once loaded): takes the next run off
// the counter it shares with the other threads until none is left, the runs (validated experiment, sweep
// record, folder) being in its workerData; trains and writes each as the main thread would, and answers with its
// outcome (the run record, where it went, its last logged epoch) or its error. It validates nothing again: the
// main thread did, before anything ran; the experiment file is read again only if an error needs a place in it.
// An interrupt message stops the run under way at its next batch boundary (the training loop lets messages in
// every ≈15 ms). The kernel threads of --threads (else MLPLAB_THREADS, else 1) are set once, from workerData,
// before any network is made. The runs' data come from workerData too, made once by the main thread in shared
// memory (datacache.ts): a worker reads no data file (only a run whose data the main thread could not make
// would, to meet its error).

import { createRequire } from 'node:module';
import { countDataWork } from '../data/load.js';
import { setKernelThreads } from '../kernels/index.js';
import type { LoadedExperiment } from '../config/load.js';
import { readYamlFile, type YamlSource } from '../config/source.js';
import { LeftoverScan } from '../files/recover.js';
import { DataCache } from './datacache.js';
import { answerOf, inTurn, jobKernelThreads, type FromWorker, type Job, type ToWorker, type WorkerData } from './pool.js';
import { runExperiment } from './run.js';

/**
 * The experiment file's parsed text, read on first use (only an error's place needs it), once per file; a file
 * that cannot be read again places errors at the file alone.
 */
const sources = new Map<string, YamlSource | undefined>();
function lazySource(file: string | undefined): YamlSource {
  const read = (f: string) => {
    try {
      return readYamlFile(f);
    } catch {
      return undefined;
    }
  };
  const parsed = () => (file === undefined ? undefined : sources.has(file) ? sources.get(file) : sources.set(file, read(file)).get(file));
  return {
    file,
    get value() {
      return parsed()?.value;
    },
    get errors() {
      return parsed()?.errors ?? [];
    },
    at: (path) => parsed()?.at(path) ?? { file },
    atKey: (path) => parsed()?.atKey(path) ?? { file },
    numberText: (path) => parsed()?.numberText(path),
  };
}

/** Trains and writes one run; its answer to the parent. */
async function runJob(job: Job, source: YamlSource, data: DataCache, interrupt: () => string | undefined, onFlushing: () => void, leftovers: LeftoverScan): Promise<FromWorker> {
  const exp: LoadedExperiment = { ...job.exp, source };
  try {
    return await answerOf(job.number, () => runExperiment(exp, { outDir: job.outDir, data, interrupt, resume: job.checkpoint, onFlushing, leftovers, ...(job.sweep ? { sweep: job.sweep } : {}) }));
  } catch (e) {
    return { number: job.number, internal: (e as Error)?.stack ?? String(e) };
  }
}

/** Serves the parent's runs in this worker thread (pool.ts starts the thread with a call to it). */
export function serveRuns(): void {
  // NOTE: node:worker_threads is loaded here, not imported: the CLI's bundle holds this module, and loading
  // it costs every start ≈2 ms.
  const { parentPort, workerData } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const { jobs, claims, kernelThreads, data, dataCounts } = workerData as WorkerData;
  setKernelThreads(jobKernelThreads(kernelThreads));
  countDataWork(dataCounts);
  // NOTE: no budget of its own: the data it is given are the main thread's memory; what it makes (a split the main
  // thread did not keep) it keeps until the next.
  const cache = new DataCache(0, data);
  let signal: string | undefined;
  parentPort!.on('message', (message: ToWorker) => void (signal = message.interrupt));
  const post = (m: FromWorker) => parentPort!.postMessage(m);
  // NOTE: a run of this worker that found the device full stops it taking more, at once: the parent closes the
  // counter too (pool.ts), but only once its message is read, and a busy parent read it after this worker had
  // taken a third run (inTurn takes the next run only once the one before it has answered).
  let full = false;
  const next = () => {
    if (full) return undefined;
    const k = Atomics.add(claims, 0, 1);
    return k < jobs.length ? (post({ started: k }), jobs[k]) : undefined;
  };
  const leftovers = new LeftoverScan(); // the run folders' folders listed once by this worker
  const run = async (job: Job, flushing: () => void) => {
    const answer = await runJob(job, lazySource(job.sourceFile), cache, () => signal, flushing, leftovers);
    if ('deviceFull' in answer) full = true;
    post(answer);
  };
  void inTurn(next, run).then(() => parentPort!.unref());
}
