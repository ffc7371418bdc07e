// Every optimizer and schedule setting's default is PyTorch's (torch.optim's and torch.optim.lr_scheduler's
// constructors, read by scripts/oracles/torch-defaults.py into test/fixtures/torch-defaults.json), and every setting
// torch's has (of those mlplab takes) is one of the descriptor's. Where torch has no default (SGD's lr, StepLR's
// step_size are required), mlplab's own is listed here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimizers } from '../../src/training/optimizers/index.js';
import { schedules } from '../../src/training/schedules/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch-defaults.json', import.meta.url), 'utf8')) as {
  optimizers: Record<string, Record<string, number | boolean | null>>;
  schedules: Record<string, Record<string, number | boolean | null>>;
};

/** Defaults torch does not have, which mlplab chooses. */
const OWN: Record<string, Record<string, number>> = {
  sgd: { learning_rate: 0.1 },
  step: { step_size: 30 },
  exponential: { gamma: 0.99 },
  cosine: { t_max: 100 },
};

const registries = { optimizers, schedules } as Record<string, Record<string, { settings: Record<string, { default?: unknown }> }>>;

for (const kind of ['optimizers', 'schedules'] as const) {
  describe(`${kind}: defaults`, () => {
    for (const [name, torchDefaults] of Object.entries(fixture[kind])) {
      it(`${name}: torch's defaults, setting by setting`, () => {
        const d = registries[kind][name];
        expect(d, name).toBeDefined();
        for (const [key, value] of Object.entries(torchDefaults)) {
          const setting = d.settings[key];
          expect(setting, `${name}.${key}: a setting of the descriptor`).toBeDefined();
          expect(setting.default, `${name}.${key}`).toBe(value ?? OWN[name]?.[key]);
        }
      });
    }
  });
}
