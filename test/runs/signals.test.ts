// Divergence and interrupts, on the real bin: a diverging run exits 4 with run.json saying diverged and a loss
// log without a non-finite row; SIGINT (SIGTERM) stops at a batch boundary with exit 130 (143), keeps the log so
// far in NAME.interrupted/ with status interrupted, and leaves the previous results byte-identical.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { LONG_XOR, ROOT, removeTemps, snapshot, spawnBin, staging, tempDir, until, variant, XOR } from './spawn.js';

afterAll(removeTemps);

const LONG = ['--quiet'];
/** XOR as regression with a linear output and a learning rate of 50: the weights blow up within an epoch or two. */
const diverging = () =>
  variant(XOR, ['- { units: 2, activation: softmax }', '- { units: 1, activation: linear }'], ['targets: [[1, 0], [0, 1], [0, 1], [1, 0]]', 'targets: [[0], [1], [1], [0]]'],
    ['loss: cross_entropy', 'loss: mse'], ['learning_rate: 0.5', 'learning_rate: 50']);

/** Parses a loss log: every cell a number. */
const cells = (csv: string) => csv.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));

describe('divergence', () => {
  it('a diverging run exits 4, says why, keeps finite rows only, writes no model, keeps earlier results', async () => {
    const out = tempDir();
    const file = diverging();
    expect((await spawnBin(['run', XOR, '--out', out, '--quiet']).done).code).toBe(0);
    const before = snapshot(join(out, 'xor-softmax'));
    const r = await spawnBin(['run', file, '--out', out]).done;
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^.*xor-softmax\.yaml: xor-softmax diverged in epoch \d+ after \d+ weight update\(s\): the .* became NaN or infinite; the learning rate training\.optimizer\.learning_rate = 50 is likely too large for this data and network: try 5 or smaller\. Kept the finite loss log \(to epoch \d+\) and run\.json in .*xor-softmax\.diverged\/ \(no model\.json\)\n$/);
    const dir = join(out, 'xor-softmax.diverged');
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.status).toBe('diverged');
    expect(['loss', 'gradient', 'weight']).toContain(run.divergence.value);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'run.json']);
    const rows = cells(readFileSync(join(dir, 'loss.csv'), 'utf8'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) for (const v of row) expect(Number.isFinite(v)).toBe(true);
    expect(snapshot(join(out, 'xor-softmax'))).toEqual(before);
  });
});

describe('interrupts', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} to a spawned run: exit ${code}, a partial log with status interrupted, previous results byte-identical`, async () => {
      const out = tempDir();
      expect((await spawnBin(['run', XOR, '--out', out, '--quiet']).done).code).toBe(0);
      const before = snapshot(join(out, 'xor-softmax'));
      const child = spawnBin(['run', LONG_XOR(), '--out', out, ...LONG]);
      await until(() => staging(out, 'xor-softmax'), 'training to start');
      await new Promise((r) => setTimeout(r, 300));
      child.kill(signal);
      const r = await child.done;
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`^mlplab: ${signal}: interrupted xor-softmax in epoch \\d+ of 100000000; kept its loss log to epoch \\d+ and run.json in .*xor-softmax\\.interrupted/ \\(no model\\.json\\)\\n$`));
      expect(snapshot(join(out, 'xor-softmax'))).toEqual(before);
      const kept = join(out, 'xor-softmax.interrupted');
      const run = JSON.parse(readFileSync(join(kept, 'run.json'), 'utf8'));
      expect(run).toMatchObject({ status: 'interrupted', signal });
      const rows = cells(readFileSync(join(kept, 'loss.csv'), 'utf8'));
      expect(rows[0][0]).toBe(0);
      expect(rows[rows.length - 1][0]).toBeLessThanOrEqual(run.epochs_done);
      expect(readdirSync(out).sort()).toEqual(['xor-softmax', 'xor-softmax.interrupted']);
    });
  }

  it('a second signal stops at once: exit 130, one line, no staging folder, lock or partial results left', async () => {
    const out = tempDir();
    // Full batches of 5,000 rows through 512 units: a batch lasts far longer than the 10 ms between the two
    // signals, so both are handled at the same batch boundary, the second after the first.
    const spirals = variant(join(ROOT, 'experiments', 'spirals.yaml'), ['samples: 300', 'samples: 5000'], ['units: 64', 'units: 512'], ['epochs: 300', 'epochs: 100000000'], ['batch_size: 32', 'batch_size: full']);
    const child = spawnBin(['run', spirals, '--out', out, ...LONG]);
    await until(() => staging(out, 'spirals'), 'training to start');
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const r = await child.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('mlplab: SIGINT again: stopped spirals at once; nothing of this run kept\n');
    expect(readdirSync(out)).toEqual([]);
  });

  it('in-process through main(): the progress line is cleared before the one line about the interrupt', async () => {
    const out = tempDir();
    let stderr = '';
    const io: Io = { out: () => undefined, err: (t) => void (stderr += t), errIsTTY: true };
    const listeners = process.listenerCount('SIGINT');
    const running = main(['run', LONG_XOR(), '--out', out], io);
    await until(() => staging(out, 'xor-softmax') && stderr.includes('epoch'), 'training and its progress line');
    process.kill(process.pid, 'SIGINT'); // caught by the run's handler, which main installed
    expect(await running).toBe(130);
    expect(stderr).toMatch(/^(\r\x1b\[Kxor-softmax: epoch \d+\/100000000 [^\n]*)+\r\x1b\[Kmlplab: SIGINT: interrupted xor-softmax in epoch \d+ [^\n]*\n$/);
    expect(process.listenerCount('SIGINT')).toBe(listeners); // the handler is gone with the run
  });

  it('a multi-file run: the interrupted file is kept, the files after it are not run, and it says so', async () => {
    const out = tempDir();
    const child = spawnBin(['run', LONG_XOR(), join('experiments', 'xor-tanh.yaml'), '--out', out, ...LONG]);
    await until(() => staging(out, 'xor-softmax'), 'training to start');
    child.kill('SIGINT');
    const r = await child.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted xor-softmax .*; 1 more run\(s\) not run\n$/);
    expect(existsSync(join(out, 'xor-tanh'))).toBe(false);
  });
});
