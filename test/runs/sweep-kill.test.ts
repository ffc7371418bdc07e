// SIGKILL in the middle of a sweep of tiny runs, whose runs overlap (the next one trains while the one before
// flushes its files: runner/execute.ts, pool.ts inTurn) and whose folder is listed for leftovers once
// (files/recover.ts LeftoverScan): every run folder there is complete, whatever was under way; the sweep run
// again completes the rest and leaves nothing stray. Spawns the bin (needs the build).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTemps, spawnBin, tempDir, until } from './spawn.js';

afterAll(removeTemps);

const RUNS = 60;
const FILES = ['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json'];

function sweepFile(): string {
  const file = join(tempDir(), 'tiny.yaml');
  writeFileSync(file, `name: tiny
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }
model: { layers: [{ units: 2, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 50, batch_size: 4, optimizer: { type: sgd, learning_rate: 0.5, momentum: 0.9 } }
log: { every: 10, charts: true }
sweep: { seed: [${Array.from({ length: RUNS }, (_, i) => i).join(', ')}] }
`);
  return file;
}

/** The run folders of the sweep (not its hidden entries), each checked complete: its six files whole (log.charts: the two chart files too). */
function completeRuns(root: string): string[] {
  const runs = readdirSync(root).filter((e) => e.startsWith('seed='));
  for (const run of runs) {
    const dir = join(root, run);
    expect(readdirSync(dir).sort(), run).toEqual(FILES);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status, run).toBe('completed');
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).format, run).toBe('mlplab.model/v1');
    expect(readFileSync(join(dir, 'loss.csv'), 'utf8').trimEnd().split('\n').at(-1), run).toMatch(/^50,50,/);
    expect(readFileSync(join(dir, 'loss.svg'), 'utf8').trimEnd().endsWith('</svg>'), run).toBe(true);
  }
  return runs;
}

/** Runs the sweep again to the end: exit 0, every run complete, nothing hidden left but none (no staging folder, no lock). */
async function finishes(file: string, out: string): Promise<void> {
  const again = await spawnBin(['run', file, '--out', out, '--quiet']).done;
  expect(again.code, again.stderr).toBe(0);
  const root = join(out, 'tiny');
  expect(completeRuns(root)).toHaveLength(RUNS);
  expect(readdirSync(root).filter((e) => e.startsWith('.'))).toEqual([]);
  expect(readFileSync(join(root, 'summary.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(RUNS + 1);
}

describe('SIGKILL mid-sweep leaves only complete run folders', () => {
  it('killed while one run is flushed and not yet renamed (the next one under way): no half folder; the rerun repairs and completes', async () => {
    const file = sweepFile();
    const out = tempDir();
    const marker = join(tempDir(), 'paused');
    const child = spawnBin(['run', file, '--out', out, '--quiet'], { MLPLAB_TEST_PAUSE: `staged:${marker}` });
    await until(() => existsSync(marker), 'a run to pause with its files flushed');
    child.kill('SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    const root = join(out, 'tiny');
    expect(completeRuns(root)).toEqual([]); // the first run paused before its rename
    expect(readdirSync(root).filter((e) => e.includes('.partial-')).length).toBeGreaterThanOrEqual(1);
    await finishes(file, out);
  });

  it('killed at a moment of its own after some runs are written: every run folder complete; the rerun completes', async () => {
    const file = sweepFile();
    const out = tempDir();
    const child = spawnBin(['run', file, '--out', out, '--quiet']);
    const root = join(out, 'tiny');
    await until(() => existsSync(root) && readdirSync(root).filter((e) => e.startsWith('seed=')).length >= 8, 'eight runs written');
    child.kill('SIGKILL');
    const ended = await child.done;
    if (ended.signal !== 'SIGKILL') expect.fail(`the sweep ended before the kill (exit ${ended.code}): make it longer`);
    expect(completeRuns(root).length).toBeGreaterThanOrEqual(8);
    await finishes(file, out);
  });
});
