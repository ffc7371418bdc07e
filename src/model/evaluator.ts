// The Evaluator: forward-only passes over a whole data set (no gradients), for the logged metrics and predictions:
// the outputs and the mean loss of a matrix of rows, in fixed-size chunks so memory stays bounded. Reuses one
// workspace across calls; allocates only the outputs it returns. (Not the `evaluate` command: runner/evaluate.ts.)

import type { Matrix } from '../matrix.js';
import { losses, type LossName } from './losses.js';
import { createWorkspace, forward, outputWidth, type Network, type Workspace } from './network.js';

/** Rows evaluated at a time (runner/memory.ts counts its workspace). */
export const CHUNK = 512;

export class Evaluator {
  private readonly ws: Workspace;

  constructor(private readonly net: Network) {
    this.ws = createWorkspace(net, CHUNK, undefined, true);
  }

  /**
   * Runs x: (rows, inputs) forward; writes the network's outputs into `out` (rows, nOut) when given, and
   * returns the mean loss against y (the loss's reduction='mean' definition over all rows), or NaN without y.
   */
  run(x: Matrix, y: Matrix | null, lossName: LossName, out?: Matrix): number {
    const loss = losses[lossName];
    const last = this.net.layers.length - 1;
    const nOut = outputWidth(this.net);
    let total = 0;
    for (let start = 0; start < x.rows; start += CHUNK) {
      const rows = Math.min(CHUNK, x.rows - start);
      const a = forward(this.net, this.ws, x.data.subarray(start * x.cols, (start + rows) * x.cols), rows);
      if (out) out.data.set(a.subarray(0, rows * nOut), start * nOut);
      if (y) {
        const v = loss.reads === 'logits' ? this.ws.z[last] : a;
        total += loss.total(v, y.data.subarray(start * nOut, (start + rows) * nOut), rows, nOut);
      }
    }
    return y ? total / loss.meanCount(x.rows, nOut) : NaN;
  }

  /** The network's outputs for every row of x: (rows, nOut). */
  outputs(x: Matrix): Matrix {
    const out: Matrix = { data: new Float64Array(x.rows * outputWidth(this.net)), rows: x.rows, cols: outputWidth(this.net) };
    this.run(x, null, 'mse', out);
    return out;
  }
}
