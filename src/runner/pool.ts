// --jobs N: N runs at once, one in this thread and the others in N − 1 worker threads (node:worker_threads).
// Every thread takes the next run, in order, as it finishes one, by counting it off a counter the threads
// share (Atomics): a worker never waits for this thread (busy training its own run) to hand it one. This
// thread starts training at once; the workers start once it has trained for 50 ms and the runs left would
// repay them (workersWorth: 1 s of CPU time or more, estimated from its runs), and load (≈0.05-0.3 s, the
// time of dozens of small runs) while it goes on; a sweep of small runs shorter than that stays in this
// thread. A worker trains and writes a run exactly as this thread would (worker.ts), from the run's validated configuration (it validates nothing again), and
// answers with the whole outcome (run record, folder, last logged epoch), so the files and what is reported
// are a serial run's. An interrupt (the caller's interrupt(), asked every few milliseconds and between runs)
// closes the counter and is passed to every worker, whose run then stops at its next batch boundary as a
// serial run does (NAME.interrupted/); the runs not yet started are not run. A run that found the device (or the
// quota) full closes the counter too (fsfail.ts deviceFull): the runs under way end as they can, no other starts.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { LoadedExperiment } from '../config/load.js';
import { isUserError } from '../errors.js';
import { deviceFull } from '../files/fsfail.js';
import { kernelThreadsSet, setKernelThreads, threadsFromEnvSet } from '../kernels/index.js';
import type { RunRecord } from '../files/runfile.js';
import type { SharedData } from './datacache.js';
import { outcomeOf, type RunOutcome } from './outcome.js';
import { mark } from '../trace.js';

/**
 * A run for a worker: the validated experiment (less its parsed file, which the worker reads again only to
 * place an error), its sweep record, its folder.
 */
export interface Job {
  number: number;
  exp: Omit<LoadedExperiment, 'source'>;
  /** exp.source.file: the experiment file as messages name it (undefined: an experiment made from an object). */
  sourceFile?: string;
  /** A sweep's run: its grid index and values (run.json). */
  sweep?: RunRecord['sweep'];
  outDir: string;
  /** A checkpoint to continue from (--resume). */
  checkpoint?: string;
}

/** What the parent sends a worker: the signal that interrupts the run under way. */
export type ToWorker = { interrupt: string };

/** A run's answer: its outcome, the user error it met (`deviceFull`: a full device or quota, deviceFull), or an internal error. */
export type JobAnswer = { number: number } & (RunOutcome | { userError: string; deviceFull?: true } | { internal: string });

/** A run's answer from this thread or a worker: its outcome, or the user error it met (the other runs go on); any other error passes on. */
export async function answerOf(number: number, run: () => Promise<Parameters<typeof outcomeOf>[0]>): Promise<JobAnswer> {
  try {
    return { number, ...outcomeOf(await run()) };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { number, userError: e.format(), ...(deviceFull(e) ? { deviceFull: true as const } : {}) };
  }
}

/** What a worker sends: that it starts a run (its number), or a run's answer. */
export type FromWorker = { started: number } | JobAnswer;

/**
 * Starts a worker thread that calls worker.ts's serveRuns, loaded as this thread was: built, through dist/start.cjs
 * (the CLI's one-file bundle with its V8 code cache, when current, which holds worker.ts: ≈0.1 s less a worker
 * than resolving and compiling the modules, and its first runs' functions compiled already; else dist/cli.js);
 * under tsx or vitest, running the .ts sources, worker.ts through tsx's API (a worker does not inherit the
 * parent's TypeScript loader).
 */
function startWorker(workerData: WorkerData): Worker {
  // NOTE: node:worker_threads is loaded here, not imported: loading it costs every start ≈2 ms.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const script = (code: string) => new Worker(code, { eval: true, workerData });
  if (import.meta.url.endsWith('.ts')) {
    const url = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
    return script(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${url}, ${url})).then((m) => m.serveRuns())`);
  }
  const start = fileURLToPath(new URL('../start.cjs', import.meta.url));
  if (existsSync(start)) return script(`require(${JSON.stringify(start)}).startCli().then(({ cli }) => cli.serveRuns())`);
  return script(`import(${JSON.stringify(new URL('./worker.js', import.meta.url).href)}).then((m) => m.serveRuns())`);
}

/**
 * What every worker is started with: the kernel threads of each of its runs (undefined: MLPLAB_THREADS, else 1);
 * the invocation's data sets made so far, in shared memory (datacache.ts; its runs take theirs from there, not
 * from their files); the counter of the data layer's work, when a test counts it (data/load.ts countDataWork).
 */
export interface WorkerSettings {
  kernelThreads?: number;
  data?: SharedData;
  dataCounts?: Int32Array;
}

/** A worker's workerData: its settings, every run, and the shared counter of the runs taken (claims[0]). */
export interface WorkerData extends WorkerSettings {
  jobs: readonly Job[];
  claims: Int32Array;
}

/**
 * The kernel threads of each run under --jobs, in a worker or this thread: --threads (`threads`), else
 * MLPLAB_THREADS, else one (the N runs at once already use the cores).
 */
export const jobKernelThreads = (threads: number | undefined): number | undefined => threads ?? (threadsFromEnvSet() ? undefined : 1);

/** Runs work with this thread's kernel threads those of a run under --jobs (jobKernelThreads), the caller's setting back after. */
export async function withJobKernelThreads<T>(threads: number | undefined, work: () => Promise<T>): Promise<T> {
  const caller = kernelThreadsSet();
  setKernelThreads(jobKernelThreads(threads));
  try {
    return await work();
  } finally {
    setKernelThreads(caller);
  }
}

export interface PoolOptions {
  /** Runs at once: this thread's and threads − 1 workers'. */
  threads: number;
  settings: WorkerSettings;
  /** Trains and writes a run in this thread, calling flushing() as its files are flushed to disk; an internal error rejects. */
  local(job: Job, flushing: () => void): Promise<JobAnswer>;
  /** Sees each run's answer as it arrives, with the number of runs not yet started. */
  onAnswer(answer: JobAnswer, notStarted: number): void;
  /** Called as a run starts (in this thread or handed to a worker). */
  onStart?(job: Job): void;
  /** Asked every POLL_MS and between runs: a reason (a signal's name) interrupts the runs under way and starts no other. */
  interrupt?: () => string | undefined;
}

/** How often the pool asks interrupt(), in milliseconds (a serial run asks every ≈15 ms: run.ts YIELD_MS). */
const POLL_MS = 15;

/**
 * How long this thread trains alone before the workers start, in milliseconds: a worker takes ≈50-250 ms to
 * load and its start costs this thread ≈10-20 ms, more than a sweep of a few tiny runs takes in all.
 */
const WORKER_DELAY_MS = 50;

/**
 * The workers start only when the runs not yet started would take this process at least this much CPU time,
 * in milliseconds (estimated from this thread's cheapest run, or the one under way if dearer): a worker is
 * worth its cost only then. Its start (≈50 ms), load and first runs, slow until its isolate has compiled the
 * training code (≈100-150 ms), are spent while this thread trains on, and two threads on two cores each run
 * slower than one alone (the file system, the caches). CPU time, not elapsed time: other processes slowing the
 * runs leave a worker no more to gain. Measured on 2 cores (XOR's seeds, whole processes, load average 3-4):
 * with the workers started at 50 ms, 100 seeds (≈0.5 s of runs in one thread) took 0.95 s serially and 1.07 s
 * with --jobs 2 (medians of 8); 200 and 400 seeds took 1.51-1.73 and 2.43-3.35 s serially, 1.20-1.46 and
 * 2.26-2.62 s with --jobs 2, but 300 seeds another time 2.06-2.88 and 2.31-3.25 s (other work took the second core).
 */
const WORKER_WORTH_MS = 1000;

/**
 * A thread's first WARM_RUNS runs are slower than the next (its code being compiled, the first files): what
 * each may take beyond the rest, not counted in the estimate (XOR's first runs: ≈50, 15-50, 8-15 and up to 11 ms
 * of CPU, then 5-7).
 */
const WARM_RUNS = 5;
const WARM_EXTRA_MS = 60;

/**
 * The least CPU time any run costs, in milliseconds, whatever it trains: its folder (a lock, four to six files created,
 * written and flushed, two renames) and its record. XOR's runs, the smallest there are, cost 5.5-7.5 ms, of
 * which training 2.5-3: so a sweep of 334 runs or more starts its workers without waiting for its runs' times.
 */
const RUN_FLOOR_MS = 3;

/** The CPU time this process has used, in milliseconds (its threads' together: before the workers start, this thread's and its helpers'). */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Where the pool's own thread stands, for workersWorth: times in milliseconds (underWay and cheapest: CPU time). */
export interface PoolProgress {
  /** Since the pool started. */
  sinceStart: number;
  /** Runs not yet started. */
  left: number;
  /** This thread's runs that flushed their files, and those of them timed as the cheapest (all but the first). */
  localRuns: number;
  timedRuns: number;
  /** The first run (once it flushed), and the cheapest run timed. */
  first?: number;
  cheapest: number | undefined;
  /** The run under way so far. */
  underWay: number;
}

/**
 * Do the runs left pay for starting the workers (WORKER_DELAY_MS, WORKER_WORTH_MS)? Each run left is
 * estimated at RUN_FLOOR_MS at the least; at the cheapest run timed once WARM_RUNS are (before that, at the
 * dearest of the first runs less what they cost more); or at the run under way: in the first runs (less what
 * they cost more), or once it has cost ten times the cheapest (a long run after short ones), not for a moment's
 * noise (a collection).
 */
export function workersWorth(p: PoolProgress): boolean {
  const timed = p.timedRuns >= WARM_RUNS && p.cheapest !== undefined;
  const warming = timed ? 0 : Math.max(p.first ?? 0, p.cheapest ?? 0) - WARM_EXTRA_MS;
  const underWay = p.localRuns < WARM_RUNS ? p.underWay - WARM_EXTRA_MS : p.underWay > 10 * (p.cheapest ?? Infinity) ? p.underWay : 0;
  const perRun = Math.max(RUN_FLOOR_MS, timed ? p.cheapest! : warming, underWay);
  return p.sinceStart >= WORKER_DELAY_MS && p.left > 0 && p.left * perRun >= WORKER_WORTH_MS;
}

/**
 * For the tests that --jobs gives a serial run's answer (test/runs/paths-differential.test.ts): with `on`, the
 * workers start at once and take every run (this thread trains none), and `answered` counts the runs they
 * answered. Otherwise a test's tiny runs would all end in this thread before any worker had loaded
 * (workersWorth), and the workers' path would go untested.
 */
export const workersOnlyForTests = { on: false, answered: 0 };

/** Runs the jobs in this thread and on threads − 1 workers. Rejects on an internal error (after stopping every worker). */
export function runInWorkers(jobs: readonly Job[], options: PoolOptions): Promise<void> {
  const total = jobs.length;
  const claims = new Int32Array(new SharedArrayBuffer(4));
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let stopped = false;
    let signal: string | undefined;
    /** The runs taken when the interrupt closed the counter. */
    let closedAt: number | undefined;
    let answered = 0;
    let localDone = false;
    const taken = () => closedAt ?? Math.min(Atomics.load(claims, 0), total);
    /** No run starts after this (a worker counting after it finds none); the runs under way go on. */
    const close = () => void (closedAt ??= Math.min(Atomics.exchange(claims, 0, total), total));
    const poll = options.interrupt ? setInterval(pollInterrupt, POLL_MS) : undefined;
    let later: ReturnType<typeof setInterval> | undefined;
    const stop = (error?: Error) => {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      clearInterval(later);
      void Promise.all(workers.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve()));
    };
    // NOTE: every run taken is answered (a worker answers each run it takes); done once this thread takes no
    // more and every run taken is answered, the counter being spent or closed. A worker still loading then is
    // stopped: it would find no run.
    const stopIfDone = () => void (localDone && answered === taken() && (closedAt !== undefined || Atomics.load(claims, 0) >= total) && stop());
    // NOTE: what interrupt() throws (runPlans: an answer that is no reason, arguments.ts checkedInterrupt) rejects, as
    // it does from this thread's next(): from the timer it would be an uncaught exception.
    function pollInterrupt() {
      try {
        interruptAll(options.interrupt!());
      } catch (e) {
        stop(e as Error);
      }
    }
    function interruptAll(reason: string | undefined) {
      if (reason === undefined || signal !== undefined) return;
      signal = reason;
      close();
      for (const w of workers) w.postMessage({ interrupt: reason } satisfies ToWorker);
      stopIfDone();
    }
    const answer = (a: JobAnswer, where: string) => {
      mark(`pool: run ${a.number} done in ${where}`);
      if ('deviceFull' in a) close(); // the next runs' files would not fit either
      answered++;
      options.onAnswer(a, total - taken());
    };
    const data = { ...options.settings, jobs, claims } satisfies WorkerData;
    const startWorkers = () => {
      clearInterval(later);
      if (stopped || workers.length > 0) return;
      mark('pool: starting the workers');
      for (let k = 0; k < Math.min(options.threads - 1, total - taken()); k++) {
        const w = startWorker(data);
        workers.push(w);
        w.on('message', (m: FromWorker) => {
          if (stopped) return;
          if ('started' in m) return options.onStart?.(jobs[m.started]);
          if ('internal' in m) return stop(new Error(`a worker failed:\n${m.internal}`));
          if (workersOnlyForTests.on) workersOnlyForTests.answered++;
          answer(m, 'a worker');
          stopIfDone();
        });
        w.on('error', (e) => stop(e));
      }
    };
    // NOTE: the workers start once this thread has trained for WORKER_DELAY_MS and the runs left would take it
    // WORKER_WORTH_MS (asked between runs, and by the timer during a long one): a sweep over by then, or soon
    // after, never pays for a worker it cannot use.
    if (workersOnlyForTests.on) {
      localDone = true;
      return startWorkers();
    }
    const began = Date.now();
    let runBegan = cpuMs();
    let localRuns = 0;
    /** This thread's cheapest run in CPU time but its first. */
    let fastest: number | undefined;
    let timedRuns = 0;
    let first: number | undefined;
    const worthWorkers = () =>
      workersWorth({ sinceStart: Date.now() - began, left: total - taken(), localRuns, timedRuns, first, cheapest: fastest, underWay: cpuMs() - runBegan });
    const check = () => (stopped || workers.length > 0 ? clearInterval(later) : worthWorkers() && startWorkers());
    later = setInterval(check, WORKER_DELAY_MS / 2);
    void (async () => {
      await inTurn(
        () => {
          if (stopped) return undefined;
          if (options.interrupt) interruptAll(options.interrupt());
          const k = Atomics.add(claims, 0, 1);
          if (k >= total) return undefined;
          runBegan = cpuMs();
          if (worthWorkers()) startWorkers();
          options.onStart?.(jobs[k]);
          return jobs[k];
        },
        (job, flushing) => {
          const timed = () => {
            const cost = cpuMs() - runBegan;
            if (localRuns++ === 0) first = cost;
            else (timedRuns++, (fastest = Math.min(fastest ?? Infinity, cost)));
            flushing();
          };
          return options.local(job, timed).then((a) => void (stopped || answer(a, 'this thread')));
        },
      );
      localDone = true;
      stopIfDone();
    })().catch((e: Error) => stop(e));
  });
}

/**
 * Runs next()'s jobs one after another in this thread, the next starting as soon as the one before flushes
 * its files to disk (a few milliseconds a run, on a disk that a second thread's flushes slow several times):
 * two runs under way at most, the one flushing (its arrays given back already) and the one training.
 * Resolves when next() gives none and every run has ended.
 */
export async function inTurn<J>(next: () => J | undefined, run: (job: J, flushing: () => void) => Promise<void>): Promise<void> {
  let before: Promise<void> = Promise.resolve();
  for (;;) {
    await new Promise((done) => setImmediate(done)); // lets messages in between runs (answers, an interrupt)
    const job = next();
    if (job === undefined) return before;
    let flushing!: () => void;
    const flushed = new Promise<void>((done) => (flushing = done));
    const ended = run(job, flushing);
    // NOTE: a run that fails is passed on only once the other run under way has ended too: nothing of this
    // thread's is still writing when inTurn rejects.
    await Promise.race([ended, flushed]).catch(async (e) => {
      await before.catch(() => undefined);
      throw e;
    });
    await before.catch(async (e) => {
      await ended.catch(() => undefined);
      throw e;
    });
    before = ended;
  }
}
