// The `data:` section of an experiment file: a JSON Schema (draft-07, no `$schema` key so it can be
// embedded as a sub-schema) and the matching TypeScript types. Checks that need the data itself
// (column names, row widths, class counts) are made by load.ts, not here.

export const GENERATOR_KINDS = ['xor', 'circles', 'moons', 'spirals', 'blobs', 'sine'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

/** Generators whose `classes` key is used; the others have a fixed number of classes (or none). */
export const MULTICLASS_GENERATORS: readonly GeneratorKind[] = ['spirals', 'blobs'];

export const PREPROCESS_KINDS = ['none', 'standardize', 'minmax'] as const;
export type PreprocessKind = (typeof PREPROCESS_KINDS)[number];

/** The most folds data.split.folds takes (each is a run). */
export const MAX_FOLDS = 1000;

export const DATA_DEFAULTS = { samples: 200, noise: 0.1, classes: 3, test: 0, preprocess: 'none', delimiter: ',' } as const;

export interface InlineSpec {
  inputs: number[][];
  targets: number[][];
}

export interface CsvSpec {
  /** Relative to the folder of the experiment file. */
  path: string;
  target: string | string[];
  features?: string[];
  /** Columns left out of the default features (ids, notes); only without `features`. */
  ignore?: string[];
  delimiter?: string;
}

export interface GenerateSpec {
  kind: GeneratorKind;
  samples?: number;
  noise?: number;
  classes?: number;
}

export interface SplitSpec {
  test?: number;
  validation?: number;
  /** Cross-validation: K folds, one run per fold (config/plan.ts). */
  folds?: number;
  /** The fold (1..folds) a run validates on; the plan sets it for each run (default 1). */
  fold?: number;
}

/** Feature and target scaling; the plain string form scales the features only. */
export type PreprocessSpec = PreprocessKind | { features?: PreprocessKind; targets?: PreprocessKind };

/** Exactly one of inline, csv, generate is present (the schema checks it). */
export interface DataSpec {
  inline?: InlineSpec;
  csv?: CsvSpec;
  generate?: GenerateSpec;
  split?: SplitSpec;
  preprocess?: PreprocessSpec;
}

const numberRows = (description: string, examples: number[][][]) => ({
  description,
  type: 'array',
  minItems: 1,
  items: { type: 'array', minItems: 1, items: { type: 'number' } },
  examples,
});

const inlineSchema = {
  description: 'Data written in the experiment file: one row per example.',
  type: 'object',
  additionalProperties: false,
  required: ['inputs', 'targets'],
  properties: {
    inputs: numberRows('Input rows, all of the same width.', [[[0, 0], [0, 1], [1, 0], [1, 1]]]),
    targets: numberRows('Target rows, one per input row; their width is the number of output units.', [
      [[0], [1], [1], [0]],
    ]),
  },
  examples: [{ inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] }],
};

const csvSchema = {
  description: 'A CSV file with a header row naming the columns.',
  type: 'object',
  additionalProperties: false,
  required: ['path', 'target'],
  properties: {
    path: {
      description: 'Path of the CSV file, relative to the folder of the experiment file.',
      type: 'string',
      minLength: 1,
      examples: ['../data/iris.csv'],
    },
    target: {
      description:
        'The target column (numbers for mse; class labels for cross_entropy and binary_cross_entropy), or several target columns: numbers (mse, one output each), 0/1 labels (binary_cross_entropy: multilabel) or one-hot class columns (cross_entropy).',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
      ],
      examples: ['species', ['progression']],
    },
    features: {
      description: 'The input columns, in this order. Default: every column that is not a target or in `ignore`.',
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      examples: [['sepal_length', 'petal_length']],
    },
    ignore: {
      description: 'Columns that are neither features nor targets (an ID, a name, a note): left out of the default features. Used without `features`, which lists the inputs itself.',
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      examples: [['sample_id']],
    },
    delimiter: {
      description: 'The field separator: one character.',
      type: 'string',
      minLength: 1,
      maxLength: 1,
      default: DATA_DEFAULTS.delimiter,
      examples: [',', ';'],
    },
  },
  examples: [{ path: '../data/iris.csv', target: 'species' }],
};

const generateSchema = {
  description: 'Synthetic data drawn from the experiment seed.',
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: {
      description: 'xor, circles, moons: two classes; spirals, blobs: `classes` classes; sine: regression.',
      enum: [...GENERATOR_KINDS],
      examples: ['moons', 'spirals'],
    },
    samples: {
      description: 'Number of examples.',
      type: 'integer',
      minimum: 1,
      default: DATA_DEFAULTS.samples,
      examples: [200, 1000],
    },
    noise: {
      description: 'Standard deviation of the Gaussian noise (for spirals: added to the angle).',
      type: 'number',
      minimum: 0,
      default: DATA_DEFAULTS.noise,
      examples: [0.1, 0.3],
    },
    classes: {
      // No `default` keyword: Ajv's useDefaults would add it to every kind, and it is an error for xor, circles, moons, sine.
      description: `Number of classes, for spirals and blobs only (there the default is ${DATA_DEFAULTS.classes}).`,
      type: 'integer',
      minimum: 2,
      examples: [3, 5],
    },
  },
  examples: [{ kind: 'spirals', samples: 300, noise: 0.2, classes: 3 }],
};

export const dataSchema: Record<string, unknown> = {
  description: 'Where the examples come from (exactly one of inline, csv, generate), how they are split and scaled.',
  type: 'object',
  additionalProperties: false,
  properties: {
    inline: inlineSchema,
    csv: csvSchema,
    generate: generateSchema,
    split: {
      description: 'How the rows are split into training, validation and test sets (stratified by class for classification).',
      type: 'object',
      additionalProperties: false,
      properties: {
        test: {
          description: 'Fraction of the rows held out for testing; 0 keeps every row for training.',
          type: 'number',
          minimum: 0,
          exclusiveMaximum: 1,
          default: DATA_DEFAULTS.test,
          examples: [0.2, 0.25],
        },
        validation: {
          description:
            'Fraction of all rows held out for validation (early stopping, a plateau schedule), taken from the rows left after the test split (seeded, stratified for classification), so the test rows are the same with or without it; 0: none.',
          type: 'number',
          minimum: 0,
          exclusiveMaximum: 1,
          default: 0,
          examples: [0.1],
        },
        folds: {
          description:
            'Cross-validation: the rows left after the test split are dealt into this many folds (seeded; stratified by class for multiclass and binary targets, each class dealt in turn as in scikit-learn\'s StratifiedKFold), ' +
            'and each configuration runs once per fold (run IDs fold=1 … fold=K), validating on its fold and training on the others; compare and check group the folds like seeds. Not with validation.',
          type: 'integer',
          minimum: 2,
          maximum: MAX_FOLDS,
          examples: [5, 10],
        },
        fold: {
          description: 'The fold (1 to folds) a run validates on: each run of a cross-validation gets its own; written in the file, only that fold runs. Default with folds: 1.',
          type: 'integer',
          minimum: 1,
          examples: [1],
        },
      },
      // The fold's default only with folds: a file without cross-validation keeps its configuration as it was.
      allOf: [{ if: { required: ['folds'], properties: { folds: true } }, then: { properties: { fold: { default: 1 } } } }],
      examples: [{ test: 0.2 }, { test: 0.2, validation: 0.1 }, { folds: 5 }],
    },
    preprocess: {
      description:
        'Scaling fitted on the training rows only: standardize (mean 0, std 1) or minmax (to [0, 1]). A plain value scales the inputs only; ' +
        '{ features, targets } scales each (each default none); targets: regression only, stored in model.json and inverted by predict, ' +
        'so predictions are in the data\'s units (the loss log\'s losses are on the scaled targets; R² is unit-free).',
      // if/then/else rather than anyOf, so that a wrong value inside the mapping is reported at its own key.
      if: { type: 'string' },
      then: { enum: [...PREPROCESS_KINDS] },
      else: {
        type: 'object',
        additionalProperties: false,
        properties: {
          features: { description: 'Input scaling.', enum: [...PREPROCESS_KINDS], default: 'none', examples: ['standardize'] },
          targets: { description: 'Target scaling, regression only.', enum: [...PREPROCESS_KINDS], default: 'none', examples: ['standardize'] },
        },
      },
      default: DATA_DEFAULTS.preprocess,
      examples: ['standardize', { features: 'standardize', targets: 'standardize' }],
    },
  },
  // `properties: { key: true }` restates the key so that Ajv's strict mode (strictRequired) accepts the branch.
  oneOf: (['inline', 'csv', 'generate'] as const).map((key) => ({ required: [key], properties: { [key]: true } })),
  examples: [
    { csv: { path: '../data/iris.csv', target: 'species' }, split: { test: 0.2 }, preprocess: 'standardize' },
    { generate: { kind: 'moons', samples: 400, noise: 0.2 }, split: { test: 0.25 } },
  ],
};
