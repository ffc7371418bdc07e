// Schema fragments of the training section's options that are not choices among descriptors: early stopping,
// checkpoints.
// (The optimizer and the schedule are derived from their registries in schema.ts.)

import { monitorSetting } from '../training/monitor.js';

export const EARLY_STOPPING_DEFAULTS = { monitor: 'validation_loss', patience: 20, min_delta: 0, restore_best: true } as const;

export const earlyStoppingSchema = {
  description:
    'Stop when the monitored metric has not improved by more than min_delta for `patience` epochs (as Keras\'s EarlyStopping); run.json records the best epoch, the stop epoch and why it stopped. null: train every epoch.',
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    monitor: monitorSetting('The metric watched.'),
    patience: { description: 'Epochs without improvement after which training stops.', type: 'integer', minimum: 1, default: EARLY_STOPPING_DEFAULTS.patience, examples: [20] },
    min_delta: { description: 'The least change that counts as an improvement.', type: 'number', minimum: 0, default: EARLY_STOPPING_DEFAULTS.min_delta, examples: [0.001] },
    restore_best: { description: 'At the end, put back the weights of the best epoch (they are what model.json and the final metrics hold).', type: 'boolean', default: EARLY_STOPPING_DEFAULTS.restore_best, examples: [true] },
  },
  default: null,
  examples: [{ monitor: 'validation_loss', patience: 20, min_delta: 0, restore_best: true }],
};

export const checkpointSchema = {
  description:
    'Write a checkpoint (checkpoint.json: the weights, the optimizer\'s, schedule\'s, early stopping\'s and random streams\' states) every `every` epochs while training; a run interrupted after one keeps it in NAME.interrupted/, and `mlplab run FILE --resume` continues from it with the same bits as a run never stopped. Absent: no checkpoint is written.',
  type: 'object',
  additionalProperties: false,
  required: ['every'],
  properties: {
    every: { description: 'Epochs between two checkpoints.', type: 'integer', minimum: 1, examples: [100] },
  },
  examples: [{ every: 100 }],
};
