// ReduceLROnPlateau (torch.optim.lr_scheduler.ReduceLROnPlateau, threshold_mode 'rel', its eps 1e-8): when the
// monitored metric has not improved by a relative `threshold` for more than `patience` epochs, the learning
// rate is multiplied by `factor` (not below min_lr), then `cooldown` epochs pass before counting again.

import { maximised } from '../../metrics.js';
import { monitorSetting, type Monitor } from '../monitor.js';
import { stateValue, type ScheduleDescriptor } from './schedule.js';

export interface PlateauConfig {
  type: 'plateau';
  monitor?: Monitor;
  factor?: number;
  patience?: number;
  threshold?: number;
  cooldown?: number;
  min_lr?: number;
}

/** torch's eps: a reduction smaller than this is not made. */
const EPS = 1e-8;

export const plateau: ScheduleDescriptor<PlateauConfig> = {
  name: 'plateau',
  description: 'plateau: lr·factor when the monitored metric stops improving (ReduceLROnPlateau, relative threshold).',
  monitors: true,
  settings: {
    monitor: monitorSetting('The metric watched for a plateau.'),
    factor: { description: 'Factor the learning rate is multiplied by at a plateau.', type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.1, examples: [0.5] },
    patience: { description: 'Epochs without improvement tolerated before a reduction.', type: 'integer', minimum: 0, default: 10, examples: [5] },
    threshold: { description: 'Relative improvement that counts: better than best·(1 − threshold) (min) or best·(1 + threshold) (max).', type: 'number', minimum: 0, default: 1e-4, examples: [0.001] },
    cooldown: { description: 'Epochs after a reduction before bad epochs are counted again.', type: 'integer', minimum: 0, default: 0, examples: [2] },
    min_lr: { description: 'The learning rate never goes below this.', type: 'number', minimum: 0, default: 0, examples: [0.00001] },
  },
  create(cfg, lr) {
    const max = maximised(cfg.monitor ?? 'validation_loss');
    const [factor, patience, threshold, cooldown, minLr] = [cfg.factor ?? 0.1, cfg.patience ?? 10, cfg.threshold ?? 1e-4, cfg.cooldown ?? 0, cfg.min_lr ?? 0];
    let best = max ? -Infinity : Infinity;
    let bad = 0;
    let cooling = 0;
    const better = (a: number) => (max ? a > best * (threshold + 1) : a < best * (1 - threshold));
    return {
      step(metric) {
        if (better(metric)) {
          best = metric;
          bad = 0;
        } else {
          bad++;
        }
        if (cooling > 0) {
          cooling--;
          bad = 0; // ignore bad epochs in cooldown
        }
        if (bad > patience) {
          const next = Math.max(lr * factor, minLr);
          if (lr - next > EPS) lr = next;
          cooling = cooldown;
          bad = 0;
        }
        return lr;
      },
      saveState: () => ({ best, bad, cooling, lr }),
      loadState(state) {
        [best, bad, cooling, lr] = ['best', 'bad', 'cooling', 'lr'].map((k) => stateValue(state, k));
      },
    };
  },
};
