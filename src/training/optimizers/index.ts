// The optimizer registry: one descriptor per optimizer (its settings, defaults and update rule). The JSON
// Schema, the key checks and the config defaults are derived from it; adding an optimizer is one file here,
// one line in the list below and its config type in the union, plus its tests.

import { registry, withDefaults } from '../../descriptor.js';
import { defaultKernels, type Kernels } from '../../kernels/index.js';
import { adagrad, type AdagradConfig } from './adagrad.js';
import { adam, type AdamConfig } from './adam.js';
import { adamw, type AdamWConfig } from './adamw.js';
import type { Optimizer, OptimizerDescriptor, Param } from './optimizer.js';
import { rmsprop, type RmspropConfig } from './rmsprop.js';
import { sgd, type SgdConfig } from './sgd.js';

export type { Optimizer, OptimizerDescriptor, OptimizerState, Param } from './optimizer.js';
export type { SgdConfig } from './sgd.js';
export type { AdamConfig } from './adam.js';
export type { AdamWConfig } from './adamw.js';
export type { RmspropConfig } from './rmsprop.js';
export type { AdagradConfig } from './adagrad.js';

export type OptimizerConfig = SgdConfig | AdamConfig | AdamWConfig | RmspropConfig | AdagradConfig;
export type OptimizerName = keyof typeof optimizers;

/** The optimizers, frozen; the first is the default type. */
export const optimizers = registry([sgd, adam, adamw, rmsprop, adagrad]);
export const OPTIMIZER_NAMES = Object.keys(optimizers) as OptimizerName[];

/**
 * The updater for cfg; settings cfg leaves out take the descriptor's defaults (as the schema fills them). Its
 * updates run on `kernels` (the same bits with any kernel set; fastest when params live in their memory).
 */
export function createOptimizer(cfg: OptimizerConfig, params: readonly Param[], kernels: Kernels = defaultKernels()): Optimizer {
  const d = optimizers[cfg.type] as OptimizerDescriptor<OptimizerConfig>;
  return d.create(withDefaults(d, cfg), params, kernels);
}
