// The model file, format mlplab.model/v1: the layers' weights (inputs × units, row i = input i) and biases as
// plain JSON numbers (which round-trip float64 exactly), plus what prediction needs: feature names, the
// fitted preprocessing and the class names. Reading checks the format with ajv and reports plain errors.

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { UserError } from '../errors.js';
import { ACTIVATION_NAMES, type ActivationName } from '../model/activations.js';
import { LOSS_NAMES, type LossName } from '../model/losses.js';
import { createNetwork, type Network } from '../model/network.js';

export const MODEL_FORMAT = 'mlplab.model/v1';

export interface ModelLayer {
  units: number;
  activation: ActivationName;
  slope?: number;
  /** (inputs, units): weights[i][j] connects input i to unit j. */
  weights: number[][];
  bias: number[];
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  inputs: number;
  loss: LossName;
  layers: ModelLayer[];
  /** Input column names, in order. */
  features?: string[];
  /** Target column names. */
  targets?: string[];
  /** Class names in output order (classification only). */
  classes?: (string | number)[];
  /** Threshold for a single-output classifier. */
  threshold?: number;
  /** Fitted preprocessing: x' = (x − offset) / scale per feature. */
  preprocess?: { kind: string; offset: number[]; scale: number[] };
  /** Regression with scaled targets: the network predicts y' = (y − offset) / scale per target; predict inverts it. */
  target_preprocess?: { kind: string; offset: number[]; scale: number[] };
}

const numberRow = { type: 'array', items: { type: 'number' } } as const;
const modelSchema = {
  type: 'object',
  required: ['format', 'inputs', 'loss', 'layers'],
  properties: {
    format: { const: MODEL_FORMAT },
    inputs: { type: 'integer', minimum: 1 },
    loss: { enum: [...LOSS_NAMES] },
    target_preprocess: { type: 'object', required: ['kind', 'offset', 'scale'], properties: { offset: numberRow, scale: numberRow } },
    layers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['units', 'activation', 'weights', 'bias'],
        properties: {
          units: { type: 'integer', minimum: 1 },
          activation: { enum: [...ACTIVATION_NAMES] },
          slope: { type: 'number' },
          weights: { type: 'array', items: numberRow },
          bias: numberRow,
        },
      },
    },
  },
} as const;
const validateModel = new Ajv({ allErrors: false, strict: false }).compile<ModelFile>(modelSchema);

/** The model file of a trained network, with what prediction needs. */
export function toModelFile(net: Network, loss: LossName, extra: Omit<ModelFile, 'format' | 'inputs' | 'loss' | 'layers'> = {}): ModelFile {
  const layers = net.layers.map((l): ModelLayer => {
    const weights: number[][] = [];
    for (let i = 0; i < l.nIn; i++) weights.push(Array.from(l.w.subarray(i * l.nOut, (i + 1) * l.nOut)));
    const layer: ModelLayer = { units: l.nOut, activation: l.activation, weights, bias: Array.from(l.b) };
    if (l.activation === 'leaky_relu') layer.slope = l.slope;
    return layer;
  });
  return { format: MODEL_FORMAT, inputs: net.inputs, loss, layers, ...extra };
}

/** Reads and checks a model file; every problem is a UserError naming the file. */
export function readModelFile(file: string): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err instanceof SyntaxError ? `not valid JSON (${err.message})` : err.message;
    throw new UserError(err.code === 'ENOENT' ? 'io' : 'model_format', `cannot read the model file: ${why}`, { file });
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== MODEL_FORMAT) {
    throw new UserError('model_format', `expected a model file of format "${MODEL_FORMAT}", found format ${JSON.stringify(format ?? null)}`, { file, path: 'format' });
  }
  if (!validateModel(value)) {
    const e = validateModel.errors![0];
    const path = e.instancePath.slice(1).replace(/\//g, '.');
    throw new UserError('model_format', `not a valid ${MODEL_FORMAT} file: ${e.message}`, { file, path });
  }
  checkShapes(value, file);
  return value;
}

/** Every layer's weights are (inputs of that layer) × units and its bias has `units` entries. */
function checkShapes(m: ModelFile, file: string): void {
  let nIn = m.inputs;
  m.layers.forEach((l, k) => {
    const bad = (what: string) => {
      throw new UserError('model_format', `layer ${k + 1}: ${what}`, { file, path: `layers[${k}]` });
    };
    if (l.weights.length !== nIn) bad(`expected ${nIn} weight rows (one per input), found ${l.weights.length}`);
    l.weights.forEach((row, i) => row.length !== l.units && bad(`weights row ${i} has ${row.length} entries, expected ${l.units} (one per unit)`));
    if (l.bias.length !== l.units) bad(`expected ${l.units} biases, found ${l.bias.length}`);
    nIn = l.units;
  });
  const t = m.target_preprocess;
  if (t && (t.offset.length !== nIn || t.scale.length !== nIn)) {
    const msg = `target_preprocess: expected ${nIn} offsets and scales (one per output), found ${t.offset.length} and ${t.scale.length}`;
    throw new UserError('model_format', msg, { file, path: 'target_preprocess' });
  }
}

/** The network stored in a model file. */
export function networkFromModel(m: ModelFile): Network {
  const net = createNetwork(m.inputs, m.layers);
  m.layers.forEach((l, k) => {
    l.weights.forEach((row, i) => net.layers[k].w.set(row, i * l.units));
    net.layers[k].b.set(l.bias);
  });
  return net;
}
