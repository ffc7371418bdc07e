// A sweep whose data fail in one grid point (a target column that is not there, a --set that breaks every run) is
// refused before anything trains on every path: `mlplab run` serially and with --jobs 2, and the library's runPlans
// (prepare-plans.ts, which both call), with the same message placed at the sweep entry, and no folder written. The
// library trained the good grid points and returned the bad one's error placed at the file's own key.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError, loadPlan, runPlans } from '../../src/index.js';
import { cli, tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-plan-errors');

const EXPERIMENT = `name: e
data:
  csv: { path: d.csv, target: y }
model:
  layers: [{ units: 2, activation: tanh }, { units: 1, activation: sigmoid }]
loss: binary_cross_entropy
training: { epochs: 2, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.1 } }
sweep:
  data.csv.target: [y, w]
`;

function experiment(): { dir: string; file: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'd.csv'), 'a,b,y\n1,2,0\n2,3,1\n3,4,0\n4,5,1\n5,1,0\n6,2,1\n');
  const file = join(dir, 'e.yaml');
  writeFileSync(file, EXPERIMENT);
  return { dir, file };
}

/** What the library says: the rejection's message, as the CLI would print it. */
async function library(file: string, out: string, options: { jobs?: number; set?: string[] } = {}): Promise<string> {
  try {
    await runPlans([loadPlan(file, { set: options.set })], { out, jobs: options.jobs });
  } catch (e) {
    if (isUserError(e)) return e.format();
    throw e;
  }
  return 'resolved';
}

describe('a grid point whose data fail stops the invocation on every path', () => {
  it('the same message at the sweep entry, exit 1, nothing written: serial, --jobs 2, runPlans', async () => {
    const { dir, file } = experiment();
    const serial = await cli('run', file, '--out', join(dir, 'serial'), '-q');
    const jobs = await cli('run', file, '--out', join(dir, 'jobs'), '-q', '--jobs', '2');
    const message = serial.stderr.trim();
    expect(serial.code).toBe(1);
    expect(message).toMatch(/e\.yaml:9:3: data\.csv\.target: expected a column named "w" .*\(from sweep entry data\.csv\.target: "w"\) \(in run target=w\)$/);
    expect(jobs).toEqual(serial);
    expect(await library(file, join(dir, 'lib'))).toBe(message);
    expect(await library(file, join(dir, 'lib2'), { jobs: 2 })).toBe(message);
    for (const out of ['serial', 'jobs', 'lib', 'lib2']) expect(existsSync(join(dir, out)), out).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['d.csv', 'e.yaml']);
  });

  it('several files: their errors in the files\' order on both paths (not merged by line)', async () => {
    const { dir, file } = experiment();
    const second = join(dir, 'b.yaml'); // its error at line 3, before the first file's at line 9
    writeFileSync(second, EXPERIMENT.replace('target: y', 'target: nosuch').replace(/sweep:[^]*$/, ''));
    const serial = await cli('run', file, second, '--out', join(dir, 'serial'), '-q');
    expect(serial.code).toBe(1);
    expect(serial.stderr.trim().split('\n').map((l) => l.split(':')[0].split('/').pop())).toEqual(['e.yaml', 'b.yaml']);
    let message = 'resolved';
    try {
      await runPlans([loadPlan(file), loadPlan(second)], { out: join(dir, 'lib') });
    } catch (e) {
      if (isUserError(e)) message = e.format();
    }
    expect(message).toBe(serial.stderr.trim());
  });

  it('an error a --set makes names the --set alike', async () => {
    const { dir, file } = experiment();
    const serial = await cli('run', file, '--out', join(dir, 'serial'), '-q', '--set', 'model.layers[1].units=3');
    expect(serial.code).toBe(1);
    expect(serial.stderr).toContain('(with --set model.layers[1].units=3)');
    expect(await library(file, join(dir, 'lib'), { set: ['model.layers[1].units=3'] })).toBe(serial.stderr.trim());
  });
});
