// The schedules that follow the epoch count only, each in torch's recursive ("chainable") form, so the
// learning rates agree with torch's to the last bit (cosine: to the last bit of Math.cos, which differs from C's cos
// by an ulp at some angles, e.g. 6π/5, so a rate may differ by an ulp or two): constant (no schedule), step (torch.optim.lr_scheduler.
// StepLR), exponential (ExponentialLR), cosine (CosineAnnealingLR). e is the epoch just ended (1, 2, …).

import { gamma, stateValue, type ScheduleDescriptor } from './schedule.js';

export interface ConstantConfig {
  type: 'constant';
}
export interface StepConfig {
  type: 'step';
  step_size: number;
  gamma?: number;
}
export interface ExponentialConfig {
  type: 'exponential';
  gamma?: number;
}
export interface CosineConfig {
  type: 'cosine';
  t_max: number;
  eta_min?: number;
}

export const constant: ScheduleDescriptor<ConstantConfig> = {
  name: 'constant',
  description: 'constant: the optimizer\'s learning_rate throughout (no learning_rate column in the loss log).',
  monitors: false,
  settings: {},
  create: (_cfg, lr) => ({ step: () => lr, saveState: () => ({}), loadState: () => {} }),
};

export const step: ScheduleDescriptor<StepConfig> = {
  name: 'step',
  description: 'step: lr·gamma every step_size epochs (StepLR).',
  monitors: false,
  settings: {
    step_size: { description: 'Epochs between two decays.', type: 'integer', minimum: 1, default: 30, examples: [30] },
    gamma: gamma('Factor the learning rate is multiplied by at each decay.', 0.1),
  },
  create(cfg, lr) {
    let e = 0;
    return {
      step() {
        e++;
        if (e % cfg.step_size! === 0) lr *= cfg.gamma!; // lr ← lr·γ when e is a multiple of step_size
        return lr;
      },
      saveState: () => ({ epoch: e, lr }),
      loadState(state) {
        [e, lr] = [stateValue(state, 'epoch'), stateValue(state, 'lr')];
      },
    };
  },
};

export const exponential: ScheduleDescriptor<ExponentialConfig> = {
  name: 'exponential',
  description: 'exponential: lr·gamma every epoch (ExponentialLR).',
  monitors: false,
  settings: { gamma: gamma('Factor the learning rate is multiplied by at each decay.', 0.99) },
  create(cfg, lr) {
    return {
      step: () => (lr *= cfg.gamma!), // lr ← lr·γ
      saveState: () => ({ lr }),
      loadState: (state) => void (lr = stateValue(state, 'lr')),
    };
  },
};

export const cosine: ScheduleDescriptor<CosineConfig> = {
  name: 'cosine',
  description: 'cosine: half a cosine from the learning rate down to eta_min over t_max epochs, then back up (CosineAnnealingLR).',
  monitors: false,
  settings: {
    t_max: { description: 'Epochs of one half-period (torch\'s T_max); usually training.epochs.', type: 'integer', minimum: 1, default: 100, examples: [100] },
    eta_min: { description: 'The smallest learning rate.', type: 'number', minimum: 0, default: 0, examples: [0.0001] },
  },
  create(cfg, base) {
    const T = cfg.t_max;
    const min = cfg.eta_min ?? 0;
    let lr = base;
    let e = 0;
    return {
      step() {
        e++;
        if ((e - 1 - T) % (2 * T) === 0) {
          lr = lr + ((base - min) * (1 - Math.cos(Math.PI / T))) / 2; // the restart after a minimum
        } else {
          // lr ← (1 + cos(π·e/T)) / (1 + cos(π·(e − 1)/T)) · (lr − η_min) + η_min
          lr = ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - min) + min;
        }
        return lr;
      },
      saveState: () => ({ epoch: e, lr }),
      loadState(state) {
        [e, lr] = [stateValue(state, 'epoch'), stateValue(state, 'lr')];
      },
    };
  },
};
