// The learning-rate schedule registry: one descriptor per schedule (settings, defaults, torch's definition).
// The JSON Schema, the key checks and the defaults of `training.schedule` are derived from it (config/choices.ts).

import { registry, withDefaults } from '../../descriptor.js';
import { plateau, type PlateauConfig } from './plateau.js';
import type { Schedule, ScheduleDescriptor } from './schedule.js';
import { constant, cosine, exponential, step, type ConstantConfig, type CosineConfig, type ExponentialConfig, type StepConfig } from './simple.js';

export type { Schedule, ScheduleDescriptor, ScheduleState } from './schedule.js';
export type { PlateauConfig } from './plateau.js';
export type { ConstantConfig, CosineConfig, ExponentialConfig, StepConfig } from './simple.js';

export type ScheduleConfig = ConstantConfig | StepConfig | ExponentialConfig | CosineConfig | PlateauConfig;
export type ScheduleName = keyof typeof schedules;

/** The schedules, frozen; the first (constant) is the default type. */
export const schedules = registry([constant, step, exponential, cosine, plateau]);
export const SCHEDULE_NAMES = Object.keys(schedules) as ScheduleName[];

/** The scheduler for cfg from the optimizer's learning rate; left-out settings take the descriptor's defaults. */
export function createSchedule(cfg: ScheduleConfig, learningRate: number): Schedule {
  const d = schedules[cfg.type] as ScheduleDescriptor<ScheduleConfig>;
  return d.create(withDefaults(d, cfg), learningRate);
}

/** The monitored metric a schedule reads, or undefined. */
export const scheduleMonitor = (cfg: ScheduleConfig): string | undefined => (cfg.type === 'plateau' ? (cfg.monitor ?? 'validation_loss') : undefined);
