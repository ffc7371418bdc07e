// The optimizer registry: one descriptor per optimizer (its settings, defaults and update rule). The JSON
// Schema, the key checks and the config defaults are derived from it; adding an optimizer is one file here,
// one line in the list below and its config type in the union, plus its tests.

import { registry } from '../../descriptor.js';
import { adam, type AdamConfig } from './adam.js';
import type { Optimizer, OptimizerDescriptor, Param } from './optimizer.js';
import { sgd, type SgdConfig } from './sgd.js';

export type { Optimizer, OptimizerDescriptor, Param } from './optimizer.js';
export type { SgdConfig } from './sgd.js';
export type { AdamConfig } from './adam.js';

export type OptimizerConfig = SgdConfig | AdamConfig;
export type OptimizerName = keyof typeof optimizers;

/** The optimizers, frozen; the first is the default type. */
export const optimizers = registry([sgd, adam]);
export const OPTIMIZER_NAMES = Object.keys(optimizers) as OptimizerName[];

export function createOptimizer(cfg: OptimizerConfig, params: readonly Param[]): Optimizer {
  return (optimizers[cfg.type] as OptimizerDescriptor<OptimizerConfig>).create(cfg, params);
}
