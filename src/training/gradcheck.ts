// Gradient checking: every weight's and bias's analytic gradient (backward) against a central finite
// difference of the loss, (L(w + h) − L(w − h)) / 2h, reported per layer. It reads only forward, lossOf and
// backward, so it checks any network built from the registries, including ones a user declares.

import type { Matrix } from '../matrix.js';
import type { LossName, Reduction } from '../model/losses.js';
import { backward, createWorkspace, forward, lossOf, type Network } from '../model/network.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  h?: number;
  /** Largest relative error that passes (default 1e-6). */
  tolerance?: number;
}

export interface ParamCheck {
  kind: 'weight' | 'bias';
  /** weight: [input, unit]; bias: [unit]. */
  index: number[];
  analytic: number;
  numeric: number;
  relError: number;
}

export interface LayerCheck {
  /** 1-based layer number. */
  layer: number;
  nIn: number;
  nOut: number;
  activation: string;
  params: number;
  worst: ParamCheck;
  pass: boolean;
}

/**
 * Relative error of two derivatives: |a − n| / max(|a|, |n|), taken as the absolute error when both are
 * below 1e-8 (there the finite difference's rounding noise dominates and a ratio means nothing).
 */
export function relativeError(a: number, n: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(n));
  return scale < 1e-8 ? Math.abs(a - n) : Math.abs(a - n) / scale;
}

/** Checks all parameters of net on the batch x: (rows, inputs), y: (rows, nOut). Restores every weight it moves. */
export function gradcheck(net: Network, x: Matrix, y: Matrix, loss: LossName, reduction: Reduction, opts: GradcheckOptions = {}): LayerCheck[] {
  const h = opts.h ?? 1e-6;
  const tolerance = opts.tolerance ?? 1e-6;
  const ws = createWorkspace(net, x.rows);
  forward(net, ws, x.data, x.rows);
  backward(net, ws, x.data, y.data, x.rows, loss, reduction);
  const lossAt = () => {
    forward(net, ws, x.data, x.rows);
    return lossOf(net, ws, y.data, x.rows, loss, reduction);
  };
  return net.layers.map((l, k) => {
    const analyticW = Float64Array.from(ws.dw[k]); // copied: the loss evaluations below reuse the workspace
    const analyticB = Float64Array.from(ws.db[k]);
    let worst: ParamCheck | undefined;
    const probe = (kind: 'weight' | 'bias', values: Float64Array, analytic: Float64Array, i: number) => {
      const saved = values[i];
      values[i] = saved + h;
      const up = lossAt();
      values[i] = saved - h;
      const down = lossAt();
      values[i] = saved;
      const numeric = (up - down) / (2 * h);
      const relError = relativeError(analytic[i], numeric);
      if (!worst || relError > worst.relError) {
        const index = kind === 'weight' ? [Math.floor(i / l.nOut), i % l.nOut] : [i];
        worst = { kind, index, analytic: analytic[i], numeric, relError };
      }
    };
    for (let i = 0; i < l.w.length; i++) probe('weight', l.w, analyticW, i);
    for (let i = 0; i < l.b.length; i++) probe('bias', l.b, analyticB, i);
    return { layer: k + 1, nIn: l.nIn, nOut: l.nOut, activation: l.activation, params: l.w.length + l.b.length, worst: worst!, pass: worst!.relError < tolerance };
  });
}
