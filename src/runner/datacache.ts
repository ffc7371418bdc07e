// One invocation's data sets, each made once: a source (a CSV file read, hashed and parsed; generated or inline
// rows) once per distinct data.dataKeys source key, and its split and scaled data once per split key, handed to
// every run that asks for them. A file is read the first time a run needs it; every later run of the invocation
// uses that read (its bytes, its SHA-256 in run.json), even if the file changes meanwhile. The arrays are in
// shared memory, so --jobs workers get them as they are (shared(), sent once per worker) instead of reading the
// file again. Left out: deciding which runs use it (execute.ts, commands/), and errors (never kept: a run that
// fails meets its error itself, with the places of its own experiment file).
//
// Memory: the sources are kept for the invocation (a sweep holds its data once more than a run does, for the
// splits it has yet to make); the splits made are kept while they take at most HOLD_SHARE of the machine's
// memory (at least the last one made), the least recently used going first: a split made again costs a copy,
// not a parse.

import { totalmem } from 'node:os';
import { dataKeys, dataWorkCounter, loadSource, splitSource, type LoadContext, type PreparedData, type Source } from '../data/load.js';
import type { DataSpec } from '../data/schema.js';
import { isShared, sharedCopy, sharedInt32 } from '../data/shared.js';
import type { Matrix } from '../matrix.js';
import type { TrainShape } from './order.js';

/** The share of the machine's memory the splits kept may take (besides the sources). */
const HOLD_SHARE = 1 / 16;

/** What a worker is given: the sources and splits, by key, their arrays in shared memory. */
export interface SharedData {
  sources: [string, Source][];
  splits: [string, PreparedData][];
}

/** The source with its arrays in shared memory (a CSV's inputs are read there already; the rest is copied). */
function sharedSource(source: Source): Source {
  const matrix = (m: Matrix) => (isShared(m.data) ? m : sharedCopy(m));
  return { ...source, x: matrix(source.x), y: matrix(source.y), ...(source.strata ? { strata: sharedInt32(source.strata) } : {}) };
}

/** A split's training rows and inputs. */
const trainShapeOf = (d: PreparedData): TrainShape => ({ rows: d.train.x.rows, inputs: d.train.x.cols });

/** The bytes of a split's arrays. */
function bytesOf(d: PreparedData): number {
  const parts = [d.train, d.validation, d.test].filter((p) => p !== undefined);
  return parts.reduce((n, p) => n + 8 * (p.x.data.length + p.y.data.length), 0) + 4 * (d.split.train.length + d.split.test.length + d.split.validation.length);
}

export class DataCache {
  private readonly sources = new Map<string, Source>();
  /** Least recently used first. */
  private readonly splits = new Map<string, PreparedData>();
  /** Splits given (shared()'s, in a worker): never let go. */
  private readonly given = new Set<string>();
  /** Every split made here, kept or not. */
  private readonly made = new Set<string>();
  /** The training rows and inputs of every split made or put here, kept or let go since (order.ts: which runs cost most). */
  private readonly shapes = new Map<string, TrainShape>();
  private held = 0;

  /** `budget`: the bytes of splits kept (default HOLD_SHARE of the machine's memory); `shared`: a parent's data. */
  constructor(private readonly budget = totalmem() * HOLD_SHARE, shared?: SharedData) {
    for (const [key, source] of shared?.sources ?? []) this.sources.set(key, source);
    for (const [key, data] of shared?.splits ?? []) this.splits.set(key, data), this.given.add(key);
  }

  /** The data of `spec` for a run (ctx: LoadContext), made here unless made already. */
  data(spec: DataSpec, ctx: LoadContext): PreparedData {
    const keys = dataKeys(spec, ctx);
    const made = this.splits.get(keys.split);
    const counts = dataWorkCounter();
    if (counts && this.given.has(keys.split)) Atomics.add(counts, 2, 1);
    if (made !== undefined) {
      this.splits.delete(keys.split);
      this.splits.set(keys.split, made);
      return made;
    }
    let source = this.sources.get(keys.source);
    if (source === undefined) {
      source = sharedSource(loadSource(spec, ctx));
      this.sources.set(keys.source, source);
    }
    const data = splitSource(source, spec, ctx);
    this.made.add(keys.split);
    this.keep(keys.split, data);
    return data;
  }

  /**
   * Makes the data of `spec` for sharing, unless made already: kept, or let go under the budget (a worker then
   * splits its source again, kept here, rather than this thread splitting it for nothing before they start).
   */
  prepare(spec: DataSpec, ctx: LoadContext): void {
    const keys = dataKeys(spec, ctx);
    if (!this.made.has(keys.split) && !this.splits.has(keys.split)) this.data(spec, ctx);
  }

  /** The training rows and inputs of `spec`'s data, if made, put or given here (undefined: none yet). */
  trainShape(spec: DataSpec, ctx: LoadContext): TrainShape | undefined {
    const key = dataKeys(spec, ctx).split;
    const given = this.splits.get(key);
    return this.shapes.get(key) ?? (given && trainShapeOf(given));
  }

  /** Are the data of `spec` here (made, put or given)? A run asking for them then gets them without a read. */
  holds(spec: DataSpec, ctx: LoadContext): boolean {
    return this.splits.has(dataKeys(spec, ctx).split);
  }

  /** Keeps data made elsewhere (loadData's, from a source not kept) for the runs that ask for them. */
  put(spec: DataSpec, ctx: LoadContext, data: PreparedData): void {
    const key = dataKeys(spec, ctx).split;
    if (!this.splits.has(key)) this.keep(key, data);
  }

  /** Keeps a split made, letting the least recently used go while over the budget (never the one just made). */
  private keep(key: string, data: PreparedData): void {
    this.splits.set(key, data);
    this.shapes.set(key, trainShapeOf(data));
    this.held += bytesOf(data);
    for (const [k, d] of this.splits) {
      if (this.held <= this.budget || k === key) break;
      if (this.given.has(k)) continue;
      this.splits.delete(k);
      this.held -= bytesOf(d);
    }
  }

  /** Everything made so far, for workers: their arrays are shared memory, so sending them copies none. */
  shared(): SharedData {
    return { sources: [...this.sources], splits: [...this.splits] };
  }
}
