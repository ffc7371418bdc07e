// Ctrl-C and SIGTERM during a run. Training is synchronous, so a signal handler cannot run in the middle of it:
// the runner lets the event loop turn every ~15 ms at a batch boundary (runner/run.ts trainYielding), the
// handler below only records the signal, and the runner asks interrupt() at every batch boundary and stops
// there. A second signal exits at once: process.exit runs the 'exit' listener that removes the staging folder.

import { EXIT, type ExitCode } from '../errors.js';

export interface InterruptWatch {
  /** The first signal received, if any. */
  interrupt(): string | undefined;
  dispose(): void;
}

/** Exit code for a signal: 130 for SIGINT, 143 for SIGTERM (128 + its number, as shells report it). */
export function exitFor(signal: string): ExitCode {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** Catches SIGINT and SIGTERM until dispose(); on a second one, calls onSecond and exits at once. */
export function watchInterrupts(onSecond: (signal: string) => void): InterruptWatch {
  let first: string | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (first !== undefined) {
      onSecond(signal);
      process.exit(exitFor(signal));
    }
    first = signal;
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    interrupt: () => first,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
