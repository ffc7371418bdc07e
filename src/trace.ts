// NODE_DEBUG=mlplab: where a process's time and memory go, one stderr line per step reached (milliseconds since
// Node started, as performance.now() counts them, and the resident memory then), for finding start-up and memory
// costs. Silent and nearly free otherwise.

import { debuglog } from 'node:util';

const debug = debuglog('mlplab');

/** Notes that `what` is reached, when NODE_DEBUG includes mlplab. */
export function mark(what: string): void {
  // NOTE: the global `performance` loads Node's perf_hooks (≈1 ms): only touched when asked.
  if (debug.enabled) debug('%s ms, %s MiB: %s', performance.now().toFixed(1), (process.memoryUsage.rss() / 2 ** 20).toFixed(1), what);
}
