// Group labels and chart names of a sweep whose keys end alike (model.layers.0.units and model.layers.1.units):
// each key named as the run IDs name it (sweep.ts's shortNames: 0.units, 1.units, as in the folders' names), so that two
// settings never share a label, a response chart's series or a parallel-coordinates axis.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../src/runner/compare.js';
import { tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-compare-labels');

/** A sweep of layers.0.units × layers.1.units × learning_rate over seeds 0 and 1, as run folders. */
function sweep(): string {
  const root = tempDir();
  let i = 0;
  for (const u0 of [2, 3]) {
    for (const u1 of [2, 3]) {
      for (const lr of [0.1, 0.5]) {
        for (const seed of [0, 1]) {
          const dir = join(root, `run${i++}`);
          mkdirSync(dir);
          const config = { name: 'xu', seed, model: { layers: [{ units: u0 }, { units: u1 }, { units: 2 }] }, training: { optimizer: { learning_rate: lr } } };
          const values = { 'model.layers.0.units': u0, 'model.layers.1.units': u1, 'training.optimizer.learning_rate': lr, seed };
          const loss = u0 + u1 / 10 + lr / 100 + seed / 1000;
          writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
          writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'xu', seed, status: 'completed', final: { train_loss: loss }, sweep: { index: i, values } }));
          writeFileSync(join(dir, 'loss.csv'), `epoch,step,train_loss\n0,0,1\n1,1,${loss}\n`);
        }
      }
    }
  }
  return root;
}

describe('compare: swept keys that end alike', () => {
  it('labels each group by every swept key, named as its run IDs name it', () => {
    const c = compareRuns([sweep()], { out: false });
    const labels = c.groups.map((g) => g.label);
    expect(new Set(labels).size).toBe(8);
    expect(labels[0]).toBe('0.units=2, 1.units=2, learning_rate=0.1');
    expect(labels).toContain('0.units=3, 1.units=2, learning_rate=0.5');
  });

  it('names the response charts\' series and the parallel axes apart', () => {
    const c = compareRuns([sweep()], { out: false });
    const lr = c.responses.find((r) => r.key === 'training.optimizer.learning_rate')!;
    expect(new Set(lr.points.map((p) => p.series)).size).toBe(4);
    expect(lr.points[0].series).toBe('0.units=2, 1.units=2');
    expect(c.responses.map((r) => r.name)).toEqual(['0.units', '1.units', 'learning_rate']);
    expect(c.parallel?.keys).toEqual(['0.units', '1.units', 'learning_rate']);
    expect(c.parallel?.rows.filter((r) => r.run === c.parallel?.rows[0].run)).toHaveLength(3);
  });
});
