// `mlplab export --format safetensors` and `model.init.from: FILE.safetensors`: mlplab → safetensors → mlplab
// bit for bit (the file alone, and through init.from with 0 epochs); PyTorch's own state_dict (no metadata,
// float32) loads with model.layers' activations; malformed or foreign files are refused with a sentence; and
// PyTorch itself (Debian's python3-torch, where installed) loads the file into nn.Sequential and gives predict's outputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { exportModel, loadExperiment, predict, trainExperiment, type ModelFile } from '../../src/index.js';
import { modelFromSafetensors, parseSafetensors } from '../../src/files/safetensors.js';
import { Rng } from '../../src/random.js';
import { maxRelativeError, spreadRows } from './helpers.js';
import { userError } from '../data/helpers.js';

/** The user error f throws, as the CLI prints it (file, place, sentence). */
const formattedError = (f: () => unknown): string => userError(f).format();

const dir = mkdtempSync(join(tmpdir(), 'mlplab-safetensors-'));
const quiet: Io = { out: () => {}, err: () => {} };

/** A safetensors file as PyTorch's save_file writes it: F32 tensors, no mlplab metadata. */
function torchFile(tensors: Record<string, { shape: number[]; values: number[] }>, dtype: 'F32' | 'F64' | 'I64' = 'F32'): Uint8Array {
  const size = dtype === 'F32' ? 4 : 8;
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + t.values.length * size] };
    offset += t.values.length * size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors)) {
    for (const v of t.values) {
      if (size === 4) view.setFloat32(at, v, true);
      else view.setFloat64(at, v, true);
      at += size;
    }
  }
  return out;
}

/** Every weight and bias of a equals b's bit for bit (Object.is: -0 is not 0). */
function sameBits(a: ModelFile, b: ModelFile): boolean {
  return a.layers.length === b.layers.length && a.layers.every((l, k) => l.bias.every((v, j) => Object.is(v, b.layers[k].bias[j])) && l.weights.every((row, i) => row.every((v, j) => Object.is(v, b.layers[k].weights[i][j]))));
}

const models = new Map<string, ModelFile>();
beforeAll(() => {
  for (const name of ['iris', 'body', 'xor-original']) models.set(name, trainExperiment(loadExperiment(`experiments/${name}.yaml`)).model!);
  // leaky_relu, which no shipped experiment has: body's network with its hidden layer's activation changed.
  const leaky = structuredClone(models.get('body')!);
  Object.assign(leaky.layers[0], { activation: 'leaky_relu', slope: 0.2 });
  models.set('body-leaky', leaky);
}, 120_000);

describe('safetensors export', () => {
  it('round-trips mlplab → safetensors → mlplab bit for bit, with everything predict needs', () => {
    for (const [name, model] of models) {
      const back = modelFromSafetensors(exportModel(model, { format: 'safetensors' }), `${name}.safetensors`);
      expect(back, name).toEqual(model);
      expect(sameBits(back, model), name).toBe(true);
    }
  });

  it('starts the data 8-byte aligned (a Float64Array over the file reads them) with names of more than one UTF-8 byte too', () => {
    const model = { ...models.get('iris')!, features: ['longueur_sépale', 'largeur_sépale', 'pétale_l', 'pétale_ℓ'] };
    for (const dtype of ['float64', 'float32'] as const) {
      const bytes = exportModel(model, { format: 'safetensors', dtype });
      const start = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      expect(start % 8, dtype).toBe(0);
      const view = dtype === 'float64' ? new Float64Array(bytes.buffer, bytes.byteOffset + start, 4) : new Float32Array(bytes.buffer, bytes.byteOffset + start, 4);
      expect(view[1]).toBe(dtype === 'float64' ? model.layers[0].weights[1][0] : Math.fround(model.layers[0].weights[1][0])); // 0.weight[out=0][in=1]
      expect(modelFromSafetensors(bytes, 'f.safetensors').features).toEqual(model.features);
    }
  });

  it('stores nn.Linear weights (out × in) and biases under nn.Sequential\'s names, the architecture in __metadata__', () => {
    const model = models.get('iris')!;
    const { tensors, metadata } = parseSafetensors(exportModel(model, { format: 'safetensors', dtype: 'float32' }), 'iris.safetensors');
    expect([...tensors.keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(tensors.get('0.weight')!.shape).toEqual([32, 4]);
    expect(tensors.get('2.weight')!.shape).toEqual([3, 32]);
    expect(tensors.get('2.weight')!.values[1 * 32 + 5]).toBe(Math.fround(model.layers[1].weights[5][1])); // W[out=1][in=5]
    expect(JSON.parse(metadata.modules)).toEqual(['Linear(4, 32)', 'ReLU()', 'Linear(32, 3)', 'Softmax(dim=1)']);
    expect(metadata.format).toBe('mlplab.safetensors/v1');
  });

  it('init.from: FILE.safetensors with 0 epochs gives back the exported weights bit for bit (CLI export, then run)', async () => {
    const model = models.get('iris')!;
    writeFileSync(join(dir, 'iris.json'), JSON.stringify(model));
    const file = join(dir, 'iris.safetensors');
    expect(await main(['export', join(dir, 'iris.json'), '--format', 'safetensors', '--out', file], quiet)).toBe(0);
    const exp = loadExperiment('experiments/iris.yaml', { set: [`model.init={from: ${file}}`, 'training.epochs=0'] });
    expect(sameBits(trainExperiment(exp).model!, model)).toBe(true);
  });

  it("init.from PyTorch's own state_dict (float32, no metadata): the activations are model.layers'", () => {
    const rng = new Rng(5);
    const values = (n: number) => Array.from({ length: n }, () => rng.normal(0, 1));
    const tensors = { 'net.0.weight': { shape: [3, 2], values: values(6) }, 'net.0.bias': { shape: [3], values: values(3) }, 'net.2.weight': { shape: [2, 3], values: values(6) }, 'net.2.bias': { shape: [2], values: values(2) } };
    const file = join(dir, 'torch.safetensors');
    writeFileSync(file, torchFile(tensors));
    const exp = loadExperiment('experiments/xor-softmax.yaml', { set: [`model.init={from: ${file}}`, 'training.epochs=0', 'model.layers.0.units=3'] });
    const model = trainExperiment(exp).model!;
    expect(model.layers.map((l) => l.activation)).toEqual(['tanh', 'softmax']);
    expect(model.layers[0].weights[1][2]).toBe(Math.fround(tensors['net.0.weight'].values[2 * 2 + 1])); // torch W[out=2][in=1]
    expect(model.layers[1].bias).toEqual(tensors['net.2.bias'].values.map(Math.fround));
  });

  it('refuses malformed and foreign files with a sentence naming the file', () => {
    const ok = { '0.weight': { shape: [2, 2], values: [1, 2, 3, 4] }, '0.bias': { shape: [2], values: [0, 0] } };
    const spec = { layers: [{ units: 2, activation: 'softmax' as const }], loss: 'cross_entropy' as const };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(5), /f\.safetensors: not a safetensors file: 5 bytes, shorter than the 8-byte header length/],
      [torchFile(ok).subarray(0, 40), /not a safetensors file: the header length \d+ is beyond the file's 40 bytes/],
      [torchFile(ok).subarray(0, torchFile(ok).length - 4), /tensor "0.bias": data_offsets \[16,24\] do not hold 2 F32 values within the file/],
      [torchFile(ok, 'I64'), /tensor "0.weight": expected dtype F64 or F32, found "I64"/],
      [torchFile({ ...ok, '1.running_mean': { shape: [2], values: [0, 0] } }), /expected only the weight and bias of nn.Sequential's Linear layers .*found "1.running_mean"/],
      [torchFile({ '0.weight': ok['0.weight'] }), /"0.weight" has no "0.bias"/],
      [torchFile({ ...ok, '1.weight': ok['0.weight'], '1.bias': ok['0.bias'] }), /expected 1 Linear layers \(softmax\), found 2/],
    ];
    const header = (text: string) => new Uint8Array([...new Uint8Array(new BigUint64Array([BigInt(text.length)]).buffer), ...new TextEncoder().encode(text)]);
    cases.push([header('{"__metadata__": null}'), /not a safetensors file: __metadata__ is not an object of strings, found null/]);
    cases.push([header('[1, 2]'), /not a safetensors file: the header is not a JSON object/]);
    // An offset before the data section would read the header's bytes as weights.
    cases.push([header('{"0.weight": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}'), /tensor "0.weight": data_offsets \[-8,0\] do not hold 2 F32 values within the file/]);
    cases.push([header('{"__metadata__": {"format": "mlplab.safetensors/v1", "layers": "[null]"}}'), /^f\.safetensors: __metadata__\.layers: expected a list of layers .*found null at \[0\]$/]);
    cases.push([header('{"0.weight": '), /not a safetensors file: the header is not JSON/]);
    for (const [bytes, message] of cases) expect(formattedError(() => modelFromSafetensors(bytes, 'f.safetensors', spec))).toMatch(message);
    expect(formattedError(() => modelFromSafetensors(torchFile(ok), 'f.safetensors'))).toMatch(/^f\.safetensors: no __metadata__ naming the layers' activations/);
  });

  it("init.from refuses a leaky_relu slope other than model.layers' (the file's would train in its place)", () => {
    const leaky = models.get('body-leaky')!; // hidden leaky_relu, slope 0.2
    const json = join(dir, 'body-leaky.json');
    writeFileSync(json, JSON.stringify(leaky));
    const st = join(dir, 'body-leaky.safetensors');
    writeFileSync(st, exportModel(leaky, { format: 'safetensors' }));
    const hidden = leaky.layers[0].units;
    for (const file of [json, st]) {
      const set = [`model.init={from: ${file}}`, 'training.epochs=0', 'model.layers.0.activation=leaky_relu'];
      expect(formattedError(() => trainExperiment(loadExperiment('experiments/body.yaml', { set })))).toMatch(
        new RegExp(`model\\.init\\.from: the layers of .*body-leaky\\.\\w+ do not match model\\.layers: expected \\[${hidden} leaky_relu \\(slope 0\\.01\\), .*\\], found \\[${hidden} leaky_relu \\(slope 0\\.2\\), `),
      );
      expect(sameBits(trainExperiment(loadExperiment('experiments/body.yaml', { set: [...set, 'model.layers.0.slope=0.2'] })).model!, leaky)).toBe(true);
    }
  });

  it('init.from names the experiment key when the file does not fit model.layers', () => {
    const file = join(dir, 'iris-for-xor.safetensors');
    writeFileSync(file, exportModel(models.get('iris')!, { format: 'safetensors' }));
    const exp = loadExperiment('experiments/xor-softmax.yaml', { set: [`model.init={from: ${file}}`] });
    expect(formattedError(() => trainExperiment(exp))).toMatch(/xor-softmax\.yaml:\d+:\d+: model\.init\.from: the layers of .*iris-for-xor\.safetensors do not match model\.layers: expected \[2 tanh, 2 softmax\], found \[32 relu, 3 softmax\]/);
  });
});

/** Debian's python3 with torch, where installed (the pyenv python3 on PATH has no torch). */
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
const why = hasTorch ? '' : ` (SKIPPED: ${PYTHON} has no torch and numpy; apt-get install python3-torch python3-numpy)`;
if (!hasTorch) console.warn(`test/export/safetensors.test.ts: PyTorch oracle skipped: ${PYTHON} cannot import torch and numpy`);

describe.skipIf(!hasTorch)(`PyTorch loads the export into nn.Sequential (scripts/oracles/torch-safetensors.py)${why}`, () => {
  it("iris, body, xor-original, body with leaky_relu: torch's outputs equal predict's (≤ 1e-12 relative in float64, ≤ 1e-5 in float32)", () => {
    const jobs = [...models].flatMap(([name, model]) =>
      (['float64', 'float32'] as const).map((dtype) => {
        const file = join(dir, `${name}-${dtype}.safetensors`);
        writeFileSync(file, exportModel(model, { format: 'safetensors', dtype }));
        return { name, dtype, model, file, rows: spreadRows(model, 200, 9) };
      }),
    );
    const jobsFile = join(dir, 'jobs.json');
    writeFileSync(jobsFile, JSON.stringify(jobs.map((j) => ({ model: j.file, rows: j.rows }))));
    const r = spawnSync(PYTHON, ['scripts/oracles/torch-safetensors.py', jobsFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    const results: { outputs: number[][]; modules: string[] }[] = JSON.parse(r.stdout);
    jobs.forEach(({ name, dtype, model, rows }, k) => {
      const m = predict(model, rows).outputs;
      const want = rows.map((_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
      const error = maxRelativeError(results[k].outputs, want);
      console.log(`${name} ${dtype}: PyTorch vs predict, max relative error ${error.toExponential(2)}; ${results[k].modules.join(', ')}`);
      expect(error, `${name} ${dtype}`).toBeLessThanOrEqual(dtype === 'float64' ? 1e-12 : 1e-5);
    });
  });
});

it('the oracle script is the committed one', () => {
  expect(readFileSync('scripts/oracles/torch-safetensors.py', 'utf8')).toContain('load_state_dict(tensors, strict=True)');
});
