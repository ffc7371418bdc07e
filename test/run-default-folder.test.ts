// runExperiment without outDir writes where `mlplab run` writes the same run: results/NAME/, and for a run with a
// run ID (a file's run_id: key, a sweep's run from loadPlan, a snapshot's config.json, guide 2: "the folder below
// results/NAME/ this run writes to") results/NAME/RUN-ID/. It wrote every one of them to results/NAME/, over the
// base run, beside the sweep's run folders and summary.csv.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment, loadPlan, runExperiment } from '../src/index.js';

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
