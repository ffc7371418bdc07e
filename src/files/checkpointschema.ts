// The checkpoint file's format, mlplab.checkpoint/v1: its JSON Schema (schemas/checkpoint.schema.json, written
// by `npm run schema` with its validator compiled ahead of time, as the model file's). The reading, writing and
// the checks a schema cannot make are in checkpoint.ts.

/** How ajv checks checkpoint files (the first error only); compiled ahead of time into checkpointschema.validator.ts. */
export const CHECKPOINT_AJV_OPTIONS = { allErrors: false, strict: false } as const;

export const CHECKPOINT_FORMAT = 'mlplab.checkpoint/v1';

/** A float64 array: its little-endian bytes in base64 (exact, -0 and NaN included). */
const f64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'float64 values: their little-endian bytes, base64' } as const;
const i32 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'int32 values: their little-endian bytes, base64' } as const;
/** A float64 scalar: a JSON number, or one JSON cannot hold ("-0", "Infinity", "-Infinity", "NaN"). */
const scalar = { oneOf: [{ type: 'number' }, { enum: ['-0', 'Infinity', '-Infinity', 'NaN'] }] } as const;
const count = { type: 'integer', minimum: 0 } as const;
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const rng = {
  type: 'object',
  additionalProperties: false,
  required: ['words', 'spare_normal'],
  description: "A random stream's state: xoshiro128**'s four 32-bit words and the normal value kept for the next draw.",
  properties: { words: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'integer', minimum: -2147483648, maximum: 4294967295 } }, spare_normal: { oneOf: [scalar, { type: 'null' }] } },
} as const;
const weights = { type: 'array', items: f64, description: "Each layer's weights (inputs × units, row by row) then its bias: 2 arrays a layer." } as const;

export const checkpointSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mlplab.dev/schemas/checkpoint.schema.json',
  title: 'mlplab checkpoint (mlplab.checkpoint/v1)',
  description: 'Where a run stood at the end of an epoch: enough to continue it with the same bits as a run never stopped.',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'config_sha256', 'data_sha256', 'epoch', 'steps', 'weights', 'order', 'optimizer', 'shuffle', 'schedule', 'log_bytes'],
  properties: {
    format: { const: CHECKPOINT_FORMAT },
    config_sha256: { ...sha256, description: "SHA-256 of the run's config.json: a resume with another configuration is refused." },
    data_sha256: { ...sha256, description: "SHA-256 of the run's data inputs: a resume on other data is refused." },
    epoch: { ...count, description: 'Epochs finished.' },
    steps: { ...count, description: 'Weight updates made.' },
    weights,
    order: { ...i32, description: 'The row order the next epoch shuffles.' },
    optimizer: {
      type: 'object',
      additionalProperties: false,
      required: ['learning_rate', 'steps', 'buffers'],
      properties: { learning_rate: scalar, steps: count, buffers: { type: 'array', items: { type: 'array', items: f64 } } },
    },
    shuffle: rng,
    dropout: rng,
    schedule: { type: 'object', additionalProperties: scalar, description: "The learning-rate schedule's state by name." },
    early_stopping: {
      type: 'object',
      additionalProperties: false,
      required: ['best', 'best_epoch', 'wait'],
      properties: { best: scalar, best_epoch: count, wait: count, best_weights: weights },
    },
    log_bytes: { ...count, description: 'The length of loss.csv at this epoch: a resume cuts it back to this.' },
    log_sha256: { ...sha256, description: 'SHA-256 of the first log_bytes bytes of loss.csv: a resume refuses a log changed since (absent from checkpoints written before it was added).' },
  },
} as const;
