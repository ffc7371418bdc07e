// A model file as an ONNX model (opset 13), encoded with onnx-proto (the official onnx.proto compiled by
// protobufjs): raw feature values in, predict's outputs out. The graph takes one [N, 1] input per feature, named
// after it, concatenates them, applies the stored feature scaling (Sub, Div), each layer as Gemm and its activation,
// the inverse target scaling for regression (Mul, Add), and gives one [N, 1] output per target column, named after
// it. Class labels, features, targets, loss and threshold are in metadata_props as JSON. It leaves out a
// "predicted class" output: predict's class is the argmax (or threshold) of these outputs, named in metadata.

import { createRequire } from 'node:module';
import type OnnxProto from 'onnx-proto';
import { UserError } from '../errors.js';
import type { onnx as proto } from 'onnx-proto';
import type { ActivationName } from '../model/activations.js';
import type { Scaler } from '../data/preprocess.js';
import type { ExportDtype } from './exportformats.js';
import type { ModelFile } from './modelfile.js';

/**
 * onnx-proto's classes, required on first use. NOTE: not imported: the CLI bundle would then hold (or load at every
 * start) 350 KB of generated protobuf code, and a dynamic import() made esbuild wrap every module the export reaches
 * in a lazy initializer, the training loop's among them.
 */
let loaded: typeof OnnxProto.onnx | undefined;
const onnxClasses = (): typeof OnnxProto.onnx => (loaded ??= (createRequire(import.meta.url)('onnx-proto') as typeof OnnxProto).onnx);


/** The opset the graph is written for: Softmax over one axis and Split with a `split` input are opset 13's. */
const ONNX_OPSET = 13;

/**
 * Names of the inputs (one per feature) and outputs (one per output column) of an exported model. ONNX defines each
 * name once, so a name given twice (a feature column "species=x" beside the label column "species", whose one-hot
 * target is named so too), an empty name or one of the graph's own mlplab/… names is a UserError at the key that holds it.
 */
function onnxNames(model: ModelFile): { inputs: string[]; outputs: string[] } {
  const units = model.layers[model.layers.length - 1].units;
  const names = {
    inputs: model.features ?? Array.from({ length: model.inputs }, (_, i) => `x${i + 1}`),
    outputs: model.targets ?? Array.from({ length: units }, (_, c) => `y${c + 1}`),
  };
  const all = [...names.inputs, ...names.outputs];
  const k = all.findIndex((name, i) => name === '' || name.startsWith('mlplab/') || all.indexOf(name) < i);
  if (k >= 0) {
    const key = k < names.inputs.length ? `features[${k}]` : `targets[${k - names.inputs.length}]`;
    const first = all.indexOf(all[k]);
    const own = all[k] === '' ? 'ONNX reads an empty name as "no value"' : 'the graph\'s own values are named mlplab/…';
    const why = first === k ? own : `it names ${first < names.inputs.length ? 'a feature' : 'a target'} already`;
    throw new UserError('model_format', `expected names ONNX can give each input and output once, found ${JSON.stringify(all[k])}: ${why}`, { path: key });
  }
  return names;
}

/** Builds the graph's nodes and constants, naming intermediate values mlplab/… (never a column's name). */
class GraphBuilder {
  readonly nodes: proto.INodeProto[] = [];
  readonly initializers: proto.ITensorProto[] = [];
  private count = 0;

  constructor(private readonly dtype: ExportDtype) {}

  /** A constant tensor of the model's element type, little-endian raw data. */
  constant(name: string, values: readonly number[], dims: number[]): string {
    const f64 = this.dtype === 'float64';
    const bytes = new Uint8Array(values.length * (f64 ? 8 : 4));
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => (f64 ? view.setFloat64(i * 8, v, true) : view.setFloat32(i * 4, v, true)));
    this.initializers.push({ name: `mlplab/${name}`, dims, dataType: elemType(this.dtype), rawData: bytes });
    return `mlplab/${name}`;
  }

  /** Adds a node; returns its output's name (`output`, or a fresh mlplab/… name). */
  node(opType: string, inputs: string[], attribute: proto.IAttributeProto[] = [], output = `mlplab/t${++this.count}`): string {
    this.nodes.push({ opType, input: inputs, output: [output], name: `mlplab/${opType}${this.nodes.length}`, attribute });
    return output;
  }

  /** x' = (x − offset) / scale, skipped for a scaling that changes nothing (offset 0, scale 1). */
  scale(x: string, s: Scaler | undefined, name: string): string {
    if (!s || s.offset.every((o, i) => o === 0 && s.scale[i] === 1)) return x;
    const sub = this.node('Sub', [x, this.constant(`${name}_offset`, s.offset, [1, s.offset.length])]);
    return this.node('Div', [sub, this.constant(`${name}_scale`, s.scale, [1, s.scale.length])]);
  }

  /** y = y'·scale + offset (a target scaling's inverse, as predict computes it). */
  unscale(y: string, s: Scaler): string {
    const mul = this.node('Mul', [y, this.constant('target_scale', s.scale, [1, s.scale.length])]);
    return this.node('Add', [mul, this.constant('target_offset', s.offset, [1, s.offset.length])]);
  }

  /** The activation as standard operators, exactly mlplab's function (linear: none). */
  activation(z: string, name: ActivationName, slope: number | undefined, k: number): string {
    switch (name) {
      case 'linear':
        return z;
      case 'sigmoid':
        return this.node('Sigmoid', [z]);
      case 'tanh':
        return this.node('Tanh', [z]);
      case 'relu':
        return this.node('Relu', [z]);
      case 'leaky_relu': {
        // z > 0 ? z : slope·z as mlplab computes it. NOTE: not LeakyRelu, whose alpha is a float32 attribute (a
        // float64 model would multiply by fround(0.01), not 0.01), nor PRelu, which ONNX Runtime has in float32 only.
        const positive = this.node('Greater', [z, this.constant(`layer${k}_zero`, [0], [1])]);
        return this.node('Where', [positive, z, this.node('Mul', [z, this.constant(`layer${k}_slope`, [slope ?? 0.01], [1])])]);
      }
      case 'softmax':
        return this.node('Softmax', [z], [{ name: 'axis', type: onnxClasses().AttributeProto.AttributeType.INT, i: 1 }]);
    }
  }
}

/** ONNX's element type for a dtype (DOUBLE or FLOAT): the constants' and the inputs' and outputs'. */
const elemType = (dtype: ExportDtype): number => (dtype === 'float64' ? onnxClasses().TensorProto.DataType.DOUBLE : onnxClasses().TensorProto.DataType.FLOAT);

/** A [N, cols] tensor type of the element type, N symbolic. */
function valueInfo(name: string, dtype: ExportDtype, cols: number): proto.IValueInfoProto {
  return { name, type: { tensorType: { elemType: elemType(dtype), shape: { dim: [{ dimParam: 'N' }, { dimValue: cols }] } } } };
}

/** What the model file says besides its network and scaling, as metadata_props (JSON values). */
function metadata(model: ModelFile): proto.IStringStringEntryProto[] {
  const skip = new Set(['format', 'layers', 'preprocess', 'target_preprocess']);
  return Object.entries(model)
    .filter(([key, value]) => !skip.has(key) && value !== undefined)
    .map(([key, value]) => ({ key: `mlplab.${key}`, value: JSON.stringify(value) }));
}

/** The model as ONNX protobuf bytes. */
export function onnxBytes(model: ModelFile, dtype: ExportDtype = 'float64', version = ''): Uint8Array {
  const onnx = onnxClasses();
  const g = new GraphBuilder(dtype);
  const names = onnxNames(model);
  let h = names.inputs.length === 1 ? names.inputs[0] : g.node('Concat', names.inputs, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
  h = g.scale(h, model.preprocess, 'feature');
  let nIn = model.inputs;
  model.layers.forEach((l, k) => {
    const w = g.constant(`layer${k}_weight`, l.weights.flat(), [nIn, l.units]); // (inputs × units), as stored
    const z = g.node('Gemm', [h, w, g.constant(`layer${k}_bias`, l.bias, [l.units])]);
    h = g.activation(z, l.activation, l.slope, k);
    nIn = l.units;
  });
  // As predict (runner/predict.ts), by the same test: a regression's outputs only (a binary or multilabel model's
  // are probabilities, a multiclass model's too, whatever scaling its file holds).
  if (model.target_preprocess && model.kind === 'regression') h = g.unscale(h, model.target_preprocess);
  const outs = names.outputs;
  if (outs.length === 1) g.node('Identity', [h], [], outs[0]);
  else g.nodes.push({ opType: 'Split', input: [h, splitSizes(g, outs.length)], output: outs, name: 'mlplab/Split', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] });
  const graph: proto.IGraphProto = {
    name: 'mlplab',
    node: g.nodes,
    initializer: g.initializers,
    input: names.inputs.map((n) => valueInfo(n, dtype, 1)),
    output: outs.map((n) => valueInfo(n, dtype, 1)),
  };
  const message: proto.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'mlplab',
    producerVersion: version,
    graph,
    metadataProps: metadata(model),
  };
  return onnx.ModelProto.encode(message).finish();
}

/** Split's `split` input: one column per output (int64). */
function splitSizes(g: GraphBuilder, n: number): string {
  const bytes = new Uint8Array(n * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) view.setBigInt64(i * 8, 1n, true);
  g.initializers.push({ name: 'mlplab/split', dims: [n], dataType: onnxClasses().TensorProto.DataType.INT64, rawData: bytes });
  return 'mlplab/split';
}
