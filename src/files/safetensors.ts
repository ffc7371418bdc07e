// A model file as safetensors, and back: each layer's weight in PyTorch's nn.Linear layout (out × in) and its
// bias, named as in torch.nn.Sequential(Linear, activation, Linear, …) ("0.weight", "0.bias", "2.weight", …;
// a linear layer adds no activation module), with the architecture and what predict needs in the header's
// __metadata__ (strings: JSON values). Reading takes such a file, or PyTorch's own state_dict saved with
// safetensors (no metadata: the activations then come from the caller, an experiment's model.layers).
// Hand-written: the format is an 8-byte length, a JSON header and the raw little-endian data; no maintained npm
// package writes it for Node without a native or WebAssembly build of the Rust crate.

import { UserError } from '../errors.js';
import type { ActivationName } from '../model/activations.js';
import type { LossName } from '../model/losses.js';
import { sha256 } from './hash.js';
import { checkModelFile } from './modelcheck.js';
import { READ_LIMITS, readBoundedBytes } from './safefs.js';
import { MODEL_FORMAT, type ModelFile, type ModelLayer } from './modelfile.js';
import type { ExportDtype } from './exportformats.js';

/** __metadata__.format of a file mlplab wrote. */
const SAFETENSORS_FORMAT = 'mlplab.safetensors/v1';

/** PyTorch's module for each activation, as the metadata's `modules` line shows it (linear: none). */
const TORCH_MODULES: Readonly<Record<ActivationName, string | null>> = {
  linear: null,
  sigmoid: 'Sigmoid()',
  tanh: 'Tanh()',
  relu: 'ReLU()',
  leaky_relu: 'LeakyReLU(negative_slope)',
  softmax: 'Softmax(dim=1)',
};

/** The Sequential's modules and the index of each layer's Linear among them. */
function torchModules(model: Pick<ModelFile, 'inputs' | 'layers'>): { modules: string[]; linear: number[] } {
  const modules: string[] = [];
  const linear: number[] = [];
  let nIn = model.inputs;
  for (const l of model.layers) {
    linear.push(modules.length);
    modules.push(`Linear(${nIn}, ${l.units})`);
    const act = TORCH_MODULES[l.activation];
    if (act) modules.push(act.replace('negative_slope', `negative_slope=${l.slope ?? 0.01}`));
    nIn = l.units;
  }
  return { modules, linear };
}

/** The model as safetensors bytes: F64 (bit for bit) or F32 tensors. */
export function safetensorsBytes(model: ModelFile, dtype: ExportDtype = 'float64'): Uint8Array {
  const { modules, linear } = torchModules(model);
  const size = dtype === 'float64' ? 8 : 4;
  const tensors: { name: string; shape: number[]; values: number[] }[] = [];
  model.layers.forEach((l, k) => {
    const nIn = l.weights.length;
    const w: number[] = [];
    for (let j = 0; j < l.units; j++) for (let i = 0; i < nIn; i++) w.push(l.weights[i][j]); // (out × in)
    tensors.push({ name: `${linear[k]}.weight`, shape: [l.units, nIn], values: w }, { name: `${linear[k]}.bias`, shape: [l.units], values: l.bias });
  });
  const { format: _, layers, ...rest } = model;
  const meta: Record<string, string> = { format: SAFETENSORS_FORMAT, modules: JSON.stringify(modules) };
  meta.layers = JSON.stringify(layers.map(({ weights: _w, bias: _b, ...spec }) => spec));
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) meta[key] = JSON.stringify(value);
  const header: Record<string, unknown> = { __metadata__: meta };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: size === 8 ? 'F64' : 'F32', shape: t.shape, data_offsets: [offset, offset + t.values.length * size] };
    offset += t.values.length * size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // The data start 8-byte aligned, as safetensors writes them: padded by the header's UTF-8 bytes (not its
  // characters: a feature or class named "é" is 2 bytes), with spaces, which the format allows after the JSON.
  const headerBytes = new Uint8Array(json.length + ((8 - ((8 + json.length) % 8)) % 8)).fill(0x20);
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    for (const v of t.values) {
      if (size === 8) view.setFloat64(at, v, true);
      else view.setFloat32(at, v, true);
      at += size;
    }
  }
  return out;
}

interface Tensor {
  shape: number[];
  values: Float64Array;
}

/** The header's tensors (F64 or F32, read as float64) and metadata; a malformed file is a UserError. */
export function parseSafetensors(bytes: Uint8Array, file: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  const bad = (why: string) => new UserError('model_format', `not a safetensors file: ${why}`, { file });
  if (bytes.length < 8) throw bad(`${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) throw bad(`the header length ${n} is beyond the file's ${bytes.length} bytes`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(n))));
  } catch (e) {
    throw bad(`the header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('the header is not a JSON object');
  const start = 8 + Number(n);
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(`__metadata__ is not an object of strings, found ${JSON.stringify(entry)}`);
      metadata = entry as Record<string, string>;
      continue;
    }
    tensors.set(name, tensorAt(bytes, view, start, name, entry, bad));
  }
  return { tensors, metadata };
}

/** One tensor of the header, its values read from the data section. */
function tensorAt(bytes: Uint8Array, view: DataView, start: number, name: string, entry: unknown, bad: (why: string) => UserError): Tensor {
  const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (dtype !== 'F64' && dtype !== 'F32') throw bad(`tensor "${name}": expected dtype F64 or F32, found ${JSON.stringify(dtype)}`);
  const dims = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0) ? (shape as number[]) : null;
  if (!dims) throw bad(`tensor "${name}": expected a shape of whole numbers, found ${JSON.stringify(shape)}`);
  const size = dtype === 'F64' ? 8 : 4;
  const count = dims.reduce((a, b) => a * b, 1);
  const [begin, end] = Array.isArray(offsets) ? (offsets as number[]) : [];
  if (!(Number.isSafeInteger(begin) && begin >= 0 && end === begin + count * size && start + end <= bytes.length)) {
    throw bad(`tensor "${name}": data_offsets ${JSON.stringify(offsets)} do not hold ${count} ${dtype} values within the file`);
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = size === 8 ? view.getFloat64(start + begin + i * 8, true) : view.getFloat32(start + begin + i * 4, true);
  return { shape: dims, values };
}

/** The Linear layers' weight and bias names in order: "<prefix><index>.weight" by index (PyTorch's Sequential). */
function linearNames(tensors: Map<string, Tensor>, file: string): string[] {
  const fail = (why: string) => new UserError('model_format', why, { file });
  const found = [...tensors.keys()].map((name) => /^(.*?)(\d+)\.(weight|bias)$/.exec(name));
  const other = [...tensors.keys()].filter((_, i) => found[i] === null);
  if (other.length > 0) throw fail(`expected only the weight and bias of nn.Sequential's Linear layers ("0.weight", "0.bias", …), found ${other.map((o) => `"${o}"`).join(', ')}`);
  const weights = found.filter((m) => m![3] === 'weight').map((m) => ({ prefix: m![1], index: Number(m![2]) }));
  weights.sort((a, b) => a.index - b.index);
  if (weights.length === 0) throw fail('expected the weights of at least one Linear layer ("0.weight"), found none');
  const names = weights.map((w) => `${w.prefix}${w.index}`);
  for (const base of names) if (!tensors.has(`${base}.bias`)) throw fail(`"${base}.weight" has no "${base}.bias": mlplab's layers all have a bias`);
  if (tensors.size !== names.length * 2) throw fail('expected one "N.bias" per "N.weight", found a bias without its weight');
  return names;
}

/** The layers' activations: the file's own (mlplab metadata), else the caller's. */
type LayerSpec = Pick<ModelLayer, 'units' | 'activation' | 'slope'>;

/**
 * A model file from safetensors bytes: mlplab's own export in full, or PyTorch's state_dict of a Sequential of
 * Linear layers, taking the activations (and slopes) from `layers` and the loss from `loss`. Checked as any model file.
 */
export function modelFromSafetensors(bytes: Uint8Array, file: string, fallback?: { layers: readonly LayerSpec[]; loss: LossName }): ModelFile {
  const { tensors, metadata } = parseSafetensors(bytes, file);
  const meta = (key: string): unknown => {
    if (typeof metadata[key] !== 'string') return undefined;
    try {
      return JSON.parse(metadata[key]);
    } catch {
      throw new UserError('model_format', `__metadata__.${key}: expected a JSON value as text, found ${JSON.stringify(metadata[key]).slice(0, 60)}`, { file });
    }
  };
  const own = metadata.format === SAFETENSORS_FORMAT;
  const specs = (own ? meta('layers') : fallback?.layers) as LayerSpec[] | undefined;
  if (!Array.isArray(specs)) throw new UserError('model_format', 'no __metadata__ naming the layers\' activations (a file mlplab exported has them), and none were given', { file });
  const notLayer = specs.findIndex((s) => typeof s !== 'object' || s === null || Array.isArray(s));
  if (notLayer >= 0) throw new UserError('model_format', `__metadata__.layers: expected a list of layers ({"units", "activation"}), found ${JSON.stringify(specs[notLayer])} at [${notLayer}]`, { file });
  const names = linearNames(tensors, file);
  if (names.length !== specs.length) throw new UserError('model_format', `expected ${specs.length} Linear layers (${specs.map((s) => s.activation).join(', ')}), found ${names.length}`, { file });
  const layers = names.map((base, k): ModelLayer => {
    const w = tensors.get(`${base}.weight`)!;
    const [out, nIn] = w.shape.length === 2 ? w.shape : [NaN, NaN]; // units from the file: init.from compares them
    if (!(out >= 0)) throw new UserError('model_format', `"${base}.weight": expected a 2-dimensional (out × in) weight, found shape [${w.shape.join(', ')}]`, { file });
    const weights = Array.from({ length: nIn }, (_, i) => Array.from({ length: out }, (_, j) => w.values[j * nIn + i]));
    const layer: ModelLayer = { units: out, activation: specs[k].activation, weights, bias: Array.from(tensors.get(`${base}.bias`)!.values) };
    if (specs[k].activation === 'leaky_relu') layer.slope = specs[k].slope ?? 0.01;
    return layer;
  });
  const extra: Record<string, unknown> = {};
  if (own) for (const key of Object.keys(metadata)) if (!['format', 'modules', 'layers'].includes(key)) extra[key] = meta(key);
  const inputs = layers[0].weights.length;
  return checkModelFile({ format: MODEL_FORMAT, inputs, loss: fallback?.loss, ...extra, layers }, file);
}

/**
 * Reads a .safetensors file as a model file (modelFromSafetensors); a missing file is an 'io' UserError. Read as a
 * model file is (safefs.ts readBoundedBytes): a regular file only, never a FIFO (waited on forever) or a device
 * such as /dev/zero (read without end), and at most READ_LIMITS.model bytes. `onRead` is told the SHA-256 of the
 * bytes read.
 */
export function readSafetensorsModel(file: string, fallback?: { layers: readonly LayerSpec[]; loss: LossName }, onRead?: (sha256: string) => void): ModelFile {
  let bytes: Uint8Array;
  try {
    bytes = readBoundedBytes(file, READ_LIMITS.model, 'a safetensors file');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(err.code === 'ENOENT' ? 'io' : 'model_format', `cannot read the safetensors file: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { file });
  }
  onRead?.(sha256(bytes));
  return modelFromSafetensors(bytes, file, fallback);
}
