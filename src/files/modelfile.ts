// The model file, format mlplab.model/v1: the layers' weights (inputs × units, row i = input i) and biases as
// plain JSON numbers (which round-trip float64 exactly), plus what prediction needs: feature names, the
// fitted preprocessing and the class names. Reading checks every field (modelcheck.ts; schema in modelschema.ts).

import { badArgument, systemReason, UserError } from '../errors.js';
import type { LossName } from '../model/losses.js';
import { createNetwork, type Network } from '../model/network.js';
import { checkJsonText, placeAt } from './jsonscan.js';
import { checkModelFile } from './modelcheck.js';
import { MODEL_FORMAT, type ModelFile, type ModelLayer } from './modelschema.js';
import { sha256 } from './hash.js';
import { READ_LIMITS, readBoundedBytes } from './safefs.js';

export { MODEL_FORMAT, type ModelFile, type ModelLayer } from './modelschema.js';

/** The model file of a trained network, with what prediction needs. */
export function toModelFile(net: Network, loss: LossName, extra: Omit<ModelFile, 'format' | 'inputs' | 'loss' | 'layers'>): ModelFile {
  const layers = net.layers.map((l): ModelLayer => {
    const weights: number[][] = [];
    for (let i = 0; i < l.nIn; i++) weights.push(Array.from(l.w.subarray(i * l.nOut, (i + 1) * l.nOut)));
    const layer: ModelLayer = { units: l.nOut, activation: l.activation, weights, bias: Array.from(l.b) };
    if (l.activation === 'leaky_relu') layer.slope = l.slope;
    return layer;
  });
  return { format: MODEL_FORMAT, inputs: net.inputs, loss, layers, ...extra };
}

/**
 * JSON.stringify(model) + '\n' in pieces of about `piece` characters, so a large model is written without its whole
 * text held at once (mnist-shape's is 2 MB, and as much again encoded for the write).
 */
export function* modelJsonPieces(model: ModelFile, piece = 1 << 16): Generator<string> {
  let text = '';
  for (const s of jsonParts(model)) {
    text += s;
    if (text.length < piece) continue;
    yield text;
    text = '';
  }
  yield text + '\n';
}

/** JSON.stringify(v) in parts: objects key by key and arrays of objects (or arrays) item by item; the rest whole. */
function* jsonParts(v: unknown): Generator<string> {
  if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null) {
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? '[' : ',';
      yield* jsonParts(v[i]);
    }
    yield ']';
  } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    let sep = '{';
    for (const [key, value] of Object.entries(v)) {
      if (value === undefined) continue; // as JSON.stringify leaves it out
      yield `${sep}${JSON.stringify(key)}:`;
      yield* jsonParts(value);
      sep = ',';
    }
    yield sep === '{' ? '{}' : '}';
  } else {
    yield JSON.stringify(v);
  }
}

/**
 * Reads and checks a model file; every problem is a UserError naming the file (and the key path). `onRead` is
 * told the SHA-256 of the bytes read (run.json's record of an init.from file, from this one read).
 */
export function readModelFile(file: string, onRead?: (sha256: string) => void): ModelFile {
  if (typeof file !== 'string') badArgument('loadModel', 'the model file', 'a path (a string)', file);
  let value: unknown;
  let text = '';
  try {
    const bytes = readBoundedBytes(file, READ_LIMITS.model, 'a model file');
    onRead?.(sha256(bytes));
    text = bytes.toString('utf8').replace(/^\uFEFF/, ''); // a byte-order mark (a Windows editor's), dropped as CSV files' is
    checkNotBinary(text, file);
    checkJsonText(text, file, 'model_format', 'the model file');
    value = JSON.parse(text);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err instanceof SyntaxError ? `not valid JSON (${err.message})` : systemReason(err);
    // JSON.parse says where by character offset ("at position 10"): said as the file's line and column.
    const at = err instanceof SyntaxError ? /at position (\d+)/.exec(err.message) : null;
    const place = at ? placeAt(text, Number(at[1]), file) : { file };
    throw new UserError(err.code === 'ENOENT' ? 'io' : 'model_format', `cannot read the model file: ${why}`, place);
  }
  return checkModelFile(value, file);
}

/**
 * A file that starts as no text does (control characters, bytes that are not UTF-8: an export, an archive) is said
 * so, instead of JSON.parse's message, which quotes those bytes to the terminal.
 */
function checkNotBinary(text: string, file: string): void {
  const head = text.slice(0, 64);
  if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(head)) return;
  const exported = /\.(safetensors|onnx)$/i.test(file) ? ' (an export, which predict, evaluate and export do not read: give the model.json it was made from)' : '';
  throw new UserError('model_format', `cannot read the model file: expected JSON text (${MODEL_FORMAT}), found binary data${exported}`, { file });
}

/** The network stored in a model file. */
export function networkFromModel(m: ModelFile): Network {
  const net = createNetwork(m.inputs, m.layers);
  m.layers.forEach((l, k) => {
    l.weights.forEach((row, i) => net.layers[k].w.set(row, i * l.units));
    net.layers[k].b.set(l.bias);
  });
  return net;
}
