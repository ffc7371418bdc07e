// NODE_DEBUG=mlplab: where a process's time goes, one stderr line per step reached (milliseconds since Node
// started, as performance.now() counts them), for finding start-up costs. Silent and nearly free otherwise.

import { debuglog } from 'node:util';

const debug = debuglog('mlplab');

/** Notes that `what` is reached, when NODE_DEBUG includes mlplab. */
export function mark(what: string): void {
  // NOTE: the global `performance` loads Node's perf_hooks (≈1 ms): only touched when asked.
  if (debug.enabled) debug('%s ms: %s', performance.now().toFixed(1), what);
}
