// `mlplab export` and the library's exportModelFile never write over their input: --out naming the model file
// (by the same path, another spelling of it, or a hard link) is refused before any work with the sentence
// predict and evaluate give, exit 1, the model file unchanged; both paths give the same message.
import { linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModelFile, loadExperiment, trainExperiment } from '../../src/index.js';
import { UserError } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { removeTemps, tempDir, XOR } from '../runs/spawn.js';

afterAll(removeTemps);

let dir: string;
let model: string;
let bytes: Buffer;
beforeAll(() => {
  dir = tempDir();
  model = join(dir, 'm.json');
  const text = readFileSync(XOR, 'utf8').replace('epochs: 2000', 'epochs: 5');
  writeFileSync(join(dir, 'x.yaml'), text);
  writeFileSync(model, JSON.stringify(trainExperiment(loadExperiment(join(dir, 'x.yaml'))).model));
  bytes = readFileSync(model);
});

const SAME = (out: string, input: string) => `${out}: cannot write --out here: it is also an input of this command (${input}); write the output to another file`;

describe('export --out its own model file: refused, the model unchanged', () => {
  const outs = () => [
    ['the same path', model],
    ['another spelling of the path', join(dir, '.', 'sub', '..', 'm.json')],
    ['a hard link to it', join(dir, 'h.json')],
  ];
  beforeAll(() => linkSync(model, join(dir, 'h.json')));

  for (const format of ['onnx', 'safetensors'] as const) {
    it(`the CLI (--format ${format}): exit 1, a sentence, nothing written`, async () => {
      for (const [what, out] of outs()) {
        const r = await cli('export', model, '--format', format, '--out', out);
        expect(r, what).toEqual({ code: 1, stdout: '', stderr: `${SAME(out, model)}\n` });
        expect(readFileSync(model).equals(bytes), what).toBe(true);
      }
    });

    it(`the library (exportModelFile, ${format}): the same UserError`, () => {
      for (const [what, out] of outs()) {
        let error: unknown;
        try {
          exportModelFile(model, { format, out });
        } catch (e) {
          error = e;
        }
        expect(error, what).toBeInstanceOf(UserError);
        expect((error as UserError).format(), what).toBe(SAME(out, model));
        expect((error as UserError).code, what).toBe('io'); // exit 1, as the CLI's
        expect(readFileSync(model).equals(bytes), what).toBe(true);
      }
    });
  }

  it('another --out is still written', async () => {
    const r = await cli('export', model, '--format', 'safetensors', '--out', join(dir, 'other.safetensors'), '-q');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
