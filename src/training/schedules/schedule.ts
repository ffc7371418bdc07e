// What a learning-rate schedule is: a descriptor (name, settings with PyTorch's defaults) and a factory for
// the stateful scheduler. It is stepped once per epoch, after the epoch's updates, as torch's schedulers are;
// each step returns the learning rate the next epoch uses (the runner gives it to the optimizer).

import type { Descriptor } from '../../descriptor.js';

export interface Schedule {
  /** Ends an epoch; `metric` is the monitored metric's value (read by plateau only). Returns the next learning rate. */
  step(metric: number): number;
  /** What the next steps read (the epoch count, the rate, plateau's best and counters), by name: for a checkpoint. */
  saveState(): ScheduleState;
  /** Puts back a state saveState gave, of a schedule of the same type and settings. */
  loadState(state: ScheduleState): void;
}

export type ScheduleState = Record<string, number>;

/** loadState's reading of one named number (a state of another schedule type is refused). */
export function stateValue(state: ScheduleState, key: string): number {
  const v = state[key];
  if (typeof v !== 'number') throw new RangeError(`loadState: the schedule state has no number "${key}": ${JSON.stringify(state)}`);
  return v;
}

export interface ScheduleDescriptor<C extends { type: string } = { type: string }> extends Descriptor {
  readonly name: C['type'];
  /** Does it read a monitored metric (cfg.monitor)? */
  readonly monitors: boolean;
  create(cfg: C, learningRate: number): Schedule;
}

export const gamma = (description: string, dflt: number) =>
  ({ description, type: 'number', exclusiveMinimum: 0, default: dflt, examples: [dflt] }) as const;
