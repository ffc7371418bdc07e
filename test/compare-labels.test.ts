// Group labels and chart names of a sweep whose keys end alike (model.layers.0.units and model.layers.1.units):
// each key named as the run IDs name it (sweep.ts's shortNames: 0.units, 1.units, as in the folders' names), so that two
// settings never share a label, a response chart's series or a parallel-coordinates axis; and swept numbers
// that agree to 4 digits (0.00012341, 0.00012342) labelled as written, not rounded into one label.
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

/** Runs of a sweep with these swept values (seed 0 and 1 each), train_loss from the index. */
function runsOf(settings: Record<string, unknown>[]): string {
  const root = tempDir();
  settings.forEach((values, i) => {
    for (const seed of [0, 1]) {
      const dir = join(root, `run${i}-${seed}`);
      mkdirSync(dir);
      const config = { name: 'lr', seed, setting: values };
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'lr', seed, status: 'completed', final: { train_loss: i + seed / 10 }, sweep: { index: i, values: { ...values, seed } } }));
      writeFileSync(join(dir, 'loss.csv'), `epoch,step,train_loss\n0,0,${i}\n`);
    }
  });
  return root;
}

describe('compare: swept numbers alike to 4 significant digits', () => {
  it('a grid sweep: each value as written (shortest round trip), in labels and response series', () => {
    const lrs = [0.00012341, 0.00012342, 0.1];
    const c = compareRuns([runsOf(lrs.flatMap((lr) => [2, 4].map((units) => ({ 'training.optimizer.learning_rate': lr, 'model.layers.0.units': units }))))], { out: false });
    expect(c.groups.map((g) => g.label)).toEqual(lrs.flatMap((lr) => [2, 4].map((units) => `learning_rate=${lr}, units=${units}`)));
    const units = c.responses.find((r) => r.key === 'model.layers.0.units')!;
    expect([...new Set(units.points.map((p) => p.series))]).toEqual(['learning_rate=0.00012341', 'learning_rate=0.00012342', 'learning_rate=0.1']);
  });

  it('a random search: drawn values to 4 digits (sample=K tells them apart), unless two values of a key would read alike', () => {
    const drawn = [0.123456789, 0.00012341, 0.00012342];
    const c = compareRuns([runsOf(drawn.map((lr, sample) => ({ sample, 'training.optimizer.learning_rate': lr, 'model.layers.0.units': 2 + sample / 3 })))], { out: false });
    expect(c.groups.map((g) => g.label)).toEqual([
      'sample=0, learning_rate=0.123456789, units=2',
      'sample=1, learning_rate=0.00012341, units=2.333',
      'sample=2, learning_rate=0.00012342, units=2.667',
    ]);
  });
});

describe('compare: sweeps of one name whose swept values (seed and fold aside) are the same', () => {
  /** Cross-validation runs (3 folds × seeds 0 and 1) named cv, recorded as a sweep of seed and fold, in these configurations. */
  function cvRuns(root: string, tag: string, config: Record<string, unknown>, swept: Record<string, unknown> = {}): void {
    for (const seed of [0, 1]) {
      for (const fold of [1, 2, 3]) {
        const dir = join(root, tag, `seed=${seed},fold=${fold}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'cv', seed, ...config, data: { split: { ...(config.data as { split: object }).split, fold } } }));
        const run = { name: 'cv', seed, status: 'completed', final: { validation_accuracy: 0.8 + seed / 100 + fold / 1000 + tag.length / 10 }, sweep: { index: 0, values: { ...swept, seed, fold } } };
        writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
        writeFileSync(join(dir, 'loss.csv'), 'epoch,step,train_loss\n0,0,1\n');
      }
    }
  }

  it('are told apart by the settings in which they differ (a --set run beside the file\'s), not an empty label and "(2)"', () => {
    // mlplab run cv.yaml, then mlplab run cv.yaml --set data.split.folds=3: both record seed and fold alone as swept.
    const root = tempDir();
    cvRuns(root, 'a', { data: { split: { folds: 3 } }, training: { epochs: 5 } });
    cvRuns(root, 'bb', { data: { split: { folds: 3 } }, training: { epochs: 9 } });
    const c = compareRuns([root], { out: false });
    expect(c.groups.map((g) => g.label).sort()).toEqual(['training.epochs=5', 'training.epochs=9']);
    // Beside swept values that differ: those first, then the settings that tell the rest apart.
    const mixed = tempDir();
    cvRuns(mixed, 'a', { data: { split: { folds: 3 } }, model: { units: 2 }, training: { epochs: 5 } }, { 'model.units': 2 });
    cvRuns(mixed, 'bb', { data: { split: { folds: 3 } }, model: { units: 8 }, training: { epochs: 5 } }, { 'model.units': 8 });
    cvRuns(mixed, 'ccc', { data: { split: { folds: 3 } }, model: { units: 8 }, training: { epochs: 9 } }, { 'model.units': 8 });
    expect(compareRuns([mixed], { out: false }).groups.map((g) => g.label).sort()).toEqual(['units=2', 'units=8, training.epochs=5', 'units=8, training.epochs=9']);
  });
});
