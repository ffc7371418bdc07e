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

/** The keys a run doesn't read: a grid of runs, what `mlplab check` expects, where the run writes (sweep.ts, plan.ts). */
export const runSetSchema = {
  sweep: {
    description: 'A grid of runs: key path (numeric segments for list items, `model.layers.0.activation`) → the values it takes. Every combination is one run, written to results/NAME/RUN-ID/.',
    type: 'object',
    minProperties: 1,
    additionalProperties: { type: 'array', minItems: 1 },
    examples: [{ 'training.optimizer.learning_rate': [0.01, 0.1], seed: [0, 1, 2] }],
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
