// Divergence: telling, cheaply, that training has produced a non-finite number, and which came first. Per
// step only the gradients are checked, once an epoch the weights (both by the kernels' allFinite, vectorised in
// wasm); the slower diagnosis (weights, then the batch loss) runs once, when training stops. A loss measured for
// the log (lossDivergence) is checked by the caller as each row is made. Why it diverged, in words, is runner/record.ts's.

import { scalarKernels, type Kernels } from '../kernels/index.js';
import type { Network, Workspace } from '../model/network.js';

/** Which value went non-finite first: weights feed the loss, the loss feeds the gradients. */
export type DivergedValue = 'loss' | 'gradient' | 'weight';

export interface Divergence {
  /** The epoch (1-based) in which it happened. */
  epoch: number;
  /** Weight updates applied before it (the last finite state). */
  step: number;
  value: DivergedValue;
  /** Where: `layer 2 weights`, `batch loss`, … */
  where: string;
}

/** Are all of ws.dw and ws.db finite? One pass over them, through the workspace's kernels. */
export function gradientsFinite(ws: Workspace): boolean {
  const k = ws.kernels;
  for (let l = 0; l < ws.dw.length; l++) if (!k.allFinite(ws.dw[l], ws.dw[l].length) || !k.allFinite(ws.db[l], ws.db[l].length)) return false;
  return true;
}

/**
 * One training's checks: its gradients (every step) and its weights (every epoch), each in one pass through the
 * kernels when the arrays lie back to back in their memory (Kernels.span, found once: XOR's twelve values in one
 * loop instead of a kernel call per array), else array by array.
 */
export class FiniteChecks {
  private readonly grads: Float64Array | null;
  private readonly weights: Float64Array | null;

  constructor(private readonly net: Network, private readonly ws: Workspace) {
    this.grads = ws.kernels.span(ws.dw.flatMap((dw, l) => [dw, ws.db[l]]));
    this.weights = ws.kernels.span(net.layers.flatMap((l) => [l.w, l.b]));
  }

  /** Are all gradients finite? */
  gradients(): boolean {
    const g = this.grads;
    return g !== null ? this.ws.kernels.allFinite(g, g.length) : gradientsFinite(this.ws);
  }

  /** firstNonFiniteWeight: undefined at once when all weights are finite. */
  firstBadWeight(): string | undefined {
    const w = this.weights;
    return w !== null && this.ws.kernels.allFinite(w, w.length) ? undefined : firstNonFiniteWeight(this.net, this.ws.kernels);
  }
}

/** `layer K weights` or `layer K biases` (1-based) of the first non-finite parameter, or undefined. */
export function firstNonFiniteWeight(net: Network, k: Kernels = scalarKernels): string | undefined {
  for (let i = 0; i < net.layers.length; i++) {
    const { w, b } = net.layers[i];
    if (!k.allFinite(w, w.length)) return `layer ${i + 1} weights`;
    if (!k.allFinite(b, b.length)) return `layer ${i + 1} biases`;
  }
  return undefined;
}

/** After a non-finite gradient: which value went first, given the batch's loss (its gradients are still in ws). */
export function diagnose(net: Network, ws: Workspace, batchLoss: number, epoch: number, steps: number): Divergence {
  const weight = firstNonFiniteWeight(net, ws.kernels);
  if (weight !== undefined) return { epoch, step: steps, value: 'weight', where: weight };
  if (!Number.isFinite(batchLoss)) return { epoch, step: steps, value: 'loss', where: 'batch loss' };
  for (let k = net.layers.length - 1; k >= 0; k--) {
    if (!ws.kernels.allFinite(ws.dw[k], ws.dw[k].length)) return { epoch, step: steps, value: 'gradient', where: `gradient of layer ${k + 1} weights` };
    if (!ws.kernels.allFinite(ws.db[k], ws.db[k].length)) return { epoch, step: steps, value: 'gradient', where: `gradient of layer ${k + 1} biases` };
  }
  return { epoch, step: steps, value: 'gradient', where: 'gradients' };
}

/** A measured row's first non-finite loss (a metric named `*_loss`), as the divergence it ends the run with. */
export function lossDivergence(row: { readonly epoch: number; readonly step: number; readonly [metric: string]: number }): Divergence | undefined {
  const bad = Object.keys(row).find((k) => k.endsWith('_loss') && !Number.isFinite(row[k]));
  return bad === undefined ? undefined : { epoch: row.epoch, step: row.step, value: 'loss', where: bad };
}
