// gradcheck at the experiment level: the declared network (its data, seed and initial weights) checked on a
// few training rows away from relu kinks, with the step and tolerance the CLI reports; and which configurations a
// file stands for (gradcheckConfigurations: each one its sweep makes of the keys the gradients depend on, not seed,
// fold, sample, training's or log's). The per-parameter comparison itself is training/gradcheck's.

import { formatPath, UserError } from '../errors.js';
import { parseOverride, type LoadedExperiment, type LoadOptions } from '../config/load.js';
import { loadPlan } from '../config/plan.js';
import { gradcheck, rowsAwayFromKinks, type LayerCheck } from '../training/gradcheck.js';
import { takeRows } from '../matrix.js';
import { Evaluator } from '../model/evaluator.js';
import { checkExperimentArgument } from './arguments.js';
import { prepare, type Prepared } from './prepare.js';
import { givenBack } from '../kernels/index.js';

export const GRADCHECK = { samples: 4, h: 1e-5, tolerance: 1e-6 } as const;

export interface ExperimentGradcheck {
  /** Training rows the check used, and how many were skipped for sitting at a relu kink. */
  rows: number;
  skipped: number;
  layers: LayerCheck[];
  pass: boolean;
}

/** Checks every parameter's gradient of the experiment's initial network against finite differences. */
export function gradcheckExperiment(exp: LoadedExperiment, prepared?: Prepared): ExperimentGradcheck {
  // NOTE: what it makes in the kernels' memory goes back when it returns (a caller's prepared network is not its own).
  return givenBack(() => gradcheckPrepared(exp, prepared ?? (checkExperimentArgument('gradcheckExperiment', exp), prepare(exp))));
}

function gradcheckPrepared(exp: LoadedExperiment, prepared: Prepared): ExperimentGradcheck {
  const { data, network: net } = prepared;
  const cfg = exp.config;
  const smoothRows = rowsAwayFromKinks(net, data.train.x, undefined, GRADCHECK.h);
  if (smoothRows.length === 0) {
    throw new UserError('check', `every training row puts a relu or leaky_relu pre-activation at its kink (0) or within a step of the check of it (a difference across a kink matches neither side): nothing to check`, { file: exp.source.file });
  }
  const rows = smoothRows.slice(0, GRADCHECK.samples);
  const [x, y] = [takeRows(data.train.x, rows), takeRows(data.train.y, rows)];
  // A loss that is not finite has no finite difference: every comparison would fail, blaming a correct backward pass.
  const loss = new Evaluator(net).run(x, y, cfg.loss);
  if (!Number.isFinite(loss)) {
    throw new UserError('check', `the ${cfg.loss} loss of the initial weights on the checked training rows is not finite (${loss}), so no derivative can be compared with a finite difference: the targets or inputs are likely too large for float64 arithmetic (scale them with data.preprocess)`, { file: exp.source.file });
  }
  const layers = gradcheck(net, x, y, cfg.loss, cfg.reduction, GRADCHECK);
  return { rows: rows.length, skipped: data.train.x.rows - smoothRows.length, layers, pass: layers.every((l) => l.pass) };
}

/** A configuration gradcheck checks: the experiment, and the swept values that make it (none: the file's own). */
export interface GradcheckConfiguration {
  label: string;
  exp: LoadedExperiment;
}

/**
 * The configurations `mlplab gradcheck FILE` checks: the file's run `base` (with its --set and --seed), or, when the
 * file sweeps keys the gradients depend on (the model, the loss, the reduction, the data), each configuration its
 * sweep makes of them, once, at the file's seed (or --seed) and its first fold. Seeds and folds only redraw the same
 * network's weights and rows, and training's and logging's keys (a learning rate, a batch size) leave the initial
 * network and its loss as they are: the file's own run stands for them.
 */
export function gradcheckConfigurations(file: string, options: LoadOptions, base: LoadedExperiment): GradcheckConfiguration[] {
  // The seed as --seed: a --set seed=N (base's seed already) given with it was refused as setting seed twice.
  const set = (options.set ?? []).filter((text) => formatPath(parseOverride(text).path) !== 'seed');
  const plan = loadPlan(file, { ...options, set, seed: options.seed ?? base.config.seed });
  const found = new Map<string, GradcheckConfiguration>();
  for (const run of plan.runs) {
    const varied = Object.entries(run.values).filter(([key]) => bearsOnGradients(key));
    if (varied.length === 0) continue;
    const label = varied.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
    if (!found.has(label)) found.set(label, { label, exp: run.exp });
  }
  return found.size === 0 ? [{ label: '', exp: base }] : [...found.values()];
}

/** Does a swept key change what gradcheck checks (the initial network, the loss, the rows)? Not seed, fold, sample, training's or log's keys. */
const bearsOnGradients = (key: string): boolean => !['seed', 'fold', 'sample'].includes(key) && !/^(training|log)(\.|$)/.test(key);
