// `mlplab export --format onnx`: every shipped experiment's trained model, run by ONNX Runtime for Node on raw
// feature values, gives predict's outputs (≤ 1e-12 relative in float64, ≤ 1e-5 in float32), with inputs and
// outputs named after the features and targets and the class labels in the metadata.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { loadExperiment, loadModel, predict, runExperiment, type ModelFile } from '../../src/index.js';
import { inputRows, maxRelativeError, runOnnx } from './helpers.js';

const quiet: Io = { out: () => {}, err: () => {} };
const EXPERIMENTS = readdirSync('experiments').filter((f) => f.endsWith('.yaml')).sort();

/** Each shipped experiment's base run, trained into a temporary folder: its model and the rows to predict for. */
const trained = new Map<string, { modelFile: string; model: ModelFile; rows: number[][] }>();
const dir = mkdtempSync(join(tmpdir(), 'mlplab-onnx-'));

beforeAll(async () => {
  for (const file of EXPERIMENTS) {
    const exp = loadExperiment(join('experiments', file));
    const name = basename(file, '.yaml');
    const { outDir } = await runExperiment(exp, { outDir: join(dir, name) });
    const modelFile = join(outDir, 'model.json');
    const model = loadModel(modelFile);
    trained.set(name, { modelFile, model, rows: inputRows(exp, model) });
  }
}, 240_000);

async function exported(name: string, dtype: 'float64' | 'float32'): Promise<Uint8Array> {
  const { modelFile } = trained.get(name)!;
  const out = join(dir, `${name}-${dtype}.onnx`);
  expect(await main(['export', modelFile, '--format', 'onnx', '--dtype', dtype, '--out', out], quiet)).toBe(0);
  return readFileSync(out);
}

describe('ONNX export of every shipped experiment, run by ONNX Runtime', () => {
  it.each(EXPERIMENTS.map((f) => basename(f, '.yaml')))('%s: float64 ≤ 1e-12 and float32 ≤ 1e-5 relative to predict', async (name) => {
    const { model, rows } = trained.get(name)!;
    const want = predict(model, rows).outputs;
    const wantRows = rows.map((_, r) => Array.from(want.data.subarray(r * want.cols, (r + 1) * want.cols)));
    const f64 = await runOnnx(await exported(name, 'float64'), rows, 'float64');
    const e64 = maxRelativeError(f64.outputs, wantRows);
    // float32: the same float32 inputs for both (predict on the rows rounded to float32), so the error is the model's.
    const rows32 = rows.map((r) => r.map(Math.fround));
    const want32 = predict(model, rows32).outputs;
    const want32Rows = rows32.map((_, r) => Array.from(want32.data.subarray(r * want32.cols, (r + 1) * want32.cols)));
    const f32 = await runOnnx(await exported(name, 'float32'), rows32, 'float32');
    const e32 = maxRelativeError(f32.outputs, want32Rows);
    console.log(`${name}: ${rows.length} rows, max relative error float64 ${e64.toExponential(2)}, float32 ${e32.toExponential(2)}`);
    expect(e64).toBeLessThanOrEqual(1e-12);
    expect(e32).toBeLessThanOrEqual(1e-5);
    expect(f64.session.inputNames).toEqual(model.features);
    expect(f64.session.outputNames).toEqual(model.targets);
  });
});
