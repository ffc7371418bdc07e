// Whole training runs against PyTorch: each case of test/fixtures/torch-training.json (written by
// scripts/oracles/torch-training.py, which trains the same network from the same initial weights with torch.nn,
// torch.optim, torch.optim.lr_scheduler and clip_grad_norm_ in float64) is run through the library
// (trainExperiment), and the loss log's train_loss after every epoch, the learning rate each epoch used, the run's
// early stopping and the final weights must agree with torch's to 1e-9 (relative): the optimizers, schedules,
// clipping, reductions, batches (a smaller last one) and early stopping together, not one piece at a time.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { experimentFromObject, prepare, trainExperiment } from '../../src/index.js';

interface Layer { w: number[][]; b: number[] }
interface Case {
  config: Record<string, any>;
  initial_weights: Layer[];
  torch: { train_loss: number[]; learning_rate: number[]; final_weights: Layer[]; final_train_loss: number; best_epoch?: number; stopped?: boolean };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch-training.json', import.meta.url), 'utf8')) as { cases: Case[] };

const close = (actual: number, expected: number, what: string) =>
  expect(Math.abs(actual - expected), `${what}: ${actual} vs torch ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('training agrees with PyTorch (scripts/oracles/torch-training.py)', () => {
  it.each(fixture.cases.map((c) => [c.config.name as string, c]))('%s', (_name, c) => {
    const exp = experimentFromObject(c.config);
    const prepared = prepare(exp);
    prepared.network.layers.forEach((l, k) => {
      l.w.set(c.initial_weights[k].w.flat());
      l.b.set(c.initial_weights[k].b);
    });
    const result = trainExperiment(exp, { prepared });
    expect(result.run.status).toBe('completed');
    const t = c.torch;
    const rows = result.rows;
    expect(rows.length).toBe(t.train_loss.length);
    rows.forEach((row, e) => close(row.train_loss, t.train_loss[e], `train_loss at epoch ${e}`));
    if (c.config.training.schedule) rows.slice(1).forEach((row, e) => close(row.learning_rate!, t.learning_rate[e], `learning_rate of epoch ${e + 1}`));
    if (t.best_epoch !== undefined) {
      expect(result.run.stopping?.best_epoch).toBe(t.best_epoch);
      expect(result.run.stopping?.reason).toBe(t.stopped ? 'early_stopping' : 'epochs');
    }
    close(result.final.train_loss, t.final_train_loss, 'final train_loss');
    result.model!.layers.forEach((l, k) => {
      l.weights.flat().forEach((w, i) => close(w, t.final_weights[k].w.flat()[i], `layer ${k + 1} weight ${i}`));
      l.bias.forEach((b, i) => close(b, t.final_weights[k].b[i], `layer ${k + 1} bias ${i}`));
    });
  });
});
