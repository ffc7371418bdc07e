// A .safetensors file named by init.from is read as a model file is (files/safetensors.ts through safefs.ts
// readBoundedBytes): only a regular file, at most READ_LIMITS.model bytes. A FIFO (opening it waited forever), a
// link to /dev/zero (read without end) or a file over the limit ends at once with a sentence located at
// init.from, exit 1. The FIFO case spawns the bin with a timeout, so that a regression fails instead of hanging.
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { READ_LIMITS } from '../../src/files/safefs.js';
import { cli } from '../helpers/cli.js';
import { BIN, removeTemps, tempDir, XOR } from '../runs/spawn.js';

afterAll(removeTemps);

describe('init.from a .safetensors file that is not a regular file, or too large', () => {
  /** An experiment starting from `from`, beside a .safetensors named so; the line:column of its init.from value. */
  function fromExperiment(name: string): { file: string; place: string } {
    const d = tempDir();
    const text = readFileSync(XOR, 'utf8').replace('init: { scheme: xavier_uniform }', `init: { from: ${name} }`).replace('epochs: 2000', 'epochs: 5');
    const file = join(d, 'x.yaml');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes(`from: ${name}`));
    return { file, place: `${file}:${line + 1}:${text.split('\n')[line].indexOf(name) + 1}` };
  }

  it('a FIFO: exit 1 at once, located at init.from', () => {
    const { file, place } = fromExperiment('f.safetensors');
    expect(spawnSync('mkfifo', [join(file, '..', 'f.safetensors')]).status).toBe(0);
    const r = spawnSync(process.execPath, [BIN, 'run', file, '--out', join(file, '..', 'out'), '--quiet'], { encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(`${place}: model.init.from: f.safetensors: expected a safetensors file (a regular file), but found a named pipe (FIFO)\n`);
    expect(r.status).toBe(1);
  });

  it('a model .json a FIFO: the same, not "model file not found"', () => {
    const { file, place } = fromExperiment('f.json');
    expect(spawnSync('mkfifo', [join(file, '..', 'f.json')]).status).toBe(0);
    const r = spawnSync(process.execPath, [BIN, 'validate', file], { encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBe(null);
    expect(r.stderr).toBe(`${place}: model.init.from: f.json: expected a model file (a regular file), but found a named pipe (FIFO)\n`);
    expect(r.status).toBe(1);
  });

  it('a link to /dev/zero: exit 1 before a byte is read', async () => {
    const { file, place } = fromExperiment('z.safetensors');
    symlinkSync('/dev/zero', join(file, '..', 'z.safetensors'));
    const r = await cli('validate', file);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${place}: model.init.from: z.safetensors: expected a safetensors file (a regular file), but found a character device\n` });
  });

  it('a regular file over the limit: exit 1, the limit said', async () => {
    const { file, place } = fromExperiment('big.safetensors');
    const big = join(file, '..', 'big.safetensors');
    writeFileSync(big, '');
    truncateSync(big, READ_LIMITS.model + 1); // sparse: nothing written
    const r = await cli('validate', file);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${place}: model.init.from: big.safetensors: expected a safetensors file of at most 256 MiB, but it is larger (is it the right file?)\n` });
  });
});
