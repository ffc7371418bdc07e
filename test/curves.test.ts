// compare's curves (runner/curves.ts): the mean at an epoch is over the runs still training then, with their
// number; a stopped run's last row off the logging interval is left out of the curve but marked as its stop;
// group labels in natural order (numbers as numbers, decimals and exponents too).
import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../src/runner/collect.js';
import { curveOf, stopsOf } from '../src/runner/curves.js';
import { naturalOrder } from '../src/runner/natural-order.js';

/** A run logging train_loss every 5 epochs up to `last` (and at `last` itself), stopped early there unless it is 20. */
function run(seed: number, last: number, value: (epoch: number) => number): StoredRun {
  const epochs = [...new Set([...Array.from({ length: Math.floor(last / 5) + 1 }, (_, i) => i * 5), last])];
  const stopping = last < 20 ? { reason: 'early_stopping' as const, epoch: last, monitor: 'validation_loss', best_epoch: last - 3, best_value: 1, restored_best: true } : undefined;
  return {
    dir: `runs/seed=${seed}`,
    name: 'g',
    seed,
    status: 'completed',
    config: {},
    final: {},
    columns: ['epoch', 'train_loss'],
    rows: epochs.map((epoch) => ({ epoch, step: epoch, train_loss: value(epoch) }) as never),
    ...(stopping ? { stopping } : {}),
  };
}

describe('curveOf', () => {
  it('averages over the runs still training, counts them, and leaves out an epoch only some logged', () => {
    const runs = [run(1, 20, (e) => 10 - e / 10), run(2, 12, (e) => 20 - e / 10), run(3, 5, (e) => 30 - e / 10)];
    const curve = curveOf(runs, 'train_loss');
    expect(curve.map((p) => [p.epoch, p.n])).toEqual([[0, 3], [5, 3], [10, 2], [15, 1], [20, 1]]); // 12: only run 2 logged it
    expect(curve[0]).toEqual({ epoch: 0, mean: 20, min: 10, max: 30, n: 3 });
    expect(curve[2]).toEqual({ epoch: 10, mean: (9 + 19) / 2, min: 9, max: 19, n: 2 });
    expect(curve[4]).toEqual({ epoch: 20, mean: 8, min: 8, max: 8, n: 1 });
  });

  it("the mean is the table's corrected mean: 15 runs of 0.1 average exactly 0.1 (a plain sum gives 0.1 + 1.4e-17)", () => {
    const runs = Array.from({ length: 15 }, (_, k) => run(k, 20, () => 0.1));
    expect(runs.reduce((s) => s + 0.1, 0) / 15).not.toBe(0.1);
    expect(new Set(curveOf(runs, 'train_loss').map((p) => p.mean))).toEqual(new Set([0.1]));
  });

  it('a run that stopped early is marked at its last row, with its best epoch', () => {
    const stops = stopsOf([run(1, 20, () => 1), run(2, 12, (e) => e)], 'train_loss');
    expect(stops).toEqual([{ epoch: 12, value: 12, text: 'runs/seed=2 (seed 2): stopped early at epoch 12, best validation_loss at epoch 9 (its weights kept)' }]);
    expect(stopsOf([run(2, 12, (e) => e)], 'test_loss')).toEqual([]); // a column the run did not log
  });
});

describe('naturalOrder', () => {
  it('orders numbers inside labels numerically: integers, decimals, exponents, signs after =', () => {
    const labels = ['units=64', 'units=4', 'units=16', 'lr=0.1', 'lr=0.01', 'lr=1e-3', 'xor-10', 'xor-2', 'seed=-1', 'seed=2', 'seed=-5', 'a, b=2', 'a, b=10'];
    expect(labels.sort(naturalOrder)).toEqual(['a, b=2', 'a, b=10', 'lr=1e-3', 'lr=0.01', 'lr=0.1', 'seed=-5', 'seed=-1', 'seed=2', 'units=4', 'units=16', 'units=64', 'xor-2', 'xor-10']);
  });
});
