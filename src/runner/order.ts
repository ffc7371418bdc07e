// The order in which --jobs threads take the runs of an invocation: the dearest first (longest processing time
// first, LPT), so that the last runs taken are short ones and no thread idles long while another finishes a
// long run taken late. A sweep's grid puts its dearest values last as often as not (16, 64, 128 units), and
// on 2 threads a 45-run digits sweep ended with one thread alone on a 128-unit run. Only the order in which runs
// start changes: each run's files, record and report are the same, and the summary lists the runs by number.
// A run's cost is estimated from its shape, not timed: epochs × training rows × the products' multiply-adds
// per row (Σ inputs·units over the layers), which is what forward and backward scale with; the estimate orders
// the runs, nothing else. Left out: serial runs (they go in the grid's order, as their progress lines do),
// early stopping (a run that stops early was dearer in the estimate than it turns out).

import type { LoadedExperiment } from '../config/load.js';

/** The rows and input width a run trains on (its data's training split), when known before it starts. */
export interface TrainShape {
  rows: number;
  inputs: number;
}

/** The estimated work of training `exp` on data of `shape` (unknown: one row of one input, so only the network counts). */
export function trainingCost(exp: LoadedExperiment, shape: TrainShape | undefined): number {
  const { rows, inputs } = shape ?? { rows: 1, inputs: 1 };
  let width = inputs;
  let products = 0;
  for (const layer of exp.config.model.layers) {
    products += width * layer.units;
    width = layer.units;
  }
  return exp.config.training.epochs * rows * products;
}

/** `items` ordered by `cost`, dearest first; items of equal cost keep their order. */
export function dearestFirst<T>(items: readonly T[], cost: (item: T) => number): T[] {
  const costs = items.map(cost);
  return items.map((item, k) => ({ item, k })).sort((a, b) => costs[b.k] - costs[a.k] || a.k - b.k).map((e) => e.item);
}
