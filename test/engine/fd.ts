// Finite-difference gradient checking for the engine's tests: the library's per-layer gradcheck
// (src/training/gradcheck.ts) summed up over a whole network. test/engine/gradcheck.test.ts shows that it
// catches wrong derivatives (down to a relative 1e-4) and passes every registered activation and loss.
//
// The analytic gradient (network.backward → ws.dw, ws.db) of every weight and bias is compared with the central
// difference (L(θ + h) − L(θ − h)) / (2h) of the reduced loss (network.forward + network.lossOf), in float64.
//
// Error measure, per parameter:  |a − n| / max(|a|, |n|, floor)
//   a relative error where the gradient is large, and an absolute one (in units of the floor) where both values
//   are near zero. The floor is not arbitrary: a central difference in float64 cannot resolve a derivative more
//   finely than about noise = ε·max(1, |L|) / h (the rounding error of the loss values, divided by the step; with
//   ε = 2.2e-16 and h = 1e-5, noise ≈ 2.2e-11·max(1, |L|)). The floor is noise / 1e-8, so rounding alone adds at
//   most ~1e-8 to the error, two orders of magnitude below the tests' 1e-6 threshold; a gradient component
//   smaller than the floor (≈ 2.2e-3·max(1, |L|) at h = 1e-5) is thereby checked to an absolute accuracy of
//   1e-6·floor ≈ 2.2e-9·max(1, |L|), still far below the size of any real mistake. A pure 1e-8 floor would
//   instead report FD rounding noise on components of size 1e-6 as "errors" of ~1e-5.

import type { LossRef, Network } from '../../src/model/network.js';
import type { Reduction } from '../../src/model/losses.js';
import { gradcheck } from '../../src/training/gradcheck.js';

export { centralDifference, errorFloor, relativeError } from '../../src/training/gradcheck.js';

export interface FdOptions {
  /** Relative step: each parameter θ is moved by ±h·max(1, |θ|). Default 1e-5. */
  h?: number;
}

export interface ParamError {
  layer: number;
  kind: 'w' | 'b';
  index: number;
  analytic: number;
  numeric: number;
  error: number;
}

export interface GradCheckReport {
  /** How many parameters were compared (every weight and bias of every layer). */
  checked: number;
  /** How many of them have a non-zero analytic gradient (a check of all-zero gradients would prove little). */
  nonZero: number;
  /** The largest error over all parameters (0 when all agree exactly). */
  maxError: number;
  /** The parameter with the largest error. */
  worst: ParamError | null;
}

/**
 * The library's per-layer gradcheck (src/training/gradcheck.ts) summed up over the whole network, for the batch
 * x: (rows, inputs), y: (rows, nOut). The network's parameters are left exactly as they were.
 */
export function checkNetworkGradients(
  net: Network,
  x: Float64Array,
  y: Float64Array,
  rows: number,
  lossName: LossRef,
  reduction: Reduction,
  opts: FdOptions = {},
): GradCheckReport {
  const nIn = net.inputs;
  const nOut = net.layers[net.layers.length - 1].nOut;
  const layers = gradcheck(net, { data: x, rows, cols: nIn }, { data: y, rows, cols: nOut }, lossName, reduction, { h: opts.h ?? 1e-5 });
  const report: GradCheckReport = { checked: 0, nonZero: 0, maxError: 0, worst: null };
  for (const l of layers) {
    report.checked += l.params;
    report.nonZero += l.nonZero;
    const e = l.worst.error;
    if (report.worst === null || Number.isNaN(e) || (!Number.isNaN(report.maxError) && e > report.maxError)) {
      report.maxError = e;
      const index = l.worst.kind === 'weight' ? l.worst.index[0] * l.nOut + l.worst.index[1] : l.worst.index[0];
      const { analytic, numeric, error } = l.worst;
      report.worst = { layer: l.layer - 1, kind: l.worst.kind === 'weight' ? 'w' : 'b', index, analytic, numeric, error };
    }
  }
  return report;
}

/** Total number of weights and biases of a network. */
export function parameterCount(net: Network): number {
  return net.layers.reduce((s, l) => s + l.w.length + l.b.length, 0);
}
