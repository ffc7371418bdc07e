// The model file's format, mlplab.model/v1: its TypeScript type (ModelFile) and its JSON Schema, written to
// schemas/model.schema.json by `npm run schema`, the first check readModelFile makes. What a schema cannot say
// (shapes against the layers, class counts against the output units, finite numbers) is checked in modelcheck.ts.

import type { Scaler } from '../data/preprocess.js';
import { PREPROCESS_KINDS } from '../data/schema.js';
import { ACTIVATION_NAMES, type ActivationName } from '../model/activations.js';
import { LOSS_NAMES, type LossName } from '../model/losses.js';
import { TARGET_KINDS, type TargetKind } from '../metrics.js';

/** How ajv checks model files (the first error only); compiled ahead of time into modelschema.validator.ts. */
export const MODEL_AJV_OPTIONS = { allErrors: false, strict: false } as const;

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
  /**
   * What the outputs are: multiclass, binary, multilabel or regression (metrics.ts). Files written before it
   * existed are given the kind their fields imply when read (modelcheck.ts).
   */
  kind: TargetKind;
  /** Input column names, in order. */
  features?: string[];
  /** Target column names. */
  targets?: string[];
  /** Class names in output order (multiclass and binary only; a multilabel model's labels are its targets). */
  classes?: (string | number)[];
  /** The CSV column of class labels the model was trained on (multiclass, binary), which evaluate reads. */
  label_column?: string;
  /** Binary and multilabel: an output above it is the second class (the label is on). */
  threshold?: number;
  /** Fitted preprocessing: x' = (x − offset) / scale per feature. */
  preprocess?: Scaler;
  /** Regression with scaled targets: the network predicts y' = (y − offset) / scale per target; predict inverts it. */
  target_preprocess?: Scaler;
}

const numbers = { type: 'array', items: { type: 'number' } } as const;
const names = { type: 'array', items: { type: 'string' } } as const;

/** A fitted scaling: one offset and one non-zero scale per `each` (input or output unit). */
const scaling = (description: string, each: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'offset', 'scale'],
    description,
    properties: {
      kind: { enum: [...PREPROCESS_KINDS] },
      offset: { ...numbers, description: `One per ${each}.` },
      scale: { ...numbers, description: `One per ${each}, never 0.` },
    },
  }) as const;

const layerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['units', 'activation', 'weights', 'bias'],
  properties: {
    units: { type: 'integer', minimum: 1, description: 'Units (outputs) of the layer.' },
    activation: { enum: [...ACTIVATION_NAMES], description: 'The activation applied to the layer.' },
    slope: { type: 'number', description: 'leaky_relu only: the slope for negative inputs.' },
    weights: { type: 'array', items: numbers, description: '(inputs of the layer) × units: weights[i][j] connects input i to unit j.' },
    bias: { ...numbers, description: 'One per unit.' },
  },
} as const;

export const modelSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mlplab.dev/schemas/model.schema.json',
  title: 'mlplab model file (model.json)',
  description: 'A trained network and what prediction needs: feature names, fitted preprocessing, class names.',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'inputs', 'loss', 'layers'],
  properties: {
    format: { const: MODEL_FORMAT, description: 'The format of this file.' },
    inputs: { type: 'integer', minimum: 1, description: 'Features the network takes.' },
    loss: { enum: [...LOSS_NAMES], description: 'The loss it was trained with (decides how outputs are read).' },
    layers: { type: 'array', minItems: 1, items: layerSchema, description: 'The layers, input side first.' },
    kind: {
      enum: [...TARGET_KINDS],
      description:
        'What the outputs are: multiclass (one class per row), binary (one output, two classes), multilabel (one 0/1 label per output), regression. Absent in files written before it; then implied by classes and the output units.',
    },
    features: { ...names, description: 'Input column names, in order: one per input.' },
    targets: { ...names, description: 'Target column names, one per output unit (a one-hot class column is "name=class").' },
    classes: { type: 'array', items: { type: ['string', 'number'] }, description: 'Class names in output order (multiclass and binary only).' },
    label_column: { type: 'string', description: 'The CSV column of class labels the model was trained on (multiclass, binary); evaluate reads it.' },
    threshold: { type: 'number', description: 'Binary and multilabel: an output above it is the second class (the label is on).' },
    preprocess: scaling("Fitted preprocessing: x' = (x − offset) / scale per feature.", 'input'),
    target_preprocess: scaling("Regression with scaled targets: the network predicts y' = (y − offset) / scale per target; predict inverts it.", 'output unit'),
  },
} as const;
