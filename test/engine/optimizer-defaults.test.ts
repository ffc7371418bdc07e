// Every optimizer setting's default is PyTorch's (torch.optim's constructors, read by
// scripts/oracles/torch-defaults.py into test/fixtures/torch-defaults.json), and every setting torch's optimizer
// has is one of the descriptor's. Where torch has no default (SGD's lr is required), mlplab's own is listed here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimizers } from '../../src/training/optimizers/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch-defaults.json', import.meta.url), 'utf8')) as {
  optimizers: Record<string, Record<string, number | boolean | null>>;
};

/** Defaults torch does not have, which mlplab chooses. */
const OWN: Record<string, Record<string, number>> = { sgd: { learning_rate: 0.1 } };

describe('optimizer defaults', () => {
  for (const [name, torchDefaults] of Object.entries(fixture.optimizers)) {
    it(`${name}: torch.optim's defaults, setting by setting`, () => {
      const d = optimizers[name as keyof typeof optimizers];
      expect(d, name).toBeDefined();
      for (const [key, value] of Object.entries(torchDefaults)) {
        const setting = (d.settings as Record<string, { default?: unknown }>)[key];
        expect(setting, `${name}.${key}: a setting of the descriptor`).toBeDefined();
        expect(setting.default, `${name}.${key}`).toBe(value ?? OWN[name]?.[key]);
      }
    });
  }
});
