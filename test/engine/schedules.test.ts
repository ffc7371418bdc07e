// Learning-rate schedules against PyTorch's definitions (torch.optim.lr_scheduler), stepped once per epoch.
// The expected rates are written out here in torch's documented closed forms, independently of the recursive
// form the code uses:  StepLR  η_e = η₀·γ^⌊e/step_size⌋;  ExponentialLR  η_e = η₀·γ^e;
// CosineAnnealingLR  η_e = η_min + (η₀ − η_min)·(1 + cos(π·e/T_max))/2  (periodic past T_max);
// ReduceLROnPlateau on hand-built metric sequences, each reduction reasoned out beside it.

import { describe, expect, it } from 'vitest';
import { createSchedule, type ScheduleConfig } from '../../src/training/schedules/index.js';

/** The learning rate after each of `epochs` steps (the rate epoch e + 1 uses), fed `metrics` when given. */
function rates(cfg: ScheduleConfig, base: number, epochs: number, metrics: number[] = []): number[] {
  const s = createSchedule(cfg, base);
  return Array.from({ length: epochs }, (_, e) => s.step(metrics[e] ?? NaN));
}

function expectRates(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((lr, e) => expect(lr, `after epoch ${e + 1}`).toBeCloseTo(expected[e], 12));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('closed forms', () => {
  it('constant: the learning rate throughout', () => {
    expect(rates({ type: 'constant' }, 0.3, 5)).toEqual([0.3, 0.3, 0.3, 0.3, 0.3]);
  });
  it('step (StepLR): η₀·γ^⌊e/step_size⌋', () => {
    expectRates(rates({ type: 'step', step_size: 3, gamma: 0.5 }, 0.1, 12), range(12).map((e) => 0.1 * 0.5 ** Math.floor(e / 3)));
    expectRates(rates({ type: 'step', step_size: 30 }, 1, 95), range(95).map((e) => 0.1 ** Math.floor(e / 30))); // gamma default 0.1
  });
  it('exponential (ExponentialLR): η₀·γ^e', () => {
    expectRates(rates({ type: 'exponential', gamma: 0.9 }, 0.05, 40), range(40).map((e) => 0.05 * 0.9 ** e));
  });
  it('cosine (CosineAnnealingLR): η_min + (η₀ − η_min)(1 + cos(πe/T))/2, reaching η_min at T and rising after', () => {
    const closed = (e: number, T: number, min: number, base: number) => min + ((base - min) * (1 + Math.cos((Math.PI * e) / T))) / 2;
    expectRates(rates({ type: 'cosine', t_max: 10, eta_min: 0.001 }, 0.1, 35), range(35).map((e) => closed(e, 10, 0.001, 0.1)));
    expectRates(rates({ type: 'cosine', t_max: 7 }, 0.5, 7), range(7).map((e) => closed(e, 7, 0, 0.5)));
    expect(rates({ type: 'cosine', t_max: 4, eta_min: 0.01 }, 0.1, 4)[3]).toBeCloseTo(0.01, 15);
  });
  it('values by hand: step_size 2, γ 0.1 from 1 → 1, 0.1, 0.1, 0.01; cosine T 2 from 1 → 0.5, 0, 0.5, 1', () => {
    expectRates(rates({ type: 'step', step_size: 2, gamma: 0.1 }, 1, 4), [1, 0.1, 0.1, 0.01]);
    expectRates(rates({ type: 'cosine', t_max: 2, eta_min: 0 }, 1, 4), [0.5, 0, 0.5, 1]);
  });
});

describe('plateau (ReduceLROnPlateau, relative threshold)', () => {
  it('reduces after more than `patience` bad epochs, waits out the cooldown, stops at min_lr (min mode)', () => {
    const cfg: ScheduleConfig = { type: 'plateau', monitor: 'validation_loss', factor: 0.5, patience: 2, threshold: 0.1, cooldown: 1, min_lr: 0.02 };
    const losses = [1.0, 0.95, 0.95, 0.95, 0.5, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.49];
    // e1 best 1; e2–e4: 0.95 is not below 1·(1 − 0.1) = 0.9, so bad 1, 2, 3 > 2 → 0.05, cooldown 1.
    // e5: 0.5 < 0.9 → best 0.5 (cooldown ends); e6–e8: 0.49 is not below 0.45 → bad 1, 2, 3 → 0.025, cooldown 1.
    // e9: cooldown resets the count; e10–e12: bad 1, 2, 3 → max(0.0125, 0.02) = 0.02; e13 cooldown; e14–e16: bad 3
    // → max(0.01, 0.02) = 0.02 is no reduction.
    const expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02];
    expectRates(rates(cfg, 0.1, losses.length, losses), expected);
  });
  it('maximises accuracy and R²: an increase within the relative threshold is no improvement', () => {
    const cfg: ScheduleConfig = { type: 'plateau', monitor: 'validation_accuracy', factor: 0.1, patience: 1, threshold: 0.1, cooldown: 0, min_lr: 0 };
    // e1 best 0.5; e2 0.54 is not above 0.5·1.1 = 0.55: bad 1; e3 0.56 > 0.55: best; e4, e5 0.6 is not above
    // 0.616: bad 1, 2 > 1 → 0.1 × 0.1; e6 bad 1; e7 bad 2 → 0.001.
    const acc = [0.5, 0.54, 0.56, 0.6, 0.6, 0.6, 0.6];
    expectRates(rates(cfg, 0.1, acc.length, acc), [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001]);
  });
  it('torch defaults: factor 0.1 after 11 epochs without improvement', () => {
    const flat = Array(12).fill(1);
    expectRates(rates({ type: 'plateau' }, 1, 12, flat), [...Array(11).fill(1), 0.1]);
  });
});
