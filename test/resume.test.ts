// Resumable sweeps (runner/resume.ts) through main() and the library: rerunning a sweep skips every run whose
// folder holds a completed run with the same config.json bytes and inputs, runs the rest, says how many it
// skipped, and summary.csv lists them all; serial and --jobs alike. A changed configuration or data file, a
// missing or unfinished folder, runs again; a run outside a sweep is skipped only with --resume.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadPlan, runPlans } from '../src/index.js';
import { cli, tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-resume');

/** A small XOR experiment (20 epochs), with `extra` YAML appended, in a new folder. */
function xorFile(extra = ''): string {
  const file = join(tempDir(), 'tiny.yaml');
  writeFileSync(
    file,
    `name: tiny\nseed: 1\ndata: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }\n` +
      `model: { layers: [{ units: 3, activation: tanh }, { units: 2, activation: softmax }] }\nloss: cross_entropy\n` +
      `training: { epochs: 20, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.5, momentum: 0.9 } }\n${extra}`,
  );
  return file;
}
const SWEEP = 'sweep:\n  seed: [1, 2, 3, 4]\n';

/** The run lines of `mlplab run` (one per run trained). */
const ranLines = (stdout: string) => stdout.split('\n').filter((l) => / → /.test(l));
const summaryDirs = (dir: string) => (parse(readFileSync(join(dir, 'summary.csv'), 'utf8'), { columns: true }) as { dir: string }[]).map((r) => r.dir);
const mtime = (dir: string) => statSync(join(dir, 'run.json')).mtimeMs;

describe('rerunning a sweep', () => {
  it('skips the completed runs, runs the missing one, says how many it skipped; summary.csv lists all', async () => {
    const file = xorFile(SWEEP);
    const out = tempDir();
    const sweep = join(out, 'tiny');
    expect((await cli('run', file, '--out', out, '-q')).code).toBe(0);
    const before = ['seed=1', 'seed=2', 'seed=4'].map((d) => mtime(join(sweep, d)));
    rmSync(join(sweep, 'seed=3'), { recursive: true });
    writeFileSync(join(sweep, 'summary.csv'), 'dir\n'); // so that its rewriting shows
    for (const jobs of ['1', '2']) {
      if (jobs === '2') rmSync(join(sweep, 'seed=3'), { recursive: true });
      const r = await cli('run', file, '--out', out, '--jobs', jobs);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("skipped 3 run(s) completed already with the same config.json and inputs (delete a run's folder to run it again); 1 to run\n");
      expect(ranLines(r.stdout)).toHaveLength(1);
      expect(ranLines(r.stdout)[0]).toContain('tiny/seed=3: ');
      expect(summaryDirs(sweep)).toEqual(['seed=1', 'seed=2', 'seed=3', 'seed=4']);
    }
    expect(['seed=1', 'seed=2', 'seed=4'].map((d) => mtime(join(sweep, d)))).toEqual(before); // not rewritten
    // Nothing left to run: every run skipped, the summary rewritten all the same.
    writeFileSync(join(sweep, 'summary.csv'), 'dir\n');
    const again = await cli('run', file, '--out', out);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("skipped 4 run(s) completed already with the same config.json and inputs (delete a run's folder to run it again); 0 to run\n");
    expect(summaryDirs(sweep)).toEqual(['seed=1', 'seed=2', 'seed=3', 'seed=4']);
  });

  it('a changed configuration, a changed data file, or a folder whose run did not complete: run again', async () => {
    const dir = tempDir();
    const csv = join(dir, 'xor.csv');
    writeFileSync(csv, 'a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    const yaml = (epochs: number) =>
      `name: csvxor\nseed: 1\ndata: { csv: { path: xor.csv, target: y } }\nmodel: { layers: [{ units: 3, activation: tanh }, { units: 1, activation: sigmoid }] }\n` +
      `loss: binary_cross_entropy\ntraining: { epochs: ${epochs}, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.5 } }\n${SWEEP}`;
    const file = join(dir, 'csvxor.yaml');
    writeFileSync(file, yaml(10));
    const out = join(dir, 'out');
    const first = await cli('run', file, '--out', out, '-q');
    expect(first.code, first.stderr).toBe(0);
    expect(ranLines((await cli('run', file, '--out', out)).stdout)).toHaveLength(0);
    writeFileSync(file, yaml(12)); // config.json changes
    expect(ranLines((await cli('run', file, '--out', out)).stdout)).toHaveLength(4);
    writeFileSync(csv, 'a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,1\n'); // same config.json, another data file
    expect(ranLines((await cli('run', file, '--out', out)).stdout)).toHaveLength(4);
    // A run.json whose status is not completed (as a run that was stopped would leave): run again.
    const record = join(out, 'csvxor', 'seed=2', 'run.json');
    writeFileSync(record, readFileSync(record, 'utf8').replace('"status": "completed"', '"status": "interrupted"'));
    const r = await cli('run', file, '--out', out);
    expect(r.stdout).toContain('skipped 3 run(s)');
    expect(ranLines(r.stdout).map((l) => l.split(':')[0])).toEqual(['csvxor/seed=2']);
    // A run.json whose inputs are damaged ([null], an item without a digest): not a completed run of this config; run again (it was a TypeError, exit 3).
    for (const inputs of ['[null]', '[{"key": "data.csv.path"}]', '[1]']) {
      const damaged = join(out, 'csvxor', 'seed=3', 'run.json');
      writeFileSync(damaged, readFileSync(damaged, 'utf8').replace(/"inputs": \[[^\]]*\]/, `"inputs": ${inputs}`));
      const again = await cli('run', file, '--out', out);
      expect(again.code, `${inputs}: ${again.stderr}`).toBe(0);
      expect(ranLines(again.stdout).map((l) => l.split(':')[0]), inputs).toEqual(['csvxor/seed=3']);
    }
  });
});

describe('runs outside a sweep, and the library', () => {
  it('a plain run runs again unless --resume', async () => {
    const file = xorFile();
    const out = tempDir();
    expect(ranLines((await cli('run', file, '--out', out)).stdout)).toHaveLength(1);
    expect(ranLines((await cli('run', file, '--out', out)).stdout)).toHaveLength(1);
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.stdout).toBe("skipped 1 run(s) completed already with the same config.json and inputs (delete a run's folder to run it again); 0 to run\n");
  });

  it('runPlans skips as the command does (sweep runs always, others with resume)', async () => {
    const file = xorFile(SWEEP);
    const out = tempDir();
    expect(await runPlans([loadPlan(file)], { out })).toHaveLength(4);
    renameSync(join(out, 'tiny', 'seed=4'), join(out, 'tiny', 'gone'));
    const again = await runPlans([loadPlan(file)], { out });
    expect(again.map((f) => ('outDir' in f ? f.outDir : f.error))).toEqual([join(out, 'tiny', 'seed=4')]);
    const single = xorFile();
    expect(await runPlans([loadPlan(single)], { out })).toHaveLength(1);
    expect(await runPlans([loadPlan(single)], { out, resume: true })).toHaveLength(0);
  });
});
