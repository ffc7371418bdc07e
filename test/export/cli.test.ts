// `mlplab export` on the command line: the file goes beside the model (or to --out), through bin/mlplab.js's
// bundle too (onnx-proto is required from node_modules there); usage mistakes exit 2 and bad files exit 1,
// each with a sentence and nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { exportModel, loadExperiment, trainExperiment } from '../../src/index.js';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'mlplab-export-cli-'));
const modelFile = join(dir, 'xor', 'model.json');
beforeAll(() => {
  mkdirSync(join(dir, 'xor'));
  writeFileSync(modelFile, JSON.stringify(trainExperiment(loadExperiment('experiments/xor-softmax.yaml')).model));
});

describe('mlplab export', () => {
  it('writes MODEL.onnx / MODEL.safetensors beside the model by default, or --out FILE, the library\'s bytes', async () => {
    for (const format of ['onnx', 'safetensors'] as const) {
      const io = capture();
      expect(await main(['export', modelFile, '--format', format], io)).toBe(0);
      const file = join(dir, 'xor', `model.${format}`);
      expect(io.stderr).toBe(`wrote ${file}\n`);
      expect(readFileSync(file)).toEqual(Buffer.from(exportModel(JSON.parse(readFileSync(modelFile, 'utf8')), { format })));
    }
    const out = join(dir, 'f32.onnx');
    expect(await main(['export', modelFile, '--format', 'onnx', '--dtype', 'float32', '--out', out, '-q'], capture())).toBe(0);
    const graph = onnxProto.onnx.ModelProto.decode(readFileSync(out)).graph!;
    expect(graph.input!.map((i) => i.type!.tensorType!.elemType)).toEqual([onnxProto.onnx.TensorProto.DataType.FLOAT, onnxProto.onnx.TensorProto.DataType.FLOAT]);
  });

  it('works from bin/mlplab.js (the bundle, onnx-proto outside it)', (ctx) => {
    ctx.skip(!existsSync('dist/mlplab.cjs'), 'dist/mlplab.cjs is missing: run `npm run build` first');
    const out = join(dir, 'bin.onnx');
    const r = spawnSync(process.execPath, ['bin/mlplab.js', 'export', modelFile, '--format', 'onnx', '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out)).toEqual(Buffer.from(exportModel(JSON.parse(readFileSync(modelFile, 'utf8')), { format: 'onnx' })));
  });

  it('refuses usage mistakes (exit 2) and bad files (exit 1) with a sentence, writing nothing', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"format": "mlplab.model/v1"');
    // As a run writes it from a CSV with a feature column "y1" beside the label column "y": the one-hot target "y1" is named so too.
    const clash = { ...JSON.parse(readFileSync(modelFile, 'utf8')), features: ['x1', 'y1'] };
    writeFileSync(join(dir, 'clash.json'), JSON.stringify(clash));
    const cases: [string[], number, RegExp][] = [
      [['export', modelFile], 2, /^export expects --format onnx or --format safetensors\n/],
      [['export', modelFile, '--format', 'tflite'], 2, /^--format expects onnx or safetensors, found "tflite"/],
      [['export', modelFile, '--format', 'onnx', '--dtype', 'float16'], 2, /^--dtype expects float64 or float32, found "float16"/],
      [['export', '--format', 'onnx'], 2, /^export expects one MODEL\.json, found 0 argument\(s\)/],
      [['export', modelFile, modelFile, '--format', 'onnx'], 2, /^export expects one MODEL\.json, found 2 argument\(s\)/],
      [['export', join(dir, 'none.json'), '--format', 'onnx'], 1, /none\.json: cannot read the model file: no such file/],
      [['export', join(dir, 'bad.json'), '--format', 'onnx'], 1, /bad\.json:1:29: cannot read the model file: not valid JSON/],
      [['export', join(dir, 'clash.json'), '--format', 'onnx'], 1, /clash\.json: targets\[0\]: expected names ONNX can give each input and output once, found "y1": it names a feature already\n$/],
      [['export', modelFile, '--format', 'onnx', '--out', join(dir, 'no', 'x.onnx')], 1, /x\.onnx: cannot write --out here: its folder .* does not exist/],
      [['export', modelFile, '--format', 'onnx', '--out', dir], 1, /cannot write --out here: it is a folder; expected a file name/],
    ];
    const before = readdirSync(dir).sort();
    for (const [args, code, message] of cases) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(code);
      expect(io.stderr).toMatch(message);
      expect(io.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
