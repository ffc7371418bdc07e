// The rows of a streamed loss log kept for its chart (loss.svg): at most CHART_ROWS, evenly thinned, so a run of
// a million epochs keeps a flat memory. Only the chart reads them; loss.csv has every row. Drawing is report/'s.

import type { LogRow } from '../files/losslog.js';

/** At most this many loss-log rows are kept for the loss chart of a streamed log (memory stays flat). */
export const CHART_ROWS = 2000;

/** Keeps every k-th row (k doubling whenever more than CHART_ROWS are kept), and always the last one. */
export function thinnedRows(): { add(row: LogRow): void; rows(): LogRow[] } {
  let kept: LogRow[] = [];
  let every = 1;
  let seen = 0;
  let last: LogRow | undefined;
  return {
    add(row) {
      if (seen++ % every === 0) kept.push(row);
      last = row;
      if (kept.length > CHART_ROWS) (kept = kept.filter((_, i) => i % 2 === 0)), (every *= 2);
    },
    rows: () => (last !== undefined && kept[kept.length - 1] !== last ? [...kept, last] : kept),
  };
}
