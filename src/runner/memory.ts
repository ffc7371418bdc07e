// Limits up front: before any large array is made, an estimate of the memory a run needs (data, network,
// training and evaluation buffers), refused with the estimate in the message when it would not fit, instead of
// a RangeError or V8 running out of heap mid-way.

import { totalmem } from 'node:os';
import { formatPath, UserError, type KeyPath } from '../errors.js';
import type { LoadedExperiment } from '../config/load.js';

/** Rows of evaluation at a time (model/evaluate.ts CHUNK is at most this). */
const EVAL_CHUNK = 4096;
/** The share of the machine's memory a run may plan to use. */
const SHARE = 0.6;

export interface MemoryEstimate {
  data: number;
  network: number;
  buffers: number;
  total: number;
}

/** Bytes a run of exp needs with `rows` examples of `inputs` features (float64 everywhere). */
export function estimateMemory(exp: LoadedExperiment, rows: number, inputs: number): MemoryEstimate {
  const layers = exp.config.model.layers;
  const outputs = layers[layers.length - 1].units;
  const widths = [inputs, ...layers.map((l) => l.units)];
  let params = 0;
  for (let k = 1; k < widths.length; k++) params += widths[k - 1] * widths[k] + widths[k];
  const units = widths.reduce((s, w) => s + w, 0);
  const bs = exp.config.training.batch_size;
  const batch = bs === 'full' ? rows : Math.min(bs, rows);
  const data = 8 * rows * (inputs + outputs) * 3; // parsed, encoded and split copies
  const network = 8 * params * 6; // initial, trained, gradients, two optimizer states, model file
  const buffers = 8 * (4 * batch * units + 4 * Math.min(rows, EVAL_CHUNK) * units + 2 * rows * outputs);
  return { data, network, buffers, total: data + network + buffers };
}

const size = (bytes: number) => {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let k = 0;
  while (bytes >= 1000 && k < units.length - 1) (bytes /= 1000), k++;
  return `${Number(bytes.toPrecision(3))} ${units[k]}`;
};

/** Refuses a run whose estimate exceeds the share of this machine's memory, located where it can be made smaller. */
export function checkMemory(exp: LoadedExperiment, rows: number, inputs: number, budget = totalmem() * SHARE): void {
  const e = estimateMemory(exp, rows, inputs);
  if (e.total <= budget) return;
  const path: KeyPath = e.data >= e.network + e.buffers ? ['data'] : ['model', 'layers'];
  throw new UserError(
    'check',
    `this run would need about ${size(e.total)} of memory (data ${size(e.data)}, network ${size(e.network)}, training and evaluation buffers ` +
      `${size(e.buffers)}), more than the ${size(budget)} it may use on this machine: use fewer or smaller layers, fewer examples or a smaller batch_size`,
    { ...exp.source.at(path), path: formatPath(path) },
  );
}
