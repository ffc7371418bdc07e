// A resume reads the interrupted run's loss log in pieces (files/losslog.ts logPieces, logText, logRows): hashed,
// copied and read back row by row, never held whole. It read the whole file, decoded it and parsed every row into
// an object before continuing (10^6 rows: hundreds of MB). A resumed run with a log of many pieces writes the bytes
// of the run never interrupted; the rows are read at most one piece ahead of the row given out; the refusals are
// those of before (checkpoint-resume.test.ts: a log changed since its checkpoint, one cut short).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRow, logPieces, logRows, logText, type LogRow } from '../../src/files/losslog.js';
import { cli, tempDirs } from '../helpers/cli.js';
import { runPlan as run } from './resume-helpers.js';

const tempDir = tempDirs('mlplab-resume-stream');
const PIECE = 1 << 16; // losslog.ts: the bytes read at a time

/** XOR logged every epoch for 10,000 epochs (a log of about 330 kB: five pieces and more), a checkpoint every 3,000. */
function longLog(dir: string): string {
  const file = join(dir, 'long.yaml');
  writeFileSync(file, [
    'name: long',
    'seed: 3',
    'data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } }',
    'model: { layers: [{ units: 4, activation: tanh }, { units: 1, activation: sigmoid }] }',
    'loss: binary_cross_entropy',
    'log: { every: 1 }',
    'training: { epochs: 10000, batch_size: 2, optimizer: { type: adam, learning_rate: 0.01 }, checkpoint: { every: 3000 } }',
    '',
  ].join('\n'));
  return file;
}

describe('a resume with a loss log of many pieces', () => {
  it('writes the bytes of the run never interrupted (loss.csv, model.json, loss.svg)', async () => {
    const dir = tempDir();
    const file = longLog(dir);
    const [whole, broken] = [tempDir(), tempDir()];
    expect(await run(file, whole)).toEqual(['completed']);
    expect(await run(file, broken, { stopAfter: 8000 })).toEqual(['interrupted']);
    const cp = JSON.parse(readFileSync(join(broken, 'long.interrupted', 'checkpoint.json'), 'utf8'));
    expect(cp.epoch).toBe(6000);
    expect(cp.log_bytes).toBeGreaterThan(2 * PIECE); // the part copied spans pieces
    expect(await run(file, broken, { resume: true })).toEqual(['completed']);
    for (const name of ['loss.csv', 'model.json', 'loss.svg']) {
      expect(readFileSync(join(broken, 'long', name)).equals(readFileSync(join(whole, 'long', name))), name).toBe(true);
    }
    expect(existsSync(join(broken, 'long.interrupted'))).toBe(false);
  });

  it('a log changed past the first piece since its checkpoint is refused as before, naming loss.csv', async () => {
    const dir = tempDir();
    const file = longLog(dir);
    const out = tempDir();
    expect(await run(file, out, { stopAfter: 4000 })).toEqual(['interrupted']);
    const log = join(out, 'long.interrupted', 'loss.csv');
    const bytes = readFileSync(log);
    let at = PIECE + 10;
    while (!(bytes[at] >= 0x30 && bytes[at] <= 0x38)) at++; // a digit of the second piece, 0 to 8
    bytes[at]++;
    writeFileSync(log, bytes);
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/long\.interrupted\/loss\.csv: cannot resume from this checkpoint: loss\.csv changed since it was written \(the first \d+ bytes, logged to epoch 3000, had SHA-256 [0-9a-f]{12}…, now [0-9a-f]{12}…\)/);
    writeFileSync(log, bytes.subarray(0, 1000)); // cut short
    expect((await cli('run', file, '--out', out, '--resume')).stderr).toMatch(/checkpoint\.json: cannot resume from this checkpoint: its loss\.csv holds 1000 bytes, fewer than the \d+ logged up to its epoch 3000/);
    expect(existsSync(join(out, 'long'))).toBe(false);
  });
});

describe('reading a loss log back', () => {
  /** A log of n rows as LossLogWriter writes it: a header, then csvRow lines. */
  function log(n: number): { file: string; text: string } {
    const columns = ['epoch', 'step', 'train_loss', 'train_accuracy'];
    let text = csvRow(columns);
    for (let e = 0; e < n; e++) text += csvRow([e, 4 * e, Math.exp(-e / 7e4) / 3, (e % 97) / 96]);
    const file = join(tempDir(), 'loss.csv');
    writeFileSync(file, text);
    return { file, text };
  }

  it('10^5 rows, each as the whole text parses it, read at most one piece ahead of the row given out', () => {
    const { file, text } = log(100_000);
    const lines = text.split('\n').filter((l) => l !== '');
    const columns = lines[0].split(',');
    let pulled = 0;
    const counted = function* () {
      for (const piece of logPieces(file, Buffer.byteLength(text))) {
        expect(piece.length).toBeLessThanOrEqual(PIECE);
        pulled++;
        yield piece;
      }
    };
    let k = 0;
    let through = lines[0].length + 1; // bytes of the text up to the end of the row given out
    let most = 0;
    let wrong = 0;
    for (const row of logRows(logText(counted()))) {
      const line = lines[++k];
      through += line.length + 1;
      if (JSON.stringify(row) !== JSON.stringify(Object.fromEntries(line.split(',').map((v, i) => [columns[i], Number(v)])) as LogRow)) wrong++;
      most = Math.max(most, pulled - Math.ceil(through / PIECE)); // pieces read past the one holding this row's end
    }
    expect(k).toBe(100_000);
    expect(wrong).toBe(0);
    expect(pulled).toBe(Math.ceil(Buffer.byteLength(text) / PIECE));
    expect(most).toBeLessThanOrEqual(1);
  });

  it('the first `bytes` bytes only; a character cut between two pieces decoded whole; a last row without its line break', () => {
    const { file, text } = log(10);
    const upTo = text.indexOf('\n', 200) + 1;
    expect(Buffer.concat([...logPieces(file, upTo, 7)]).toString()).toBe(text.slice(0, upTo));
    expect([...logPieces(file, 1e9)].reduce((n, p) => n + p.length, 0)).toBe(text.length); // a shorter file: what it has
    const accented = Buffer.from('epoch,step,é\n0,0,1\n1,4,2');
    const pieces = [...accented].map((b) => Uint8Array.of(b)); // one byte a piece: é cut in two
    expect([...logText(pieces)].join('')).toBe(accented.toString());
    expect([...logRows(logText(pieces))]).toEqual([{ epoch: 0, step: 0, é: 1 }, { epoch: 1, step: 4, é: 2 }]);
  });
});
