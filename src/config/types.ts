// The experiment configuration as the rest of mlplab sees it: after the schema has filled in the defaults of
// the chosen optimizer, init scheme and activations only, and load.ts's resolveConfig the name.
// Names come from the registries; the schema is built from the same registries.

import type { DataSpec } from '../data/schema.js';
import type { InitSpec } from '../model/init.js';
import type { LossName, Reduction } from '../model/losses.js';
import type { LayerSpec } from '../model/network.js';
import type { Monitor } from '../training/monitor.js';
import type { OptimizerConfig } from '../training/optimizers/index.js';
import type { ScheduleConfig } from '../training/schedules/index.js';

export interface EarlyStoppingConfig {
  monitor: Monitor;
  patience: number;
  min_delta: number;
  restore_best: boolean;
}

export interface InitConfig extends Partial<InitSpec> {
  /** A model file, relative to the YAML file; when set, scheme and its options are absent. */
  from?: string;
}

export interface ExperimentConfig {
  name: string;
  /** The folder below results/NAME/ (a snapshot of a sweep run or an overridden run). */
  run_id?: string;
  description: string;
  seed: number;
  data: DataSpec;
  model: { layers: LayerSpec[]; init: InitConfig };
  loss: LossName;
  reduction: Reduction;
  training: {
    epochs: number;
    batch_size: number | 'full';
    shuffle: boolean;
    optimizer: OptimizerConfig;
    schedule: ScheduleConfig;
    early_stopping: EarlyStoppingConfig | null;
    /** Checkpoints every `every` epochs (runner/checkpoints.ts); absent: none. */
    checkpoint?: { every: number };
    clip_grad_norm: number | null;
  };
  /** charts: absent, a run alone draws its loss chart and a sweep's run does not (runner/run.ts wantsCharts). */
  log: { every: number; charts?: boolean };
}
