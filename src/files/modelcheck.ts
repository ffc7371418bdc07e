// Checks a parsed model file field by field, each problem a UserError `file: path: sentence`: the JSON Schema
// first (types, names, enums), then what it cannot say: finite numbers, weight and bias shapes against the
// layers, the output activation the loss reads, and features, targets, classes and preprocessing against the
// inputs and the output units. A model it returned, given again, is known (checkedModel) and only its shapes are
// checked anew (recheckModel).

import type { ErrorObject, ValidateFunction } from 'ajv';
import { formatPath, UserError, type KeyPath } from '../errors.js';
import { losses } from '../model/losses.js';
import { MODEL_FORMAT, type ModelFile } from './modelschema.js';
import { validate as compiled } from './modelschema.validator.js';

/** The model schema's validator, compiled ahead of time by `npm run schema` (ajv's standalone code). */
const validateModel = (): ValidateFunction<ModelFile> => compiled as ValidateFunction<ModelFile>;

type Fail = (path: KeyPath, sentence: string) => never;

const failIn =
  (file: string): Fail =>
  (path, sentence) => {
    throw new UserError('model_format', sentence, { file, path: formatPath(path) });
  };

/** A value as JSON, shortened to about 60 characters. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** An ajv error as "expected …, found …". */
function schemaSentence(e: ErrorObject, value: unknown): string {
  const found = `found ${shown(value)}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing key "${String(p.missingProperty)}", which every ${MODEL_FORMAT} file has`;
    case 'additionalProperties':
      return `unknown key "${String(p.additionalProperty)}" in a ${MODEL_FORMAT} file`;
    case 'type':
      return `expected ${String(p.type).split(',').map(article).join(' or ')}, ${found}`;
    case 'enum':
      return `expected one of: ${(p.allowedValues as unknown[]).join(', ')}; ${found}`;
    case 'minimum':
      return `expected a number >= ${String(p.limit)}, ${found}`;
    case 'minItems':
      return `expected at least ${String(p.limit)} item(s), found none`;
    default:
      return `${e.message ?? 'invalid'}, ${found}`;
  }
}

function checkSchema(value: unknown, fail: Fail): asserts value is ModelFile {
  const validate = validateModel();
  if (validate(value)) return;
  const e = validate.errors![0];
  const path: KeyPath = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const at = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], value);
  fail(path, schemaSentence(e, at));
}

/** Every number in the file is finite (JSON.parse reads 1e400 as Infinity). */
function checkFinite(value: unknown, path: (string | number)[], fail: Fail): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    fail(path, `expected a finite number, found ${value} (a number beyond the range of a 64-bit float, such as 1e400)`);
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkFinite(v, [...path, i], fail));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkFinite(v, [...path, k], fail);
}

/** Each layer's weights are (its inputs × units) and its bias has `units` entries; slope only with leaky_relu. */
function checkLayers(m: ModelFile, fail: Fail): void {
  let nIn = m.inputs;
  m.layers.forEach((l, k) => {
    const at = ['layers', k];
    if (l.weights.length !== nIn) {
      const from = k === 0 ? 'the model has' : `layer ${k} has`;
      fail([...at, 'weights'], `expected ${nIn} weight rows, one per input (${from} ${nIn} ${k === 0 ? 'inputs' : 'units'}), found ${l.weights.length}`);
    }
    l.weights.forEach((row, i) => {
      if (row.length !== l.units) fail([...at, 'weights', i], `expected ${l.units} weights, one per unit of the layer, found ${row.length}`);
    });
    if (l.bias.length !== l.units) fail([...at, 'bias'], `expected ${l.units} biases, one per unit of the layer, found ${l.bias.length}`);
    if (l.slope !== undefined && l.activation !== 'leaky_relu') fail([...at, 'slope'], `expected no slope for ${l.activation}; slope applies to leaky_relu only`);
    nIn = l.units;
  });
  // The loss reads the output layer's logits as its activation's (softmax, sigmoid): predict's probabilities and
  // evaluate's loss would otherwise disagree (a linear output's raw values shown as probabilities).
  const last = m.layers.length - 1;
  const required = losses[m.loss].requires;
  if (required !== null && m.layers[last].activation !== required) {
    fail(['layers', last, 'activation'], `expected ${required} on the output layer of a model with loss ${m.loss} (its outputs are read as ${required}'s probabilities), found ${m.layers[last].activation}`);
  }
}

/** Names and preprocessing: one per input; targets one per output unit; classes as many as the outputs encode. */
function checkColumns(m: ModelFile, fail: Fail): void {
  const outputs = m.layers[m.layers.length - 1].units;
  if (m.features !== undefined && m.features.length !== m.inputs) {
    fail(['features'], `expected ${m.inputs} feature names, one per input (inputs: ${m.inputs}), found ${m.features.length}`);
  }
  if (m.targets !== undefined && m.targets.length !== outputs) {
    fail(['targets'], `expected ${outputs} target names, one per output unit of the last layer, found ${m.targets.length}`);
  }
  const kindRule = kindProblem(m, outputs);
  if (kindRule !== undefined) fail(['kind'], kindRule);
  if (m.classes !== undefined) {
    const needed = outputs === 1 ? 2 : outputs;
    const rule = outputs === 1 ? 'one output unit encodes two classes' : 'one class per output unit';
    if (m.classes.length !== needed) fail(['classes'], `expected ${needed} classes (${rule}), found ${m.classes.length}`);
    const seen = new Set(m.classes.map(String));
    if (seen.size !== m.classes.length) fail(['classes'], 'expected distinct class names, found a name twice');
  }
  checkScaling(m.preprocess, 'preprocess', m.inputs, 'input', fail);
  checkScaling(m.target_preprocess, 'target_preprocess', outputs, 'output unit', fail);
}

/** The kind a file written before `kind` existed implies: by its classes and output units (the rule of that time). */
function impliedKind(m: Omit<ModelFile, 'kind'>): ModelFile['kind'] {
  const outputs = m.layers[m.layers.length - 1].units;
  if (m.classes === undefined) return m.loss === 'binary_cross_entropy' && outputs > 1 ? 'multilabel' : 'regression';
  return outputs === 1 ? 'binary' : 'multiclass';
}

/** An old file's label column: the common `name` of one-hot targets `name=class`, or a binary target with text classes. */
function impliedLabelColumn(m: ModelFile): string | undefined {
  const t = Array.isArray(m.targets) ? m.targets : [];
  const names = new Set(t.map((x) => (typeof x === 'string' && x.includes('=') ? x.slice(0, x.indexOf('=')) : undefined)));
  if (t.length > 1 && names.size === 1 && !names.has(undefined)) return [...names][0];
  if (t.length === 1 && Array.isArray(m.classes) && m.classes.some((c) => typeof c === 'string')) return t[0];
  return undefined;
}

/**
 * A file without `kind` (written before it existed), schema-checked, with the kind and label column its fields
 * imply. NOTE: kind goes after layers, as toModelFile writes it, so an old file read and written again has the
 * new key order.
 */
function withKind(m: ModelFile): ModelFile {
  if (m.kind !== undefined) return m;
  const { features, targets, classes, label_column, threshold, preprocess, target_preprocess, ...head } = m;
  const rest = { features, targets, classes, label_column, threshold, preprocess, target_preprocess };
  const kind = impliedKind(m);
  if (kind !== 'regression' && kind !== 'multilabel') rest.label_column = impliedLabelColumn(m);
  return Object.assign(head, { kind }, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
}

/** What the kind needs of the loss, the output units and the classes; undefined when it holds. */
function kindProblem(m: ModelFile, outputs: number): string | undefined {
  const has = m.classes !== undefined;
  switch (m.kind) {
    case 'multilabel':
      if (m.loss !== 'binary_cross_entropy' || outputs < 2) return `expected a multilabel model to have binary_cross_entropy and 2 or more output units, found ${m.loss} and ${outputs}`;
      return has ? 'expected no classes for a multilabel model (its labels are its targets), found classes' : undefined;
    case 'regression':
      return has ? 'expected no classes for a regression model, found classes' : undefined;
    case 'binary':
      return outputs !== 1 || !has ? `expected a binary model to have one output unit and two classes, found ${outputs} unit(s)${has ? '' : ' and no classes'}` : undefined;
    case 'multiclass':
      return outputs < 2 || !has ? `expected a multiclass model to have an output unit per class and its classes, found ${outputs} unit(s)${has ? '' : ' and no classes'}` : undefined;
  }
}

/** One offset and one non-zero scale per input (preprocess) or per output unit (target_preprocess). */
function checkScaling(s: ModelFile['preprocess'], key: string, n: number, each: string, fail: Fail): void {
  if (s === undefined) return;
  for (const part of ['offset', 'scale'] as const) {
    if (s[part].length !== n) fail([key, part], `expected ${n} ${part}s, one per ${each} (${n}), found ${s[part].length}`);
  }
  const zero = s.scale.indexOf(0);
  if (zero >= 0) fail([key, 'scale', zero], 'expected a non-zero scale (values are divided by it), found 0');
}

/**
 * The models checkModelFile returned (loadModel's, a library argument checked once): their values not checked again,
 * their shapes only (recheckModel). NOTE: an object without kind is not one of them: it is given its kind in a copy,
 * and answering from that copy later would miss a key of the object replaced since; it is checked whole each time.
 */
const checked = new WeakSet<object>();

/** The model itself, if checkModelFile returned it before (whole, with its kind). */
export const checkedModel = (value: unknown): ModelFile | undefined => (typeof value === 'object' && value !== null && checked.has(value) ? (value as ModelFile) : undefined);

/**
 * A model checkModelFile returned, checked again for what a change in memory breaks at little cost: the layers' and
 * names' shapes (its rows and names counted, not every value again). Anything odder (a key of another type) gets the
 * whole check.
 */
export function recheckModel(m: ModelFile, file: string): ModelFile {
  const fail = failIn(file);
  try {
    checkLayers(m, fail);
    checkColumns(m, fail);
  } catch (e) {
    if (e instanceof UserError) throw e;
    return checkModelFile(m, file);
  }
  return m;
}

/** Checks a parsed model file; the first problem is a UserError naming the file and the key path. */
export function checkModelFile(value: unknown, file: string): ModelFile {
  const fail = failIn(file);
  const format = (value as { format?: unknown } | null)?.format;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail([], `expected a JSON object (a ${MODEL_FORMAT} file), found ${shown(value)}`);
  if (format !== MODEL_FORMAT) fail(['format'], `expected a model file of format "${MODEL_FORMAT}", found format ${shown(format ?? null)}`);
  checkSchema(value, fail); // kind is optional there: files written before it have none
  const m = withKind(value);
  checkFinite(m, [], fail);
  checkLayers(m, fail);
  checkColumns(m, fail);
  checked.add(m);
  return m;
}
