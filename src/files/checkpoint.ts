// Checkpoint files (mlplab.checkpoint/v1, schema in checkpointschema.ts): where a run stood at the end of an epoch,
// the training loop's state (training/train.ts TrainState), the schedule's and early stopping's, the weights and
// the loss log's length, written atomically and read back bit for bit. Float arrays are stored as base64 of their
// little-endian bytes and scalars JSON cannot hold (-0, ±Infinity, NaN) as strings, so nothing is rounded.
// Reading refuses a truncated or foreign file, and a checkpoint of another configuration or other inputs, of an
// epoch the run writes none at, or of a state the run cannot take, with a sentence naming the file. It leaves out
// when to write one and how a run resumes (the runner's).

import type { ValidateFunction } from 'ajv';
import { systemReason, UserError } from '../errors.js';
import type { RngState } from '../random.js';
import type { EarlyStoppingState } from '../training/early-stopping.js';
import type { ScheduleState } from '../training/schedules/index.js';
import type { TrainState } from '../training/train.js';
import { CHECKPOINT_FORMAT } from './checkpointschema.js';
import { validate as compiledValidator } from './checkpointschema.validator.js';
import { shown } from './modelcheck.js';
import { readBounded, READ_LIMITS } from './safefs.js';

export { CHECKPOINT_FORMAT } from './checkpointschema.js';

export interface Checkpoint {
  /** SHA-256 of the run's config.json and of its data inputs: a resume with either changed is refused. */
  configSha256: string;
  dataSha256: string;
  /** Each layer's weights, then its bias. */
  weights: Float64Array[];
  train: TrainState;
  schedule: ScheduleState;
  earlyStopping?: EarlyStoppingState & { bestWeights?: Float64Array[] };
  /** loss.csv's length in bytes at this epoch. */
  logBytes: number;
  /** SHA-256 of those bytes: a resume refuses a log changed since (absent in checkpoints written before it was). */
  logSha256?: string;
}

type Scalar = number | '-0' | 'Infinity' | '-Infinity' | 'NaN';

const toScalar = (v: number): Scalar => (Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : (String(v) as Scalar));
const fromScalar = (v: Scalar): number => (typeof v === 'number' ? v : v === '-0' ? -0 : Number(v));
const f64Text = (a: Float64Array): string => Buffer.from(Float64Array.from(a).buffer).toString('base64'); // x86 and ARM: little-endian
const rngJson = (s: RngState) => ({ words: s.words, spare_normal: s.spareNormal === null ? null : toScalar(s.spareNormal) });
const rngState = (j: { words: number[]; spare_normal: Scalar | null }): RngState => ({ words: j.words, spareNormal: j.spare_normal === null ? null : fromScalar(j.spare_normal) });
const scalars = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toScalar(v)]));

/** The checkpoint as the file's text (the runner writes it with outputs.ts writeFileAtomically). */
export function checkpointText(cp: Checkpoint): string {
  const { train: t, earlyStopping: es } = cp;
  const json = {
    format: CHECKPOINT_FORMAT,
    config_sha256: cp.configSha256,
    data_sha256: cp.dataSha256,
    epoch: t.epoch,
    steps: t.steps,
    weights: cp.weights.map(f64Text),
    order: Buffer.from(Int32Array.from(t.order).buffer).toString('base64'),
    optimizer: { learning_rate: toScalar(t.optimizer.learningRate), steps: t.optimizer.steps, buffers: t.optimizer.buffers.map((list) => list.map(f64Text)) },
    shuffle: rngJson(t.shuffle),
    ...(t.dropout ? { dropout: rngJson(t.dropout) } : {}),
    schedule: scalars(cp.schedule),
    ...(es ? { early_stopping: { best: toScalar(es.best), best_epoch: es.bestEpoch, wait: es.wait, ...(es.bestWeights ? { best_weights: es.bestWeights.map(f64Text) } : {}) } } : {}),
    log_bytes: cp.logBytes,
    ...(cp.logSha256 !== undefined ? { log_sha256: cp.logSha256 } : {}),
  };
  return JSON.stringify(json) + '\n';
}

type Json = ReturnType<typeof JSON.parse>;

/** The checkpoint schema's validator, compiled ahead of time by `npm run schema` (ajv's standalone code). */
const compiled = compiledValidator as ValidateFunction<Json>;

/** A checkpoint from its file's text; every problem is a UserError naming the file (and the key). */
export function parseCheckpoint(text: string, file: string): Checkpoint {
  let j: Json;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new UserError('model_format', `not a complete checkpoint: the file is not valid JSON (${(e as Error).message}); it may have been cut short`, { file });
  }
  const foreign = j === null || typeof j !== 'object' || Array.isArray(j) ? shown(j) : j.format !== CHECKPOINT_FORMAT ? `a file of format ${shown(j.format)}` : undefined;
  if (foreign !== undefined) throw new UserError('model_format', `not an mlplab checkpoint: expected format "${CHECKPOINT_FORMAT}", found ${foreign}`, { file });
  if (!compiled(j)) {
    const e = compiled.errors![0];
    throw new UserError('model_format', `not a valid ${CHECKPOINT_FORMAT} file: ${e.instancePath || 'the top level'} ${e.message ?? 'is invalid'}`, { file, path: e.instancePath.split('/').slice(1).join('.') });
  }
  const f64 = (s: string, at: string): Float64Array => {
    const bytes = Buffer.from(s, 'base64');
    if (bytes.length % 8 !== 0 || bytes.toString('base64') !== s) throw new UserError('model_format', `not a valid ${CHECKPOINT_FORMAT} file: ${at} is not whole float64 values in base64`, { file, path: at });
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  };
  const weights = (list: string[], at: string) => list.map((s, i) => f64(s, `${at}.${i}`));
  const orderBytes = Buffer.from(j.order, 'base64');
  if (orderBytes.length % 4 !== 0) throw new UserError('model_format', `not a valid ${CHECKPOINT_FORMAT} file: order is not whole int32 values in base64`, { file, path: 'order' });
  const train: TrainState = {
    epoch: j.epoch,
    steps: j.steps,
    order: new Int32Array(orderBytes.buffer.slice(orderBytes.byteOffset, orderBytes.byteOffset + orderBytes.length)),
    optimizer: { learningRate: fromScalar(j.optimizer.learning_rate), steps: j.optimizer.steps, buffers: j.optimizer.buffers.map((list: string[], i: number) => weights(list, `optimizer.buffers.${i}`)) },
    shuffle: rngState(j.shuffle),
  };
  if (j.dropout) train.dropout = rngState(j.dropout);
  const cp: Checkpoint = {
    configSha256: j.config_sha256,
    dataSha256: j.data_sha256,
    weights: weights(j.weights, 'weights'),
    train,
    schedule: Object.fromEntries(Object.entries(j.schedule as Record<string, Scalar>).map(([k, v]) => [k, fromScalar(v)])),
    logBytes: j.log_bytes,
    ...(j.log_sha256 !== undefined ? { logSha256: j.log_sha256 } : {}),
  };
  const es = j.early_stopping;
  if (es) cp.earlyStopping = { best: fromScalar(es.best), bestEpoch: es.best_epoch, wait: es.wait, ...(es.best_weights ? { bestWeights: weights(es.best_weights, 'early_stopping.best_weights') } : {}) };
  return cp;
}

/** Reads a checkpoint file (parseCheckpoint); a missing file is an 'io' UserError. */
export function readCheckpoint(file: string): Checkpoint {
  let text: string;
  try {
    text = readBounded(file, READ_LIMITS.model, 'a checkpoint file');
  } catch (e) {
    if (e instanceof UserError) throw e; // not a regular file, too large: said as such
    const err = e as NodeJS.ErrnoException;
    throw new UserError(err.code === 'ENOENT' ? 'io' : 'model_format', `cannot read the checkpoint: ${err.code === 'ENOENT' ? 'no such file' : systemReason(err)}`, { file });
  }
  return parseCheckpoint(text, file);
}

/**
 * Refuses, with a sentence at the key, a checkpoint whose arrays do not fit the run resuming from it: `sizes`, the
 * length of each layer's weights then its bias (the weights, early stopping's best weights, each optimizer buffer
 * list), and `rows`, the training rows (the row order). Only a damaged file fails this once its configuration and
 * data fit; read as they are, its values would overwrite part of the network and leave the rest as initialised.
 * The number of optimizer buffer lists is the training loop's to check (optimizer.ts loadState).
 */
export function checkCheckpointShapes(cp: Checkpoint, sizes: readonly number[], rows: number, file: string): void {
  const refuse = (path: string, found: string, expected: string) =>
    new UserError('model_format', `not a checkpoint of this run's network and data: it holds ${found}, expected ${expected}`, { file, path });
  const arrays = (list: readonly Float64Array[], at: string) => {
    if (list.length !== sizes.length) throw refuse(at, `${list.length} arrays`, `${sizes.length} (each layer's weights, then its bias)`);
    list.forEach((a, i) => {
      if (a.length !== sizes[i]) throw refuse(`${at}.${i}`, `${a.length} values`, `${sizes[i]} (layer ${(i >> 1) + 1}'s ${i % 2 === 0 ? 'weights' : 'bias'})`);
    });
  };
  arrays(cp.weights, 'weights');
  if (cp.train.order.length !== rows) throw refuse('order', `a row order of ${cp.train.order.length} rows`, `${rows} (the training rows)`);
  const seen = new Uint8Array(rows);
  for (const r of cp.train.order) {
    if (!(r >= 0 && r < rows) || seen[r]++ > 0) throw refuse('order', `row ${r}${r >= 0 && r < rows ? ' twice' : ''}`, `each of the ${rows} training rows once`);
  }
  // An optimizer's list of a state it does not keep holds empty arrays (optimizer.ts updater).
  cp.train.optimizer.buffers.forEach((list, k) => void (list.every((a) => a.length === 0) || arrays(list, `optimizer.buffers.${k}`)));
  if (cp.earlyStopping?.bestWeights) arrays(cp.earlyStopping.bestWeights, 'early_stopping.best_weights');
}

/** Refuses a checkpoint of an epoch the run writes none at (a damaged file): only after epochs 1 to epochs − 1. */
export function checkCheckpointEpoch(cp: Checkpoint, epochs: number, file: string): void {
  const e = cp.train.epoch;
  if (e >= 1 && e < epochs) return;
  throw new UserError('model_format', `not a checkpoint of this run: it is of epoch ${e}, but the run trains ${epochs} epochs (a checkpoint is written after epochs 1 to ${epochs - 1}, never after the last)`, { file, path: 'epoch' });
}

/**
 * A resume state the training loop, the schedule or the optimizer refuses (their RangeError "loadState: …" or
 * "resume: …": a damaged file whose arrays fit), as a UserError naming the checkpoint; anything else as it is.
 */
export function refusedCheckpointState(e: unknown, file: string): unknown {
  if (!(e instanceof RangeError) || !/^(loadState|resume): /.test(e.message)) return e;
  return new UserError('model_format', `not a checkpoint this run can continue: ${e.message.replace(/^\w+: /, '')}`, { file });
}

/** What a run's inputs are called in a refusal, by their keys (run.json's inputs): the data file, an init.from model. */
const INPUT_NAMES: Record<string, string> = { 'data.csv.path': 'data file', 'model.init.from': 'init.from model' };
const inputsNamed = (keys: readonly string[]): string => (keys.length === 0 ? 'data' : keys.map((k) => INPUT_NAMES[k] ?? k).join(' or the '));

/**
 * Refuses, with a sentence, a checkpoint of another configuration or of other inputs than the run resuming from it
 * (`inputKeys`: the run's inputs, as run.json lists them, to name what changed; the data by default).
 */
export function checkCheckpointFits(cp: Checkpoint, run: { configSha256: string; dataSha256: string; inputKeys?: readonly string[] }, file: string): void {
  if (cp.configSha256 !== run.configSha256) {
    throw new UserError('check', `cannot resume from this checkpoint: the configuration changed since it was written (config.json's SHA-256 was ${cp.configSha256.slice(0, 12)}…, is ${run.configSha256.slice(0, 12)}…); run without --resume to start again`, { file });
  }
  if (cp.dataSha256 !== run.dataSha256) {
    const keys = run.inputKeys ?? ['data.csv.path'];
    const digest = keys.length > 1 ? 'their SHA-256 together' : 'its SHA-256';
    throw new UserError('check', `cannot resume from this checkpoint: the ${inputsNamed(keys)} changed since it was written (${digest} was ${cp.dataSha256.slice(0, 12)}…, is ${run.dataSha256.slice(0, 12)}…); run without --resume to start again`, { file });
  }
}
