// Files mlplab reads whole are read only if they are regular files (files/safefs.ts openRegularFile, readBounded):
// a FIFO is refused at once, never waited on (opening one blocks until a writer comes, and a run stuck there
// ignores SIGTERM and keeps its locks), as are a device and a socket, each with a sentence naming the file. The
// FIFO cases spawn the bin with a timeout and SIGKILL, so that a regression fails instead of hanging the tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBounded } from '../../src/files/safefs.js';
import { BIN, removeTemps, tempDir, XOR } from '../runs/spawn.js';

afterAll(removeTemps);

const NAME = 'xor-softmax';

const mkfifo = (path: string): string => {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
};

/** The bin run in `cwd`, killed (SIGKILL: a process stuck opening a FIFO ignores SIGTERM) after 10 s. */
function bin(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
  return { code: r.status, signal: r.signal, stderr: r.stderr };
}

/** A finished run's files, as compare reads them, in dir (each of them or a FIFO in its place). */
function runFolder(dir: string, fifo?: 'run.json' | 'config.json' | 'loss.csv'): string {
  mkdirSync(dir, { recursive: true });
  const files = { 'run.json': '{"name":"r","seed":1,"status":"completed","final":{"train_loss":0.5}}', 'config.json': '{"name":"r"}', 'loss.csv': 'epoch,step,train_loss\n1,1,0.5\n' };
  for (const [name, text] of Object.entries(files)) {
    if (name === fifo) mkfifo(join(dir, name));
    else writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FIFO_SENTENCE = (file: string, what: string) => `${file}: expected ${what} (a regular file), but found a named pipe (FIFO)\n`;

describe('a FIFO where mlplab reads a file: refused at once, with a sentence', () => {
  it("a sweep's summary: a FIFO named run.json in a run folder of the sweep; exit 1, no lock file left", () => {
    const d = tempDir();
    const sweep = join(d, 'out', NAME);
    mkdirSync(join(sweep, 'seed=9'), { recursive: true });
    mkfifo(join(sweep, 'seed=9', 'run.json'));
    writeFileSync(join(sweep, 'seed=9', 'config.json'), '{}');
    const r = bin(d, 'run', XOR, '--out', join(d, 'out'), '--sweep', 'seed=1', '--quiet');
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(FIFO_SENTENCE(join(sweep, 'seed=9', 'run.json'), 'a run file'));
    expect(r.code).toBe(1);
    expect(readdirSync(sweep).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  for (const fifo of ['run.json', 'config.json', 'loss.csv'] as const) {
    it(`compare: a run folder's ${fifo} a FIFO; exit 1, nothing written`, () => {
      const d = tempDir();
      runFolder(join(d, 'runs', 'r'), fifo);
      const r = bin(d, 'compare', 'runs', '--out', join(d, 'cmp'));
      expect(r.signal).toBe(null);
      expect(r.stderr).toBe(FIFO_SENTENCE(join('runs', 'r', fifo), fifo === 'loss.csv' ? 'a loss log' : 'a run file'));
      expect(r.code).toBe(1);
      expect(readdirSync(d)).toEqual(['runs']);
    });
  }

  it('compare: a FIFO given as a summary.csv; exit 1', () => {
    const d = tempDir();
    mkfifo(join(d, 'summary.csv'));
    const r = bin(d, 'compare', 'summary.csv', '--out', join(d, 'cmp'));
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(FIFO_SENTENCE('summary.csv', 'a summary.csv'));
    expect(r.code).toBe(1);
  });

  it('validate: the experiment file a FIFO; exit 1', () => {
    const d = tempDir();
    mkfifo(join(d, 'e.yaml'));
    const r = bin(d, 'validate', 'e.yaml');
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(FIFO_SENTENCE('e.yaml', 'an experiment file'));
    expect(r.code).toBe(1);
  });
});

describe('the other readers of user-placed files: a FIFO refused at once, never waited on', () => {
  it("run: the data CSV a FIFO; exit 1, located at data.csv.path", () => {
    const d = tempDir();
    mkfifo(join(d, 'data.csv'));
    writeFileSync(join(d, 'e.yaml'), 'name: e\ndata:\n  csv: { path: data.csv, target: y }\nmodel: { layers: [{ units: 1, activation: linear }] }\nloss: mse\ntraining: { epochs: 1, optimizer: { type: sgd, learning_rate: 0.1 } }\n');
    const r = bin(d, 'validate', 'e.yaml');
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(`e.yaml:3:16: data.csv.path: expected a CSV file at "data.csv" (read as ${join(d, 'data.csv')}: the path is relative to the experiment file's folder), but it is a named pipe (FIFO)\n`);
    expect(r.code).toBe(1);
  });

  for (const fifo of ['run.json', 'config.json']) it(`a sweep run again: a run folder's ${fifo} a FIFO means the run is not complete, and it runs again; exit 0`, () => {
    const d = tempDir();
    const run = join(d, 'out', NAME, 'seed=1');
    expect(bin(d, 'run', XOR, '--out', join(d, 'out'), '--sweep', 'seed=1', '--quiet').code).toBe(0);
    rmSync(join(run, fifo));
    mkfifo(join(run, fifo));
    const r = bin(d, 'run', XOR, '--out', join(d, 'out'), '--sweep', 'seed=1', '--quiet');
    expect(r.signal).toBe(null);
    expect(r.code).toBe(0);
    expect(readdirSync(run).sort()).toEqual(['config.json', 'loss.csv', 'model.json', 'run.json']); // a sweep's run: no chart (log.charts)
  });

  it("evaluate --rows test --run: the data file a FIFO; refused at once, exit 1 (its SHA-256 against run.json's is not waited for)", () => {
    const d = tempDir();
    writeFileSync(join(d, 'data.csv'), 'x,y\n1,2\n2,4\n3,6\n4,8\n');
    writeFileSync(join(d, 'e.yaml'), 'name: e\ndata:\n  csv: { path: data.csv, target: y }\n  split: { test: 0.5 }\nmodel: { layers: [{ units: 1, activation: linear }] }\nloss: mse\ntraining: { epochs: 1, optimizer: { type: sgd, learning_rate: 0.1 } }\n');
    expect(bin(d, 'run', 'e.yaml', '--out', 'out', '--quiet').code).toBe(0);
    mkfifo(join(d, 'fifo.csv'));
    const r = bin(d, 'evaluate', join('out', 'e', 'model.json'), 'fifo.csv', '--rows', 'test', '--run', join('out', 'e'));
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe('fifo.csv: expected a CSV file at "fifo.csv", but it is a named pipe (FIFO)\n');
    expect(r.code).toBe(1);
  });

  for (const [fifo, call] of [['run.json', 'runRows'], ['config.json', 'runDelimiter']]) it(`evaluate --run: the run's ${fifo} a FIFO; the library's ${call} refuses it, naming it`, () => {
    const d = tempDir();
    mkfifo(join(d, fifo));
    const lib = JSON.stringify(new URL('../../dist/runner/evaluate.js', import.meta.url).href);
    const code = `import { ${call} } from ${lib}; try { ${call}(${JSON.stringify(d)}); } catch (e) { console.log(e.format()); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBe(null);
    expect(r.stdout).toBe(FIFO_SENTENCE(join(d, fifo), 'a run file'));
  });
});

describe('readBounded reads regular files only, and at most the limit of them', () => {
  it('a device (a link to /dev/zero): refused before a byte is read', () => {
    const d = tempDir();
    symlinkSync('/dev/zero', join(d, 'z.json'));
    expect(() => readBounded(join(d, 'z.json'), 1 << 20, 'a model file')).toThrow(/^expected a model file \(a regular file\), but found a character device$/);
  });

  it('a socket: refused, said to be one', async () => {
    const d = tempDir();
    const path = join(d, 's.yaml');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(() => readBounded(path, 1 << 20, 'an experiment file')).toThrow(/^expected an experiment file \(a regular file\), but found a socket$/);
    } finally {
      server.close();
    }
  });

  it('a regular file one byte over the limit: refused at the limit; one at it: read', () => {
    const d = tempDir();
    const file = join(d, 'big.yaml');
    writeFileSync(file, '');
    truncateSync(file, (1 << 20) + 1); // sparse: no MiB written
    expect(() => readBounded(file, 1 << 20, 'an experiment file')).toThrow(/^expected an experiment file of at most 1 MiB, but it is larger \(is it the right file\?\)$/);
    truncateSync(file, 1 << 20);
    expect(readBounded(file, 1 << 20, 'an experiment file').length).toBe(1 << 20);
  });
});
