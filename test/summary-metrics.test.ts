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
