// How a run ended, as every run path reports it (serially, from a --jobs worker, through runPlans): its run
// record, where it went, its last logged epoch. Its own module so that execute.ts and pool.ts, which both
// speak of it, need not import each other.

import type { RunRecord } from '../files/runfile.js';
import type { RunResult } from './session.js';

/** How a run ended, as reported: its record (status completed, diverged or interrupted), where it went, its last logged epoch. */
export interface RunOutcome {
  run: RunRecord;
  outDir: string;
  /** The epoch of the loss log's last row (undefined when no row was logged). */
  lastLogged?: number;
  /** An interrupted run: the epoch of the checkpoint kept in its folder (training.checkpoint), if any. */
  checkpointEpoch?: number;
}

/** A run's outcome from what runExperiment returned. */
export function outcomeOf(r: RunResult & { outDir: string; checkpointEpoch?: number }): RunOutcome {
  const checkpoint = r.checkpointEpoch !== undefined ? { checkpointEpoch: r.checkpointEpoch } : {};
  return { run: r.run, outDir: r.outDir, lastLogged: r.rows.length > 0 ? r.rows[r.rows.length - 1].epoch : undefined, ...checkpoint };
}
