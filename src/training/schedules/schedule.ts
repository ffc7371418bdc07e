// What a learning-rate schedule is: a descriptor (name, settings with PyTorch's defaults) and a factory for
// the stateful scheduler. It is stepped once per epoch, after the epoch's updates, as torch's schedulers are;
// each step returns the learning rate the next epoch uses (the runner gives it to the optimizer).

import type { Descriptor } from '../../descriptor.js';

export interface Schedule {
  /** Ends an epoch; `metric` is the monitored metric's value (read by plateau only). Returns the next learning rate. */
  step(metric: number): number;
}

export interface ScheduleDescriptor<C extends { type: string } = { type: string }> extends Descriptor {
  readonly name: C['type'];
  /** Does it read a monitored metric (cfg.monitor)? */
  readonly monitors: boolean;
  create(cfg: C, learningRate: number): Schedule;
}

export const gamma = (description: string, dflt: number) =>
  ({ description, type: 'number', exclusiveMinimum: 0, default: dflt, examples: [dflt] }) as const;
