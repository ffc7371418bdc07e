// A stack of dense layers, forward and backward on whole batches, in float64.
// Weights of a layer are (nIn, nOut): w[i * nOut + j] connects input i to unit j. All per-batch buffers
// live in a Workspace made once for a largest batch size, so a training step allocates nothing. The matrix
// products run through the workspace's kernels (src/kernels); arrays come from their allocator, so the wasm
// kernels use them in place.

import { defaultKernels, type Kernels } from '../kernels/index.js';
import { activations, DEFAULT_SLOPE, type Activation, type ActivationName } from './activations.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { losses, reductionScale, type Loss, type LossName, type Reduction } from './losses.js';
import type { Rng } from '../random.js';

/** A loss by its registered name, or as an object (a test's own, e.g. with a deliberately wrong gradient). */
export type LossRef = LossName | Loss;
const lossFrom = (ref: LossRef): Loss => (typeof ref === 'string' ? losses[ref] : ref);

export interface LayerSpec {
  units: number;
  activation: ActivationName;
  /** leaky_relu's slope (default 0.01). */
  slope?: number;
  /** Inverted dropout probability after the activation, in training only (default 0: none). */
  dropout?: number;
}

export interface Layer {
  nIn: number;
  nOut: number;
  activation: ActivationName;
  /** The activation's functions, taken from the registry once when the network is made. */
  fn: Activation;
  slope: number;
  /** Dropout probability of the layer's outputs in training (0: none). */
  dropout: number;
  /** (nIn, nOut) */
  w: Float64Array;
  /** (nOut) */
  b: Float64Array;
}

export interface Network {
  inputs: number;
  layers: Layer[];
}

/**
 * A network with zero weights; fill it with init.ts or from a model file. Each layer takes its activation
 * from `registry` (the shipped one by default; a test may pass its own, e.g. with a deliberately wrong derivative).
 * Weights and biases are allocated by `kernels` (in WebAssembly memory for the wasm kernels).
 */
export function createNetwork(
  inputs: number,
  specs: readonly LayerSpec[],
  registry: Readonly<Record<ActivationName, Activation>> = activations,
  kernels: Kernels = defaultKernels(),
): Network {
  let nIn = inputs;
  const layers = specs.map((s) => {
    const layer: Layer = {
      nIn,
      nOut: s.units,
      activation: s.activation,
      fn: registry[s.activation],
      slope: s.slope ?? DEFAULT_SLOPE,
      dropout: s.dropout ?? 0,
      w: kernels.alloc(nIn * s.units),
      b: kernels.alloc(s.units),
    };
    nIn = s.units;
    return layer;
  });
  const bad = layers.findIndex((l, k) => !(l.dropout >= 0 && l.dropout < 1) || (k === layers.length - 1 && l.dropout > 0));
  if (bad >= 0) throw new RangeError(`layer ${bad + 1}: dropout must be in [0, 1) and 0 on the output layer, got ${layers[bad].dropout}`);
  return { inputs, layers };
}

/** A copy with its own weight and bias arrays: training the copy leaves `net` as it was. */
export function cloneNetwork(net: Network, kernels: Kernels = defaultKernels()): Network {
  const copy = (v: Float64Array) => {
    const c = kernels.alloc(v.length);
    c.set(v);
    return c;
  };
  return { inputs: net.inputs, layers: net.layers.map((l) => ({ ...l, w: copy(l.w), b: copy(l.b) })) };
}

export function outputWidth(net: Network): number {
  return net.layers[net.layers.length - 1].nOut;
}

/** Per-batch buffers for a network, for batches of up to `capacity` rows, and the parameter gradients. */
export interface Workspace {
  capacity: number;
  /** The kernels that run this workspace's products (and allocated its arrays). */
  kernels: Kernels;
  /** Made for forward passes only (createWorkspace's `forwardOnly`): every gradient array below is empty. */
  forwardOnly: boolean;
  /** Per layer: pre-activation z, activation a, and their gradients, each (capacity, nOut). */
  z: Float64Array[];
  a: Float64Array[];
  dz: Float64Array[];
  da: Float64Array[];
  /** Per layer: ∂L/∂w (nIn, nOut) and ∂L/∂b (nOut). */
  dw: Float64Array[];
  db: Float64Array[];
  /** Per layer with dropout: the dropped output (the next layer's input in training) and its mask; else empty. */
  dropped: Float64Array[];
  mask: Float64Array[];
  /** Was the last forward pass a training one (dropout applied)? backward follows it. */
  dropping: boolean;
}

/**
 * The buffers for batches of up to `capacity` rows; with `forwardOnly` (evaluation), no gradient arrays (for mnist-shape's 512-row evaluation chunks, 1.9 MiB less), and backward refuses the workspace.
 */
export function createWorkspace(net: Network, capacity: number, kernels: Kernels = defaultKernels(), forwardOnly = false): Workspace {
  const per = (f: (l: Layer) => number) => net.layers.map((l) => kernels.alloc(f(l)));
  const none = (): Float64Array[] => net.layers.map(() => new Float64Array(0));
  // NOTE: gradients in the order of the parameters (w, b of each layer, as createNetwork allocates them), one after
  // another, so an optimizer may update them all in one call (kernels.span).
  const grads = forwardOnly ? [] : net.layers.map((l) => [kernels.alloc(l.nIn * l.nOut), kernels.alloc(l.nOut)]);
  const rowsOf = (l: Layer) => capacity * l.nOut;
  return {
    capacity,
    kernels,
    forwardOnly,
    z: per(rowsOf),
    a: per(rowsOf),
    dz: forwardOnly ? none() : per(rowsOf),
    da: forwardOnly ? none() : per(rowsOf),
    dw: forwardOnly ? none() : grads.map((g) => g[0]),
    db: forwardOnly ? none() : grads.map((g) => g[1]),
    dropped: per((l) => (l.dropout > 0 ? capacity * l.nOut : 0)),
    mask: per((l) => (l.dropout > 0 ? capacity * l.nOut : 0)),
    dropping: false,
  };
}

/**
 * Runs the batch x: (rows, inputs) through the network; the output is ws.a[last] (rows, nOut). With
 * `dropoutRng` (training only), layers with dropout pass on a dropped copy of their output (dropout.ts).
 */
export function forward(net: Network, ws: Workspace, x: Float64Array, rows: number, dropoutRng?: Rng): Float64Array {
  if (rows > ws.capacity) throw new RangeError(`batch of ${rows} rows exceeds workspace capacity ${ws.capacity}`);
  ws.dropping = dropoutRng !== undefined;
  let input = x;
  for (let k = 0; k < net.layers.length; k++) {
    const l = net.layers[k];
    ws.kernels.affine(input, l.w, l.b, ws.z[k], rows, l.nIn, l.nOut);
    l.fn.forward(ws.z[k], ws.a[k], rows, l.nOut, l, ws.kernels);
    if (dropoutRng && l.dropout > 0) dropoutForward(ws.a[k], ws.dropped[k], ws.mask[k], rows * l.nOut, l, dropoutRng);
    input = layerOutput(net, ws, k);
  }
  return ws.a[net.layers.length - 1];
}

/** What layer k passed on in the last forward pass: its dropped output in training, else its activation. */
const layerOutput = (net: Network, ws: Workspace, k: number): Float64Array => (ws.dropping && net.layers[k].dropout > 0 ? ws.dropped[k] : ws.a[k]);

/** The reduced loss of the last forward pass against y: (rows, nOut). */
export function lossOf(net: Network, ws: Workspace, y: Float64Array, rows: number, lossRef: LossRef, reduction: Reduction): number {
  return reducedLoss(net, lossTotalOf(net, ws, y, rows, lossRef), rows, lossRef, reduction);
}

/** A batch of `rows`' unreduced loss `total` (lossTotalOf, over one pass or summed over row chunks) as the reduced loss. */
export const reducedLoss = (net: Network, total: number, rows: number, lossRef: LossRef, reduction: Reduction): number =>
  total * reductionScale(lossFrom(lossRef), reduction, rows, net.layers[net.layers.length - 1].nOut);

/** The unreduced loss of the last forward pass against y: (rows, nOut), continuing the sum from `from` (a batch's earlier row chunks). */
export function lossTotalOf(net: Network, ws: Workspace, y: Float64Array, rows: number, lossRef: LossRef, from = 0): number {
  const loss = lossFrom(lossRef);
  const last = net.layers.length - 1;
  checkFused(loss, net.layers[last].activation);
  const v = loss.reads === 'logits' ? ws.z[last] : ws.a[last];
  return loss.total(v, y, rows, net.layers[last].nOut, from);
}

/**
 * Gradients of the reduced loss of the last forward pass into ws.dw and ws.db (overwritten).
 * x: (rows, inputs), the batch given to forward; y: (rows, nOut). A batch too large for memory goes in row chunks
 * (training/train.ts): `batchRows` is then the whole batch's rows (the 'mean' divides by them), and `accumulate`
 * adds each chunk after the first to the gradients (Kernels.paramGrads continues every sum: one pass's bits).
 */
export function backward(
  net: Network, ws: Workspace, x: Float64Array, y: Float64Array, rows: number, lossRef: LossRef, reduction: Reduction, batchRows = rows, accumulate = false,
): void {
  if (ws.forwardOnly) throw new Error('backward: the workspace was made forwardOnly (no gradient arrays)');
  const loss = lossFrom(lossRef);
  const last = net.layers.length - 1;
  const out = net.layers[last];
  checkFused(loss, out.activation);
  if (loss.reads === 'logits') {
    // Fused: dz directly, given the output forward computed (softmax, sigmoid) so the loss need not compute it again.
    loss.backward(ws.z[last], y, ws.dz[last], rows, out.nOut, reduction, ws.a[last], batchRows);
  } else {
    loss.backward(ws.a[last], y, ws.da[last], rows, out.nOut, reduction, undefined, batchRows);
  }
  for (let k = last; k >= 0; k--) {
    const l = net.layers[k];
    if (k < last && ws.dropping && l.dropout > 0) dropoutBackward(ws.da[k], ws.mask[k], rows * l.nOut); // da: ∂L/∂dropped → ∂L/∂a
    if (k < last || loss.reads === 'output') {
      const act = l.fn;
      act.backward(act.reads === 'input' ? ws.z[k] : ws.a[k], ws.da[k], ws.dz[k], rows, l.nOut, l, ws.kernels);
    }
    const input = k === 0 ? x : layerOutput(net, ws, k - 1);
    ws.kernels.paramGrads(input, ws.dz[k], ws.dw[k], ws.db[k], rows, l.nIn, l.nOut, accumulate);
    if (k > 0) ws.kernels.inputGrad(ws.dz[k], l.w, ws.da[k - 1], rows, l.nIn, l.nOut);
  }
}

/** A fused loss reads the logits of its own activation only (the config checks say so to users first). */
function checkFused(loss: Loss, activation: string): void {
  const required = loss.requires;
  if (required !== null && activation !== required) throw new Error(`this loss needs a ${required} output layer, got ${activation}`);
}
