// runExperiment without outDir writes where `mlplab run` writes the same run: results/NAME/, and for a run with a
// run ID (a file's run_id: key, a sweep's run from loadPlan, a snapshot's config.json, guide 2: "the folder below
// results/NAME/ this run writes to") results/NAME/RUN-ID/. It wrote every one of them to results/NAME/, over the
// base run, beside the sweep's run folders and summary.csv. loadExperiment(file, { seed, set }) is the run
// `mlplab run FILE --seed … --set …` makes: its run_id the overrides' ID (it had none, so runExperiment wrote
// results/NAME/, over the base run, and config.json lacked the run_id the command's records).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { experimentFromObject, loadExperiment, loadPlan, runExperiment } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mlplab-run-default-folder-'));
const before = process.cwd();
const xor = (extra: string) =>
  `data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } }\nmodel: { layers: [{ units: 2, activation: tanh }, { units: 1, activation: sigmoid }] }\nloss: mse\ntraining: { epochs: 3, batch_size: 4 }\n${extra}`;

beforeAll(() => {
  writeFileSync(join(dir, 'plain.yaml'), xor(''));
  writeFileSync(join(dir, 'trial.yaml'), xor('run_id: trial-a\n'));
  writeFileSync(join(dir, 'swept.yaml'), xor('sweep: { seed: [1, 2] }\n'));
  process.chdir(dir);
});
afterAll(() => {
  process.chdir(before);
  rmSync(dir, { recursive: true, force: true });
});

describe('runExperiment without outDir', () => {
  it('writes a run without a run ID to results/NAME', async () => {
    expect((await runExperiment(loadExperiment('plain.yaml'))).outDir).toBe(join('results', 'plain'));
  });
  it("writes a file's run_id run to results/NAME/RUN-ID, as mlplab run does", async () => {
    const r = await runExperiment(loadExperiment('trial.yaml'));
    expect(r.outDir).toBe(join('results', 'trial', 'trial-a'));
    expect(existsSync(join('results', 'trial', 'run.json'))).toBe(false);
  });
  it("writes a sweep's run to its folder below results/NAME, and a snapshot's rerun where the original went", async () => {
    const plan = loadPlan('swept.yaml');
    const r = await runExperiment(plan.runs[1].exp);
    expect(r.outDir).toBe(join('results', 'swept', 'seed=2'));
    const again = await runExperiment(loadExperiment(join('results', 'swept', 'seed=2', 'config.json')));
    expect(again.outDir).toBe(join('results', 'swept', 'seed=2'));
    expect(readFileSync(join(again.outDir, 'loss.csv'), 'utf8')).toBe(readFileSync(join(r.outDir, 'loss.csv'), 'utf8'));
  });
});

describe('loadExperiment with options.seed and options.set', () => {
  it('gives the run mlplab run FILE --seed N --set … makes: its run_id, folder and files', async () => {
    const options = { seed: 4, set: ['training.epochs=2'] };
    const exp = loadExperiment('plain.yaml', options);
    expect(exp.config.run_id).toBe('epochs=2,seed=4');
    expect(loadPlan('plain.yaml', options).runs[0].exp.config).toEqual(exp.config);
    const r = await runExperiment(exp);
    expect(r.outDir).toBe(join('results', 'plain', 'epochs=2,seed=4'));
    expect(await main(['run', 'plain.yaml', '--seed', '4', '--set', 'training.epochs=2', '--out', 'cli', '-q'], { out: () => {}, err: () => {} })).toBe(0);
    for (const file of ['config.json', 'loss.csv', 'model.json']) {
      expect(readFileSync(join(r.outDir, file), 'utf8'), file).toBe(readFileSync(join('cli', 'plain', 'epochs=2,seed=4', file), 'utf8'));
    }
  });
  it("puts the overrides' ID below a file's run_id, as the command does; a --set of run_id is the folder itself", () => {
    expect(loadExperiment('trial.yaml', { seed: 4 }).config.run_id).toBe('trial-a/seed=4');
    expect(loadPlan('trial.yaml', { seed: 4 }).runs[0].runPath).toBe('trial-a/seed=4');
    expect(loadExperiment('plain.yaml', { set: ['run_id=mine'] }).config.run_id).toBe('mine');
    expect(loadExperiment('plain.yaml').config.run_id).toBeUndefined();
  });
  it('experimentFromObject gives its options the same run_id', () => {
    const config = loadExperiment('plain.yaml').config as unknown as Record<string, unknown>;
    expect(experimentFromObject(config, { seed: 4 }).config.run_id).toBe('seed=4');
  });
});
