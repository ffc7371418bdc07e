// run.json: what a run records about itself (when, with what, how it ended, the final metrics, the confusion
// matrix and the held-out rows). The TypeScript type and its JSON Schema (written to schemas/run.schema.json
// by `npm run schema`) are kept side by side; a test validates real run.json files against the schema.

import { TARGET_KINDS, type ClassificationReport, type ConfusionCounts, type TargetKind } from '../metrics.js';
import type { Strata } from '../data/types.js';
import { UserError } from '../errors.js';
import { readBounded, READ_LIMITS } from './safefs.js';

export const RUN_FORMAT = 'mlplab.run/v1';

/**
 * A run folder's JSON file (run.json, config.json), parsed: read at most READ_LIMITS.runFile bytes and only if a
 * regular file (else a UserError naming it); text that is not JSON throws the SyntaxError, for the caller to say.
 */
export const readRunJson = (file: string): unknown => JSON.parse(readBounded(file, READ_LIMITS.runFile, 'a run file'));

/** readRunJson's JSON object; text that is not JSON, or JSON that is not an object, a UserError in the caller's words. */
export function readRunObject(file: string, say: { notJson: (e: Error) => string; notObject: string }): Record<string, unknown> {
  let value: unknown;
  try {
    value = readRunJson(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('io', say.notJson(e as Error), { file });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError('io', say.notObject, { file });
  return value as Record<string, unknown>;
}

/**
 * The confusion counts (metrics.ts: k × k for multiclass and binary, matrix[true class][predicted class]; one
 * [[tn, fp], [fn, tp]] per label for multilabel, as scikit-learn's multilabel_confusion_matrix) and which rows they
 * count: the test rows, or the training rows without a split.
 */
export type Confusion = ConfusionCounts & { on: 'test' | 'train' };

/** How a run ended: all epochs done; stopped by a non-finite loss, gradient or weight; stopped by a signal. */
export type RunStatus = 'completed' | 'diverged' | 'interrupted';

export interface RunDivergence {
  /** The epoch (1-based) in which the first non-finite value appeared. */
  epoch: number;
  /** Weight updates applied before it. */
  step: number;
  /** Which value went non-finite first. */
  value: 'loss' | 'gradient' | 'weight';
  /** Where: `layer 2 weights`, `batch loss`, `train_loss`, … */
  where: string;
  /** The likely cause, naming the key and value to change. */
  cause: string;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  name: string;
  /** The experiment file as given on the command line. */
  file: string;
  seed: number;
  status: RunStatus;
  started: string;
  ended: string;
  duration_ms: number;
  node: string;
  mlplab: string;
  /** classification or regression: kind's coarse form. */
  task: 'classification' | 'regression';
  /** The data's target kind, as model.json's. */
  kind: TargetKind;
  /** How the test and validation rows were drawn (absent without a split). */
  strata?: Strata;
  epochs: number;
  /** Weight updates made. */
  steps: number;
  /** Whole epochs finished (diverged or interrupted runs). */
  epochs_done?: number;
  divergence?: RunDivergence;
  /** The signal that interrupted the run (SIGINT, SIGTERM). */
  signal?: string;
  /**
   * The metrics of the model written (train_loss, train_accuracy or train_r2, validation_*, test_*): the last
   * loss-log row's, or the best epoch's when early stopping put its weights back. A NaN (R² of a single row) is
   * null in the file, as JSON has no NaN (a record made in memory holds NaN; one read back holds null).
   */
  final: Record<string, number | null>;
  /** With early stopping: how the run ended. */
  stopping?: {
    reason: 'epochs' | 'early_stopping';
    epoch: number;
    monitor: string;
    best_epoch: number;
    /** null when no epoch improved (a NaN loss from the start). */
    best_value: number | null;
    restored_best: boolean;
  };
  confusion?: Confusion;
  /** Classification: per-class (multilabel: per-label) precision, recall, F1 and support, on the confusion's rows. */
  classification_report?: ClassificationReport;
  /** The data rows (0-based, in file or generation order) held out for testing. */
  test_rows?: number[];
  /** The data rows (0-based) held out for validation (data.split.validation). */
  validation_rows?: number[];
  /** The run's folder below results/NAME/ (a sweep run, or a run with --set/--seed overrides). */
  run_id?: string;
  /** A sweep run: its position in the grid and its value of each swept key path. */
  sweep?: { index: number; values: Record<string, unknown> };
  /** SHA-256 of config.json's bytes (the resolved configuration). */
  config_sha256: string;
  /** Each file the run read (data.csv.path, model.init.from), its path as written in config.json, and its SHA-256. */
  inputs: { key: string; path: string; sha256: string }[];
}

const count = { type: 'integer', minimum: 0 } as const;
const sha = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const scoresSchema = { precision: { type: 'number' }, recall: { type: 'number' }, f1: { type: 'number' }, support: count } as const;

export const runSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mlplab.dev/schemas/run.schema.json',
  title: 'mlplab run record (run.json)',
  description: 'What `mlplab run` records about a run, beside its loss.csv, model.json and config.json.',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'name', 'file', 'seed', 'status', 'started', 'ended', 'duration_ms', 'node', 'mlplab', 'task', 'kind', 'epochs', 'steps', 'final', 'config_sha256', 'inputs'],
  properties: {
    format: { const: RUN_FORMAT, description: 'The format of this file.' },
    name: { type: 'string', description: 'The run name (and results folder name).' },
    file: { type: 'string', description: 'The experiment file as given on the command line.' },
    seed: { type: 'integer', description: 'The seed every random stream came from.' },
    status: { enum: ['completed', 'diverged', 'interrupted'], description: 'How the run ended: completed (every epoch, or stopped early by training.early_stopping), stopped by a non-finite value, or stopped by a signal.' },
    started: { type: 'string', format: 'date-time', description: 'Start time, ISO 8601.' },
    ended: { type: 'string', format: 'date-time', description: 'End time, ISO 8601.' },
    duration_ms: { ...count, description: 'Wall-clock duration in milliseconds.' },
    node: { type: 'string', description: 'The Node.js version (process.version).' },
    mlplab: { type: 'string', description: 'The mlplab version.' },
    task: { enum: ['classification', 'regression'], description: 'classification (multiclass, binary, multilabel) or regression: the coarse form of kind.' },
    kind: { enum: [...TARGET_KINDS], description: "The data's target kind (as model.json's): multiclass, binary, multilabel or regression." },
    strata: {
      enum: ['class', 'label_combination', 'none'],
      description: 'How the test and validation rows were drawn: stratified by class, by label combination (multilabel, when every combination has 2 or more rows), or unstratified (seeded).',
    },
    epochs: { ...count, description: 'training.epochs: the passes over the training rows planned. An early-stopped run made stopping.epoch of them; a diverged or interrupted run, epochs_done whole ones.' },
    steps: { ...count, description: 'Weight updates made.' },
    epochs_done: { ...count, description: 'Whole epochs finished (diverged or interrupted runs).' },
    divergence: {
      type: 'object',
      additionalProperties: false,
      required: ['epoch', 'step', 'value', 'where', 'cause'],
      description: 'Diverged runs: where the first non-finite value appeared.',
      properties: {
        epoch: { ...count, description: 'The epoch (1-based) in which it appeared.' },
        step: { ...count, description: 'Weight updates applied before it.' },
        value: { enum: ['loss', 'gradient', 'weight'], description: 'Which value went non-finite first.' },
        where: { type: 'string', description: 'Which loss, gradient or parameter.' },
        cause: { type: 'string', description: 'The likely cause, naming the key to change.' },
      },
    },
    signal: { type: 'string', description: 'Interrupted runs: the signal that stopped it.' },
    final: {
      type: 'object',
      additionalProperties: { type: ['number', 'null'] },
      description: "The written model's metrics: the last loss-log row's, or the best epoch's when early stopping restored it. null: not a number (NaN in loss.csv), as R² of a single row.",
    },
    stopping: {
      type: 'object',
      additionalProperties: false,
      required: ['reason', 'epoch', 'monitor', 'best_epoch', 'best_value', 'restored_best'],
      description: 'With training.early_stopping: how the run ended.',
      properties: {
        reason: { enum: ['epochs', 'early_stopping'], description: 'epochs: every epoch ran; early_stopping: the monitored metric stopped improving.' },
        epoch: { ...count, description: 'The last epoch trained (the stop epoch).' },
        monitor: { type: 'string', description: 'The metric watched.' },
        best_epoch: { ...count, description: 'The epoch with the best monitored value (0: none improved).' },
        best_value: { type: ['number', 'null'], description: 'The best monitored value (null: no epoch improved).' },
        restored_best: { type: 'boolean', description: 'Whether the best epoch\'s weights were put back (they are in model.json).' },
      },
    },
    confusion: {
      description: 'Classification: rows are the true class, columns the predicted one (multilabel: one [[tn, fp], [fn, tp]] per label).',
      anyOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['on', 'classes', 'matrix'],
          properties: {
            on: { enum: ['test', 'train'] },
            classes: { type: 'array', items: { type: ['string', 'number'] } },
            matrix: { type: 'array', items: { type: 'array', items: count } },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['on', 'labels', 'matrices'],
          properties: {
            on: { enum: ['test', 'train'] },
            labels: { type: 'array', items: { type: 'string' } },
            matrices: { type: 'array', items: { type: 'array', items: { type: 'array', items: count } } },
          },
        },
      ],
    },
    classification_report: {
      type: 'object',
      additionalProperties: false,
      required: ['per_class', 'macro_avg', 'weighted_avg'],
      description: "Classification: per-class (multilabel: per-label) precision, recall, F1 and support on the confusion's rows, with their macro and support-weighted means (scikit-learn's classification_report, zero_division 0).",
      properties: {
        per_class: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['class', 'precision', 'recall', 'f1', 'support'], properties: { class: { type: ['string', 'number'] }, ...scoresSchema } } },
        macro_avg: { type: 'object', additionalProperties: false, required: ['precision', 'recall', 'f1', 'support'], properties: scoresSchema },
        weighted_avg: { type: 'object', additionalProperties: false, required: ['precision', 'recall', 'f1', 'support'], properties: scoresSchema },
      },
    },
    test_rows: { type: 'array', items: count, description: 'The data rows (0-based) held out for testing.' },
    validation_rows: { type: 'array', items: count, description: 'The data rows (0-based) held out for validation (early stopping, a plateau schedule).' },
    run_id: { type: 'string', description: 'The run folder below results/NAME/ (sweep runs, runs with --set/--seed).' },
    sweep: {
      type: 'object',
      additionalProperties: false,
      required: ['index', 'values'],
      description: 'A sweep run: its position in the grid and its value of each swept key path.',
      properties: { index: count, values: { type: 'object' } },
    },
    config_sha256: { ...sha, description: "SHA-256 of config.json's bytes." },
    inputs: {
      type: 'array',
      description: 'Each file the run read, its path as written in config.json, and its SHA-256.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'path', 'sha256'],
        properties: { key: { type: 'string' }, path: { type: 'string' }, sha256: sha },
      },
    },
  },
} as const;
