// Timing one workload with one kernel set, and exporting it for the peers (bench/peers.py): data, initial
// weights and the exact batch order train() uses, as raw little-endian arrays plus a meta.json entry.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kernels } from '../src/kernels/index.js';
import { argmaxRow } from '../src/matrix.js';
import { Evaluator } from '../src/model/evaluator.js';
import { initialize } from '../src/model/init.js';
import { createNetwork, type Network } from '../src/model/network.js';
import { Rng } from '../src/random.js';
import { scalarKernels } from '../src/kernels/index.js';
import { train } from '../src/training/train.js';
import { SEED, type Dataset, type Workload } from './workloads.js';

export interface Measured {
  /** Training time of each timed repetition, seconds. */
  seconds: number[];
  /** Mean loss and accuracy (classification) on the training rows after training. */
  loss: number;
  accuracy: number | null;
  /** sha256 of the trained weights' bytes: equal hashes mean bit-identical training. */
  hash: string;
}

/** The workload's network with its initial weights, in arrays from `kernels`. */
export function initialNetwork(w: Workload, data: Dataset, kernels: Kernels): Network {
  const net = createNetwork(data.x.cols, w.layers, undefined, kernels);
  initialize(net, { scheme: w.init }, Rng.stream(SEED, 'init'));
  return net;
}

function trainOnce(w: Workload, data: Dataset, kernels: Kernels, epochs: number): { net: Network; seconds: number } {
  const net = initialNetwork(w, data, kernels);
  const rng = Rng.stream(SEED, 'shuffle');
  const opts = { epochs, batchSize: w.batchSize, shuffle: true, loss: w.loss, reduction: 'mean' as const, optimizer: w.optimizer, rng, kernels };
  const t0 = process.hrtime.bigint();
  train(net, data.x, data.y, opts);
  return { net, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** Trains `reps` times from the same initial weights after a shorter warm-up; all repetitions give the same net. */
export function measure(w: Workload, data: Dataset, kernels: Kernels, reps: number): Measured {
  trainOnce(w, data, kernels, Math.ceil(w.epochs / 4)); // warm-up: lets V8 optimize the hot paths
  const runs = Array.from({ length: reps }, () => trainOnce(w, data, kernels, w.epochs));
  const net = runs[runs.length - 1].net;
  const out = new Evaluator(net).outputs(data.x);
  const loss = new Evaluator(net).run(data.x, data.y, w.loss);
  let correct = 0;
  for (let r = 0; r < data.x.rows; r++) if (argmaxRow(out, r) === argmaxRow(data.y, r)) correct++;
  const hash = createHash('sha256');
  for (const l of net.layers) for (const a of [l.w, l.b]) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return { seconds: runs.map((r) => r.seconds), loss, accuracy: w.classify ? correct / data.x.rows : null, hash: hash.digest('hex') };
}

/** The row order of every epoch, as train() shuffles it with the 'shuffle' stream: (epochs, rows). */
function batchOrder(w: Workload, rows: number): Int32Array {
  const rng = Rng.stream(SEED, 'shuffle');
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const all = new Int32Array(w.epochs * rows);
  for (let e = 0; e < w.epochs; e++) {
    rng.shuffle(order);
    all.set(order, e * rows);
  }
  return all;
}

/** Writes the workload's arrays into dir; returns its meta.json entry. */
export function exportWorkload(dir: string, w: Workload, data: Dataset): object {
  const file = (name: string, a: Float64Array | Int32Array) => {
    writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return name;
  };
  const net = initialNetwork(w, data, scalarKernels);
  const full = w.batchSize === 'full';
  return {
    name: w.name,
    rows: data.x.rows,
    inputs: data.x.cols,
    outputs: data.y.cols,
    x: file(`${w.name}.x`, data.x.data),
    y: file(`${w.name}.y`, data.y.data),
    layers: net.layers.map((l, k) => ({ nIn: l.nIn, nOut: l.nOut, activation: l.activation, w: file(`${w.name}.w${k}`, l.w), b: file(`${w.name}.b${k}`, l.b) })),
    // A full batch is every row: its order does not matter, and xor's 10,000 epochs need no file.
    order: full ? null : file(`${w.name}.order`, batchOrder(w, data.x.rows)),
    batch: full ? data.x.rows : w.batchSize,
    epochs: w.epochs,
    loss: w.loss,
    optimizer: w.optimizer,
    classify: w.classify,
  };
}
