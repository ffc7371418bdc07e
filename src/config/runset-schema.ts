// The keys of an experiment file that no single run reads: `sweep` (a grid of runs), `expect` and `golden`
// (what `mlplab check` compares), and `run_id` (the folder a snapshot reruns into). Part of the experiment
// schema (schema.ts); their meaning is in sweep.ts, plan.ts and runner/check.ts.

/** A run's folder below results/NAME/ (run IDs joined by `/`), each part a folder name as above. */
export const RUN_ID_PATTERN = '^(?!\\.+(/|$))[A-Za-z0-9._+=,~-]+(/(?!\\.+(/|$))[A-Za-z0-9._+=,~-]+)*$';

/** A metric's bounds in `expect:`. */
const BOUNDS = { type: 'object', additionalProperties: false, minProperties: 1, properties: { min: { type: 'number' }, max: { type: 'number' } } } as const;

/** `expect:`'s `status`: how every run of the groups it applies to ends (runner/check.ts; default completed). */
const STATUS = {
  description: 'How every run of these groups ends: completed (the default: a run that does not complete fails its group) or diverged (a run shown to diverge; no metric bounds beside it).',
  enum: ['completed', 'diverged'],
  // No `default` keyword: Ajv's useDefaults would write status: completed into every expect: mapping.
  examples: ['diverged'],
} as const;

/** A range [a, b] of a random-search distribution. */
const RANGE = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;

/** A sweep entry that is a distribution: random search (sweep.ts draws `sweep_samples` values from it). */
const DISTRIBUTION = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    uniform: { ...RANGE, description: 'Random search: a number drawn uniformly from [a, b).' },
    log_uniform: { ...RANGE, description: 'Random search: a number whose logarithm is uniform: a > 0; for learning rates and other scales spanning decades.' },
    int_uniform: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2, description: 'Random search: an integer from a to b, both included.' },
    choice: { type: 'array', minItems: 1, description: 'Random search: one of these values, each equally likely.' },
  },
} as const;

/** The keys a run doesn't read: a grid of runs, what `mlplab check` expects, where the run writes (sweep.ts, plan.ts). */
export const runSetSchema = {
  sweep: {
    description:
      'A grid of runs: key path (numeric segments for list items, `model.layers.0.activation`) → the values it takes. Every combination is one run, written to results/NAME/RUN-ID/. ' +
      'An entry may instead be a distribution (`{ log_uniform: [1e-4, 0.1] }`, `uniform`, `int_uniform`, `choice`): random search, `sweep_samples` draws from the distributions, each draw combined with every combination of the lists.',
    type: 'object',
    minProperties: 1,
    additionalProperties: { anyOf: [{ type: 'array', minItems: 1 }, DISTRIBUTION] },
    examples: [{ 'training.optimizer.learning_rate': [0.01, 0.1], seed: [0, 1, 2] }, { 'training.optimizer.learning_rate': { log_uniform: [0.0001, 0.1] }, 'model.layers.0.units': { int_uniform: [4, 64] }, seed: [0, 1, 2] }],
  },
  sweep_samples: {
    description:
      'Random search: how many settings to draw from the `sweep:` entries that are distributions, from the file\'s seed in a stream of its own (the same file gives the same draws on any machine). Run IDs are `sample=K` (with the list entries\' values).',
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    examples: [20],
  },
  expect: {
    description:
      '`mlplab check`: bounds on final metrics (train_loss, test_accuracy, …); for a sweep, on each group\'s mean over seeds (of its completed runs: a run that did not complete fails its group). ' +
      'A key with "=" (`model.layers.0.activation=relu`, or several joined by ",") holds bounds for the groups with those swept values only. ' +
      '`status: diverged` says the runs of those groups diverge.',
    type: 'object',
    properties: { status: STATUS },
    patternProperties: { '=': { type: 'object', minProperties: 1, properties: { status: STATUS }, additionalProperties: BOUNDS } },
    additionalProperties: BOUNDS,
    examples: [{ test_accuracy: { min: 0.9 } }, { train_accuracy: { min: 0.7 }, 'model.layers.0.activation=sigmoid': { train_accuracy: { min: 0.9 } } }, { 'training.optimizer.learning_rate=1': { status: 'diverged' } }],
  },
  golden: {
    description: '`mlplab check`: the golden loss log of the base run (the file\'s own values), relative to this file (default: NAME.csv in the test/golden/ folder nearest this file, looking in its folder and then up the tree; test/golden/ beside the file when there is none).',
    type: 'string',
    minLength: 1,
    examples: ['golden/xor.csv'],
  },
  run_id: {
    description: 'The folder below results/NAME/ this run writes to; set in the config.json of sweep runs and runs with --set/--seed, so a rerun writes where the original did.',
    type: 'string',
    pattern: RUN_ID_PATTERN,
    maxLength: 400,
    examples: ['seed=3', 'learning_rate=0.1,seed=3'],
  },
} as const;
