// summary.csv's final metrics are the run.json's, written as loss.csv writes them: a metric that is not a number
// (R² of a single test row: NaN in loss.csv, null in run.json, which JSON has no NaN for) is NaN, as in loss.csv.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSummary } from '../src/runner/summary.js';

const root = mkdtempSync(join(tmpdir(), 'mlplab-summary-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('summary.csv', () => {
  it('writes a final metric that run.json holds as null (NaN) as NaN, and one a run lacks as an empty cell', () => {
    const run = (dir: string, index: number, final: Record<string, number | null>) => {
      mkdirSync(join(root, dir));
      const record = { final, epochs: 1, steps: 1, status: 'completed', duration_ms: 5, sweep: { index, values: { seed: index } } };
      writeFileSync(join(root, dir, 'run.json'), JSON.stringify(record));
      writeFileSync(join(root, dir, 'config.json'), JSON.stringify({ seed: index }));
    };
    run('seed=0', 0, { test_r2: null, test_rmse: 1.5 });
    run('seed=1', 1, { test_rmse: 2 });
    expect(writeSummary(root)).toBe(2);
    expect(readFileSync(join(root, 'summary.csv'), 'utf8').split('\n')).toEqual([
      'dir,seed,test_r2,test_rmse,epochs,steps,status,duration_ms',
      'seed=0,0,NaN,1.5,1,1,completed,5',
      'seed=1,1,,2,1,1,completed,5',
      '',
    ]);
  });
});

describe('summary.csv of other run folders', () => {
  it('reads their values from config.json: a fold from data.split.fold (the fold cell of a fold run rerun from its config.json was empty)', () => {
    const dir = mkdtempSync(join(root, 'cv-'));
    const run = (name: string, fold: number, sweep: boolean) => {
      mkdirSync(join(dir, name));
      const record = { final: { train_loss: 1 }, epochs: 1, steps: 1, status: 'completed', duration_ms: 5, ...(sweep ? { sweep: { index: fold - 1, values: { seed: 3, fold } } } : {}) };
      writeFileSync(join(dir, name, 'run.json'), JSON.stringify(record));
      writeFileSync(join(dir, name, 'config.json'), JSON.stringify({ seed: 3, data: { split: { folds: 2, fold } } }));
    };
    run('seed=3,fold=1', 1, true);
    run('seed=3,fold=2', 2, false);
    writeSummary(dir);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n').slice(1, 3)).toEqual(['"seed=3,fold=1",3,1,1,1,1,completed,5', '"seed=3,fold=2",3,2,1,1,1,completed,5']);
  });
});
