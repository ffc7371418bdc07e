// Checks that JSON Schema can't express, one small named function each, reporting in the same located form
// as the schema errors. `raw` is the file as written (before defaults), `cfg` the config after defaults.
// Checks that need the data itself (row widths, targets, column names, class counts) are made by data/load.ts,
// and init.from (the model file, its layers and input width) by runner/prepare.ts.

import { losses } from '../model/losses.js';
import { MONITORS } from '../training/monitor.js';
import { UserError, formatPath } from '../errors.js';
import { keysOf, type Choice } from './choices.js';
import { INIT_CHOICE, OPTIMIZER_CHOICE, SCHEDULE_CHOICE } from './schema.js';
import type { KeyPath, YamlSource } from './source.js';
import type { ExperimentConfig } from './types.js';

export interface CheckContext {
  raw: Record<string, any>;
  cfg: ExperimentConfig;
  source: YamlSource;
  /** The folder of the YAML file: relative paths start there. */
  baseDir: string;
  /** The number at this key path as the user wrote it (in the file, or the --set that replaced it), for messages. */
  numberText(path: KeyPath): string | undefined;
}

type Check = (ctx: CheckContext) => UserError[];

const err = (ctx: CheckContext, path: KeyPath, message: string, key = false): UserError =>
  new UserError('check', message, { ...(key ? ctx.source.atKey(path) : ctx.source.at(path)), path: formatPath(path) });

/** cross_entropy needs a softmax output layer, binary_cross_entropy a sigmoid one. */
export const lossMatchesOutputActivation: Check = (ctx) => {
  const { loss, model } = ctx.cfg;
  const required = losses[loss].requires;
  const last = model.layers.length - 1;
  const actual = model.layers[last].activation;
  if (required === null || actual === required) return [];
  return [err(ctx, ['model', 'layers', last, 'activation'], `loss ${loss} needs a ${required} output layer, found ${actual} (the fused ${loss} gradient is computed from the ${required} layer's logits)`)];
};

/** A choice (the optimizer type, the init scheme) takes only its own settings, as its descriptor lists them. */
export function choiceKeys(at: KeyPath, choice: Choice, chosen: string | undefined, what: string): Check {
  return (ctx) => {
    let written: unknown = ctx.raw;
    for (const k of at) written = (written as Record<string, unknown> | undefined)?.[k];
    if (!written || typeof written !== 'object' || chosen === undefined) return [];
    const allowed = keysOf(choice, chosen);
    return Object.keys(written)
      .filter((k) => !allowed.includes(k))
      .map((k) => err(ctx, [...at, k], `"${k}" is not a setting of the ${chosen} ${what}; ${chosen} takes: ${allowed.join(', ')}`, true));
  };
}

export const optimizerKeysMatchType: Check = (ctx) =>
  choiceKeys(['training', 'optimizer'], OPTIMIZER_CHOICE, ctx.cfg.training.optimizer.type, 'optimizer')(ctx);

export const scheduleKeysMatchType: Check = (ctx) =>
  choiceKeys(['training', 'schedule'], SCHEDULE_CHOICE, ctx.cfg.training.schedule.type, 'schedule')(ctx);

/** The test and validation fractions together leave training rows. */
export const splitLeavesTraining: Check = (ctx) => {
  const { test = 0, validation = 0 } = ctx.cfg.data.split ?? {};
  if (validation === 0 || test + validation < 1) return [];
  return [err(ctx, ['data', 'split', 'validation'], `test and validation together must be less than 1 to leave training rows, found ${test} + ${validation}`)];
};

/**
 * Cross-validation chooses the validation rows itself (each run's fold): data.split.validation beside folds is
 * refused; a fold is one of 1..folds, and only with folds.
 */
export const foldsAreTheValidation: Check = (ctx) => {
  const split = ctx.raw.data?.split;
  const { validation = 0, folds, fold } = ctx.cfg.data.split ?? {};
  if (split === null || typeof split !== 'object') return [];
  if (folds === undefined) {
    return 'fold' in split ? [err(ctx, ['data', 'split', 'fold'], `fold chooses one fold of a cross-validation, which needs data.split.folds (the number of folds); found no folds`, true)] : [];
  }
  const out: UserError[] = [];
  if (validation > 0) {
    out.push(err(ctx, ['data', 'split', 'validation'], `validation and folds both choose the validation rows: with folds: ${folds}, each run validates on its own fold; remove validation (or folds)`, true));
  }
  if (fold !== undefined && fold > folds) out.push(err(ctx, ['data', 'split', 'fold'], `expected a fold from 1 to ${folds} (folds: ${folds}), found ${fold}`));
  return out;
};

/** Nesterov momentum needs momentum > 0 (as torch.optim.SGD). */
export const nesterovNeedsMomentum: Check = (ctx) => {
  const o = ctx.cfg.training.optimizer;
  if (o.type !== 'sgd' || !o.nesterov || (o.momentum ?? 0) > 0) return [];
  return [err(ctx, ['training', 'optimizer', 'nesterov'], 'nesterov: true needs momentum > 0, found momentum 0')];
};

/** leaky_relu's slope is only a setting of leaky_relu layers. */
export const slopeOnlyForLeakyRelu: Check = (ctx) =>
  (ctx.raw.model?.layers ?? []).flatMap((l: any, k: number) =>
    l && typeof l === 'object' && 'slope' in l && l.activation !== 'leaky_relu'
      ? [err(ctx, ['model', 'layers', k, 'slope'], `slope is a setting of leaky_relu layers only, found activation ${l.activation}`, true)]
      : [],
  );

/** Dropout is for hidden layers: dropping the network's outputs would corrupt what the loss sees. */
export const noDropoutOnOutput: Check = (ctx) => {
  const layers = ctx.raw.model?.layers;
  const last = Array.isArray(layers) ? layers.length - 1 : -1;
  const p = last >= 0 ? ctx.cfg.model.layers[last]?.dropout ?? 0 : 0;
  if (p === 0) return [];
  return [err(ctx, ['model', 'layers', last, 'dropout'], `dropout is for hidden layers only; the output layer (layer ${last + 1}) has dropout ${p}: remove it, or put it on a hidden layer`)];
};

/** init is either `from` a model file or a scheme with its own options; uniform needs low < high. */
export const initKeysMatchScheme: Check = (ctx) => {
  const init = ctx.raw.model?.init;
  if (!init || typeof init !== 'object') return [];
  if ('from' in init) {
    return Object.keys(init)
      .filter((key) => key !== 'from')
      .map((key) => err(ctx, ['model', 'init', key], `"${key}" cannot be combined with "from": the weights come from the model file`, true));
  }
  const out = choiceKeys(['model', 'init'], INIT_CHOICE, ctx.cfg.model.init.scheme, 'init scheme')(ctx);
  const { scheme, low = 0, high = 1 } = ctx.cfg.model.init;
  if (scheme === 'uniform' && !(low < high)) {
    const at = 'low' in init ? 'low' : 'high';
    out.push(err(ctx, ['model', 'init', at], `uniform needs low < high, found low ${low} and high ${high}`));
  }
  return out;
};

/** The metrics a run can log (training/monitor.ts); `expect:` may bound only these (whether one is logged also depends on the data). */
export const METRIC_NAMES = MONITORS;

/** `expect:` names metrics a run logs; test_* and validation_* ones need that split. */
export const expectNamesMetrics: Check = (ctx) => {
  const expect = ctx.raw.expect;
  if (!expect || typeof expect !== 'object') return [];
  const hasTest = (ctx.cfg.data.split?.test ?? 0) > 0;
  const metric = (at: KeyPath, m: string): UserError[] => {
    if (!(METRIC_NAMES as readonly string[]).includes(m)) return [err(ctx, at, `"${m}" is not a metric; expected one of: ${METRIC_NAMES.join(', ')}`, true)];
    if (m.startsWith('test_') && !hasTest) return [err(ctx, at, `${m} needs a test split (data.split.test > 0)`, true)];
    if (m.startsWith('validation_') && !((ctx.cfg.data.split?.validation ?? 0) > 0) && ctx.cfg.data.split?.folds === undefined) {
      return [err(ctx, at, `${m} needs a validation split (data.split.validation > 0, or data.split.folds)`, true)];
    }
    return [];
  };
  // A mapping that expects its runs to diverge bounds no metric: a diverged run's metrics are no result.
  const beside = (mapping: Record<string, unknown>, at: KeyPath): UserError[] =>
    mapping.status === 'diverged'
      ? Object.keys(mapping).filter((m) => m !== 'status').map((m) => err(ctx, [...at, m], `bounds need completed runs: runs expected to diverge (status: diverged) have no final metrics to bound`, true))
      : [];
  const metrics = (mapping: Record<string, unknown>, at: KeyPath) => Object.keys(mapping).filter((m) => m !== 'status').flatMap((m) => metric([...at, m], m));
  // A `key=value` entry's groups are known only from the sweep's runs: runner/check.ts says when none matches.
  const selectors = Object.keys(expect).filter((k) => k.includes('='));
  const top = Object.fromEntries(Object.entries(expect).filter(([k]) => !k.includes('=')));
  return [
    ...metrics(top, ['expect']),
    ...beside(top, ['expect']),
    ...selectors.flatMap((k) => [...metrics(expect[k] ?? {}, ['expect', k]), ...beside(expect[k] ?? {}, ['expect', k])]),
  ];
};

/** The seed is a safe integer: beyond 2^53 a number in the file is no longer the integer written (and Rng refuses it). */
export const seedIsSafeInteger: Check = (ctx) => {
  const seed = ctx.cfg.seed;
  if (Number.isSafeInteger(seed)) return [];
  const found = ctx.numberText(['seed']) ?? String(seed); // NOTE: as written: the value read is rounded
  return [err(ctx, ['seed'], `expected an integer from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (larger ones are not exact as numbers), found ${found}`)];
};

export const CHECKS: readonly Check[] = [
  seedIsSafeInteger,
  lossMatchesOutputActivation,
  optimizerKeysMatchType,
  scheduleKeysMatchType,
  splitLeavesTraining,
  foldsAreTheValidation,
  nesterovNeedsMomentum,
  slopeOnlyForLeakyRelu,
  noDropoutOnOutput,
  initKeysMatchScheme,
  expectNamesMetrics,
  softmaxNeedsTwoUnits,
];

export function runChecks(ctx: CheckContext): UserError[] {
  return CHECKS.flatMap((check) => check(ctx));
}

/** A softmax over one unit always outputs 1 (it learns nothing): a softmax layer needs at least two units. */
export function softmaxNeedsTwoUnits(ctx: CheckContext): UserError[] {
  return ctx.cfg.model.layers.flatMap((l, k) =>
    l.activation === 'softmax' && l.units < 2
      ? [err(ctx, ['model', 'layers', k, 'units'], `a softmax layer needs at least 2 units, found ${l.units}: a softmax over one unit always outputs 1; for two classes use 1 sigmoid unit with binary_cross_entropy, or 2 softmax units`)]
      : [],
  );
}
