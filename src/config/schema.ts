// The JSON Schema (draft-07) of experiment files, built from the same name lists as the registries, so
// names are never kept twice. `npm run schema` writes it to schemas/experiment.schema.json; a test checks
// the written file is current. Checks a schema can't express are in checks.ts.

import { dataSchema } from '../data/schema.js';
import { runSetSchema } from './runset-schema.js';
import { ACTIVATION_NAMES, DEFAULT_SLOPE } from '../model/activations.js';
import { DEFAULT_INIT_SCHEME, INIT_SCHEMES, initSchemes } from '../model/init.js';
import { LOSS_NAMES, REDUCTIONS } from '../model/losses.js';
import { OPTIMIZER_NAMES, optimizers } from '../training/optimizers/index.js';
import { SCHEDULE_NAMES, schedules } from '../training/schedules/index.js';
import { checkpointSchema, earlyStoppingSchema } from './training-schema.js';
import { choiceProperties, describeChoices, typeChoiceSchema, type Choice } from './choices.js';

export const SCHEMA_ID = 'https://mlplab.dev/schemas/experiment.schema.json';

/**
 * How ajv validates experiment files: every error at once, defaults filled in, errors carrying their schema
 * (for messages). The validator is compiled ahead of time with these options (schema.validator.ts, `npm run schema`).
 */
export const AJV_OPTIONS = { allErrors: true, useDefaults: true, verbose: true, strict: true, strictTypes: false } as const;

/**
 * A run name is one folder name inside results/: letters, digits, `.`, `_`, `-`, not dots only (`.` and `..`
 * would name results/ itself or its parent), at most NAME_MAX_LENGTH characters.
 */
export const NAME_PATTERN = '^(?!\\.+$)[A-Za-z0-9._-]+$';
export const NAME_MAX_LENGTH = 100;

const layerSchema = {
  description: 'A dense layer: its number of units and its activation.',
  type: 'object',
  additionalProperties: false,
  required: ['units', 'activation'],
  properties: {
    units: { description: 'Number of units (neurons) in the layer.', type: 'integer', minimum: 1, maximum: 1e6, examples: [2, 32] },
    activation: {
      description: 'Activation function applied to the layer\'s pre-activation z = x·W + b.',
      enum: [...ACTIVATION_NAMES],
      examples: ['tanh', 'softmax'],
    },
    dropout: {
      description: 'Inverted dropout after the activation, in training only (torch.nn.Dropout): each output is zeroed with this probability and the rest scaled by 1/(1 − p), from the seed\'s dropout stream. Evaluation, the loss log\'s metrics, gradcheck and predict run without it. Not on the output layer.',
      type: 'number',
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0,
      examples: [0.2, 0.5],
    },
    slope: {
      description: `leaky_relu only: the slope for z <= 0 (PyTorch's negative_slope). Default: ${DEFAULT_SLOPE}.`,
      type: 'number',
      examples: [0.01, 0.2],
    },
  },
  // The slope's default is filled in for leaky_relu layers only, so a written config.json stays valid.
  allOf: [{ if: { properties: { activation: { const: 'leaky_relu' } }, required: ['activation'] }, then: { properties: { slope: { default: DEFAULT_SLOPE } } } }],
  examples: [{ units: 2, activation: 'tanh' }],
};

/** The init scheme and the optimizer type: choices among descriptors, their schema derived (choices.ts). */
export const INIT_CHOICE: Choice = { key: 'scheme', fallback: DEFAULT_INIT_SCHEME, registry: initSchemes };
export const OPTIMIZER_CHOICE: Choice = { key: 'type', fallback: OPTIMIZER_NAMES[0], registry: optimizers };
export const SCHEDULE_CHOICE: Choice = { key: 'type', fallback: SCHEDULE_NAMES[0], registry: schedules };


const initChoice = choiceProperties(INIT_CHOICE);
const initSchema = {
  description: 'How the weights start: a scheme drawn from the seed, or `from`, a model file.',
  type: 'object',
  additionalProperties: false,
  properties: {
    scheme: {
      description: `Random initialization scheme, with PyTorch's formulas (torch.nn.init). ${describeChoices(INIT_CHOICE)}`,
      enum: [...INIT_SCHEMES],
      default: DEFAULT_INIT_SCHEME,
      examples: ['xavier_uniform', 'he_normal', 'uniform'],
    },
    ...initChoice.properties,
    from: {
      description: 'A model file (mlplab.model/v1, as written by `mlplab run`) or a .safetensors file (`mlplab export --format safetensors`, or a PyTorch nn.Sequential state_dict of Linear layers, whose activations are then model.layers\'), relative to this YAML file; its layers must match model.layers.',
      type: 'string',
      minLength: 1,
      examples: ['init.json', '../results/xor-softmax/model.json'],
    },
  },
  allOf: initChoice.allOf,
  default: { scheme: DEFAULT_INIT_SCHEME },
  examples: [{ scheme: 'xavier_uniform' }, { scheme: 'uniform', low: 0, high: 1 }, { from: 'init.json' }],
};

const optimizerSchema = typeChoiceSchema(OPTIMIZER_CHOICE, 'The optimizer and its settings, with PyTorch\'s update rules.', ['sgd', 'adam'], [
  { type: 'sgd', learning_rate: 0.5, momentum: 0.9 },
  { type: 'adam', learning_rate: 0.01 },
]);

const scheduleSchema = typeChoiceSchema(
  SCHEDULE_CHOICE,
  'The learning-rate schedule, with PyTorch\'s definitions (torch.optim.lr_scheduler), stepped once per epoch after its updates. Any schedule but constant adds a learning_rate column to the loss log (the rate the epoch\'s updates used).',
  ['cosine', 'plateau'],
  [{ type: 'step', step_size: 30, gamma: 0.1 }, { type: 'cosine', t_max: 200 }, { type: 'plateau', monitor: 'validation_loss', patience: 5 }],
);

export const experimentSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCHEMA_ID,
  title: 'mlplab experiment',
  description: 'A neural-network experiment: data, model, loss, training and logging. Run it with `mlplab run FILE`.',
  examples: [
    {
      seed: 1,
      data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
      loss: 'cross_entropy',
      training: { epochs: 2000, batch_size: 4, optimizer: { type: 'sgd', learning_rate: 0.5, momentum: 0.9 } },
    },
  ],
  type: 'object',
  additionalProperties: false,
  required: ['data', 'model', 'loss'],
  properties: {
    name: { description: 'Name of the run and of its results folder (default: the file\'s base name).', type: 'string', pattern: NAME_PATTERN, maxLength: NAME_MAX_LENGTH, examples: ['xor-softmax'] },
    description: { description: 'What the experiment shows, in a sentence or two.', type: 'string', default: '', examples: ['XOR with softmax and cross-entropy'] },
    seed: { description: 'The one integer every random stream (init, shuffle, split, data) is derived from.', type: 'integer', default: 0, examples: [7] },
    data: dataSchema,
    model: {
      description: 'The network: dense layers in order (the input width comes from the data) and their initialization.',
      type: 'object',
      additionalProperties: false,
      required: ['layers'],
      properties: {
        layers: { description: 'Dense layers from the first hidden one to the output layer.', type: 'array', minItems: 1, items: layerSchema, examples: [[{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }]] },
        init: initSchema,
      },
      examples: [{ layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }], init: { scheme: 'xavier_uniform' } }],
    },
    loss: {
      description: 'mse (torch.nn.MSELoss), cross_entropy (needs a softmax output; torch.nn.CrossEntropyLoss) or binary_cross_entropy (needs a sigmoid output; torch.nn.BCEWithLogitsLoss).',
      enum: [...LOSS_NAMES],
      examples: ['cross_entropy', 'mse'],
    },
    reduction: {
      description: 'mean: the loss is averaged over the batch (PyTorch\'s default); sum: summed over the samples, as an accumulate-then-update script does.',
      enum: [...REDUCTIONS],
      default: 'mean',
      examples: ['mean', 'sum'],
    },
    training: {
      description: 'How long and how the weights are updated.',
      type: 'object',
      additionalProperties: false,
      properties: {
        epochs: { description: 'Passes over the training set.', type: 'integer', minimum: 0, maximum: 1e9, default: 100, examples: [2000] },
        batch_size: {
          description: 'The batch interval: the weights update after every batch_size samples. 1 = online learning, N = mini-batch, full = the whole training set.',
          anyOf: [{ type: 'integer', minimum: 1 }, { const: 'full' }],
          default: 32,
          examples: [4, 1, 'full'],
        },
        shuffle: { description: 'Shuffle the training rows every epoch (seeded); otherwise batches are consecutive rows in order.', type: 'boolean', default: true, examples: [true] },
        optimizer: optimizerSchema,
        schedule: scheduleSchema,
        early_stopping: earlyStoppingSchema,
        checkpoint: checkpointSchema,
        clip_grad_norm: {
          description: 'Rescale all gradients together when their global L2 norm exceeds this, as torch.nn.utils.clip_grad_norm_, before weight decay and the update. null: no clipping.',
          type: ['number', 'null'],
          exclusiveMinimum: 0,
          default: null,
          examples: [1, 5],
        },
      },
      default: {},
      examples: [{ epochs: 2000, batch_size: 4, shuffle: true, optimizer: { type: 'sgd', learning_rate: 0.5, momentum: 0.9 } }],
    },
    log: {
      description: 'What goes into loss.csv, and whether the run draws it (loss.svg).',
      type: 'object',
      additionalProperties: false,
      properties: {
        every: { description: 'A CSV row every `every` epochs, plus epoch 0 and the last epoch.', type: 'integer', minimum: 1, default: 1, examples: [100] },
        charts: {
          description:
            "Write the run's loss chart, loss.svg and its Vega-Lite spec loss.vl.json. Default: true for a run alone, false for each run of a sweep (`mlplab compare` draws a sweep's curves together; two files fewer a run make a sweep of small runs faster).",
          type: 'boolean',
          examples: [true],
        },
      },
      default: {},
      examples: [{ every: 100 }],
    },
    ...runSetSchema,
  },
} as const;
