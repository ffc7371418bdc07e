// Runs side by side in one results folder (issue 21, item 2), with the real bin: a plain run of an experiment
// is refused while a --seed run of it (a folder inside) trains, and the training run still completes; shards
// of one sweep started together, many times, always leave a summary.csv listing every run (it is rebuilt
// under its lock); a corrupt run.json in the sweep folder is a located user error, not an internal one.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LONG_XOR, removeTemps, spawnBin, staging, tempDir, until, variant, XOR } from './spawn.js';

afterAll(removeTemps);

const NAME = 'xor-softmax';

describe('a lock covers a run folder and everything below it', () => {
  it('a plain run is refused while a --seed run of the same experiment trains; that run then completes', async () => {
    const out = tempDir();
    const long = variant(LONG_XOR(), ['epochs: 100000000', 'epochs: 1000000']);
    const first = spawnBin(['run', long, '--seed', '3', '--out', out, '--quiet']);
    await until(() => existsSync(join(out, NAME)) && staging(join(out, NAME), 'seed=3'), 'the --seed run to start training');
    const second = await spawnBin(['run', XOR, '--out', out, '--quiet']).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `${join(out, NAME)}: another mlplab process (pid ${first.pid}) is writing ${join(out, NAME, 'seed=3')}, inside ${join(out, NAME)}; ` +
        `wait for it to finish, or delete ${join(out, NAME, '.seed=3.lock')} if that process is not mlplab\n`,
    );
    const done = await first.done;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(readdirSync(join(out, NAME))).toEqual(['seed=3']);
    expect(readdirSync(join(out, NAME, 'seed=3'))).toContain('model.json');
  }, 60_000);
});

describe('shards finishing together', () => {
  const ROUNDS = 6;
  const SEEDS = [1, 2, 3, 4, 5, 6];
  it(`two shards of a ${SEEDS.length}-run sweep started side by side, ${ROUNDS} times: summary.csv lists every run each time`, async () => {
    const tiny = variant(XOR, ['epochs: 2000', 'epochs: 30']);
    for (let round = 0; round < ROUNDS; round++) {
      const out = tempDir();
      const args = (i: number) => ['run', tiny, '--sweep', `seed=${SEEDS.join(',')}`, '--shard', `${i}/2`, '--out', out, '--quiet'];
      const results = await Promise.all([spawnBin(args(1)).done, spawnBin(args(2)).done]);
      for (const r of results) expect(r.stderr).toBe('');
      const summary = readFileSync(join(out, NAME, 'summary.csv'), 'utf8').trim().split('\n');
      expect(summary.slice(1).map((l) => l.split(',')[0])).toEqual(SEEDS.map((s) => `seed=${s}`));
      expect(readdirSync(join(out, NAME)).filter((f) => f.startsWith('.'))).toEqual([]);
    }
  }, 60_000);

  it('a corrupt run.json in the sweep folder: exit 1 naming it after the runs, never an internal error', async () => {
    const out = tempDir();
    const tiny = variant(XOR, ['epochs: 2000', 'epochs: 30']);
    expect((await spawnBin(['run', tiny, '--sweep', 'seed=1,2', '--out', out, '--quiet']).done).code).toBe(0);
    writeFileSync(join(out, NAME, 'seed=1', 'run.json'), '{"final": ');
    const r = await spawnBin(['run', tiny, '--sweep', 'seed=2', '--out', out, '--quiet']).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${join(out, NAME, 'seed=1', 'run.json')}: cannot read this run folder's file for the sweep's summary.csv: not valid JSON \\(.*\\); remove or rerun the run folder\n$`));
  }, 30_000);
});
