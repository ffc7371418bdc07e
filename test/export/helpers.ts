// What the export tests share: inputs for a model (the raw rows of its experiment's data and rows spread
// over its feature scaling), ONNX Runtime's outputs for an exported model, and relative error.
import * as ort from 'onnxruntime-node';
import { invertScaler } from '../../src/data/preprocess.js';
import type { ModelFile } from '../../src/files/modelfile.js';
import type { LoadedExperiment } from '../../src/config/load.js';
import { prepare } from '../../src/runner/prepare.js';
import { Rng } from '../../src/random.js';

/** The experiment's own rows (train, validation, test), back in raw units, and 100 rows over ±4 scales. */
export function inputRows(exp: LoadedExperiment, model: ModelFile): number[][] {
  const { data } = prepare(exp);
  const rows: number[][] = [];
  for (const part of [data.train, data.validation, data.test]) {
    if (!part) continue;
    const x = invertScaler(data.scaler, { ...part.x, data: Float64Array.from(part.x.data) });
    for (let r = 0; r < x.rows; r++) rows.push(Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)));
  }
  return [...rows, ...spreadRows(model, 100, 1)];
}

/** n rows drawn uniformly over offset ± 4·scale of each feature (offset 0, scale 1 without scaling). */
export function spreadRows(model: ModelFile, n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const p = model.preprocess;
  return Array.from({ length: n }, () => Array.from({ length: model.inputs }, (_, c) => (p?.offset[c] ?? 0) + (p?.scale[c] ?? 1) * rng.uniform(-4, 4)));
}

/** ONNX Runtime's outputs (rows × outputs, in the graph's output order) for the exported bytes. */
export async function runOnnx(bytes: Uint8Array, rows: number[][], dtype: 'float64' | 'float32'): Promise<{ outputs: number[][]; session: ort.InferenceSession }> {
  const session = await ort.InferenceSession.create(bytes);
  const column = (i: number) => (dtype === 'float64' ? Float64Array.from(rows, (r) => r[i]) : Float32Array.from(rows, (r) => r[i]));
  const feeds = Object.fromEntries(session.inputNames.map((name, i) => [name, new ort.Tensor(dtype, column(i), [rows.length, 1])]));
  const result = await session.run(feeds);
  const columns = session.outputNames.map((name) => result[name].data as Float64Array | Float32Array);
  return { outputs: rows.map((_, r) => columns.map((c) => c[r])), session };
}

/**
 * The largest |got − want| over an output column, divided by the column's largest |want|: the error relative to
 * the output's size. NOTE: not value by value: a softmax probability of 1e-40 is 0 in float32, and an output near
 * 0 through cancellation (xor-relu's 1e-11) has a relative error as large as its rounding makes it.
 */
export function maxRelativeError(got: readonly (readonly number[])[], want: readonly (readonly number[])[]): number {
  let worst = 0;
  const cols = want[0]?.length ?? 0;
  for (let c = 0; c < cols; c++) {
    let size = 0;
    let diff = 0;
    want.forEach((row, r) => {
      if (got[r].length !== row.length) throw new Error(`row ${r}: ${got[r].length} values, expected ${row.length}`);
      size = Math.max(size, Math.abs(row[c]));
      const d = Math.abs(got[r][c] - row[c]);
      if (!(d <= diff)) diff = d; // NaN sticks
    });
    const e = diff === 0 ? 0 : diff / size;
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
