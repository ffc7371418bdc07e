// compare gives one answer for the same runs however they are named: paths in another order, a sweep folder or
// its summary.csv, or the run folders one by one. Runs are taken in the folders' order (compare.ts
// byFolder), so each group's seeds, folders and sums come in one order (a standard deviation summed in another
// order differed in its last bit).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../src/runner/compare.js';
import { tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-compare-order');

// Losses whose sums depend on their order (0.1 + 0.7 + 0.3 ≠ 0.3 + 0.7 + 0.1 in floating point), over 11 seeds.
const LOSSES = [0.1, 0.7, 0.3, 1e-3, 123.456, 5, 6, 7, 8, 9, 10.5];

/** Two settings (learning rate 0.1, 0.5) × seeds 0–10 as run folders, and the sweep's summary.csv. */
function sweep(): { root: string; dirs: string[] } {
  const root = tempDir();
  const dirs: string[] = [];
  const rows = ['dir,training.optimizer.learning_rate,seed,train_loss,status'];
  for (const lr of [0.1, 0.5]) {
    LOSSES.forEach((base, seed) => {
      const name = `learning_rate=${lr},seed=${seed}`;
      const dir = join(root, name);
      mkdirSync(dir);
      const loss = base * (lr === 0.1 ? 1 : 3);
      const config = { name: 'o', seed, training: { optimizer: { learning_rate: lr } } };
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'o', seed, status: 'completed', final: { train_loss: loss }, sweep: { index: dirs.length, values: { 'training.optimizer.learning_rate': lr, seed } } }));
      writeFileSync(join(dir, 'loss.csv'), `epoch,step,train_loss\n0,0,200\n1,1,${loss}\n`);
      rows.push(`"${name}",${lr},${seed},${loss},completed`);
      dirs.push(dir);
    });
  }
  // The summary lists the seeds backwards: another order than the folders'.
  writeFileSync(join(root, 'summary.csv'), [rows[0], ...rows.slice(1).reverse()].join('\n') + '\n');
  return { root, dirs };
}

describe('compare: the same runs, however named, give the same comparison', () => {
  it('paths in any order, the sweep folder, its summary.csv', () => {
    const { root, dirs } = sweep();
    const shown = (paths: string[]) => {
      const c = compareRuns(paths, { out: false });
      return JSON.stringify({ groups: c.groups, charts: c.charts });
    };
    const folder = shown([root]);
    expect(shown([...dirs].reverse())).toBe(folder);
    expect(shown([dirs[7], dirs[12], dirs[2], dirs[19], dirs[9], dirs[0], dirs[5], dirs[21], dirs[1], dirs[3], dirs[8], dirs[4], dirs[6], dirs[10],
      dirs[11], dirs[13], dirs[14], dirs[15], dirs[16], dirs[17], dirs[18], dirs[20]])).toBe(folder);
    expect(shown([join(root, 'summary.csv')])).toBe(folder);
    const c = compareRuns([root], { out: false });
    expect(c.groups.find((g) => g.label.includes('0.1'))!.seeds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // seed=10 last
  });
});
