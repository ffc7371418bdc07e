// The JSON Schema (draft-07) of experiment files, built from the same name lists as the registries, so
// names are never kept twice. `npm run schema` writes it to schemas/experiment.schema.json; a test checks
// the written file is current. Checks a schema can't express are in checks.ts.

import { dataSchema } from '../data/schema.js';
import { ACTIVATION_NAMES, DEFAULT_SLOPE } from '../model/activations.js';
import { INIT_SCHEMES } from '../model/init.js';
import { LOSS_NAMES, REDUCTIONS } from '../model/losses.js';
import { OPTIMIZER_NAMES } from '../training/optimizers.js';

export const SCHEMA_ID = 'https://mlplab.dev/schemas/experiment.schema.json';

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
    units: { description: 'Number of units (neurons) in the layer.', type: 'integer', minimum: 1, examples: [2, 32] },
    activation: {
      description: 'Activation function applied to the layer\'s pre-activation z = x·W + b.',
      enum: [...ACTIVATION_NAMES],
      examples: ['tanh', 'softmax'],
    },
    slope: {
      description: 'leaky_relu only: the slope for z <= 0 (PyTorch\'s negative_slope).',
      type: 'number',
      default: DEFAULT_SLOPE,
      examples: [0.01, 0.2],
    },
  },
  examples: [{ units: 2, activation: 'tanh' }],
};

const initSchema = {
  description: 'How the weights start: a scheme drawn from the seed, or `from`, a model file.',
  type: 'object',
  additionalProperties: false,
  properties: {
    scheme: {
      description: 'Random initialization scheme, with PyTorch\'s formulas (torch.nn.init).',
      enum: [...INIT_SCHEMES],
      default: 'xavier_uniform',
      examples: ['xavier_uniform', 'he_normal', 'uniform'],
    },
    low: { description: 'uniform only: lower bound (inclusive).', type: 'number', default: 0, examples: [-0.5] },
    high: { description: 'uniform only: upper bound (exclusive).', type: 'number', default: 1, examples: [0.5] },
    gain: { description: 'xavier_uniform and xavier_normal only: the gain.', type: 'number', exclusiveMinimum: 0, default: 1, examples: [1] },
    bias: { description: 'The value every bias starts at.', type: 'number', default: 0, examples: [0, 0.1] },
    from: {
      description: 'A model file (mlplab.model/v1, as written by `mlplab run`), relative to this YAML file; its layers must match model.layers.',
      type: 'string',
      minLength: 1,
      examples: ['init.json', '../results/xor-softmax/model.json'],
    },
  },
  default: { scheme: 'xavier_uniform' },
  examples: [{ scheme: 'xavier_uniform' }, { scheme: 'uniform', low: 0, high: 1 }, { from: 'init.json' }],
};

const optimizerSchema = {
  description: 'The optimizer and its settings, with PyTorch\'s update rules.',
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { description: 'sgd (torch.optim.SGD, dampening 0) or adam (torch.optim.Adam).', enum: [...OPTIMIZER_NAMES], default: 'sgd', examples: ['sgd', 'adam'] },
    learning_rate: { description: 'Step size.', type: 'number', exclusiveMinimum: 0, default: 0.1, examples: [0.5, 0.01] },
    weight_decay: { description: 'L2 penalty: adds weight_decay·w to the gradient of the weights (not the biases).', type: 'number', minimum: 0, default: 0, examples: [0.0001] },
    momentum: { description: 'sgd only: momentum factor.', type: 'number', minimum: 0, default: 0, examples: [0.9] },
    nesterov: { description: 'sgd only: Nesterov momentum (needs momentum > 0).', type: 'boolean', default: false, examples: [true] },
    beta1: { description: 'adam only: decay rate of the first-moment estimate.', type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9, examples: [0.9] },
    beta2: { description: 'adam only: decay rate of the second-moment estimate.', type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.999, examples: [0.999] },
    epsilon: { description: 'adam only: term added to the denominator for numerical stability.', type: 'number', exclusiveMinimum: 0, default: 1e-8, examples: [1e-8] },
  },
  default: { type: 'sgd', learning_rate: 0.1 },
  examples: [{ type: 'sgd', learning_rate: 0.5, momentum: 0.9 }, { type: 'adam', learning_rate: 0.01 }],
};

/** Keys of the optimizer object that each type accepts (checked in checks.ts). */
export const OPTIMIZER_KEYS: Record<(typeof OPTIMIZER_NAMES)[number], readonly string[]> = {
  sgd: ['type', 'learning_rate', 'weight_decay', 'momentum', 'nesterov'],
  adam: ['type', 'learning_rate', 'weight_decay', 'beta1', 'beta2', 'epsilon'],
};

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
        epochs: { description: 'Passes over the training set.', type: 'integer', minimum: 0, default: 100, examples: [2000] },
        batch_size: {
          description: 'The batch interval: the weights update after every batch_size samples. 1 = online learning, N = mini-batch, full = the whole training set.',
          anyOf: [{ type: 'integer', minimum: 1 }, { const: 'full' }],
          default: 32,
          examples: [4, 1, 'full'],
        },
        shuffle: { description: 'Shuffle the training rows every epoch (seeded); otherwise batches are consecutive rows in order.', type: 'boolean', default: true, examples: [true] },
        optimizer: optimizerSchema,
      },
      default: {},
      examples: [{ epochs: 2000, batch_size: 4, shuffle: true, optimizer: { type: 'sgd', learning_rate: 0.5, momentum: 0.9 } }],
    },
    log: {
      description: 'What goes into loss.csv.',
      type: 'object',
      additionalProperties: false,
      properties: {
        every: { description: 'A CSV row every `every` epochs, plus epoch 0 and the last epoch.', type: 'integer', minimum: 1, default: 1, examples: [100] },
      },
      default: {},
      examples: [{ every: 100 }],
    },
  },
} as const;
