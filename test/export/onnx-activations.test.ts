// The ONNX graph maps every activation mlplab has onto standard operators exactly (leaky_relu's slope in
// float64 too), with min-max scaling, a regression's target scaling, a binary classifier's single sigmoid output
// and a multilabel model's k sigmoid outputs; metadata carries the class labels; a wrong weight is caught.
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { ACTIVATION_NAMES, exportModel, predict, type ActivationName, type ModelFile, type ModelLayer } from '../../src/index.js';
import { checkModelFile } from '../../src/files/modelcheck.js';
import { MODEL_FORMAT } from '../../src/files/modelfile.js';
import { Rng } from '../../src/random.js';
import { maxRelativeError, runOnnx, spreadRows } from './helpers.js';
import { userError } from '../data/helpers.js';

/** A model of random weights: `hidden` layers of 5 units, then `out` units of `output` activation. */
function randomModel(hidden: { activation: ActivationName; slope?: number }[], output: ActivationName, out: number, extra: Partial<ModelFile> = {}, seed = 3): ModelFile {
  const rng = new Rng(seed);
  const inputs = 3;
  let nIn = inputs;
  const layers: ModelLayer[] = [...hidden.map((h) => ({ ...h, units: 5 })), { activation: output, units: out }].map((spec) => {
    const layer: ModelLayer = {
      units: spec.units,
      activation: spec.activation,
      weights: Array.from({ length: nIn }, () => Array.from({ length: spec.units }, () => rng.normal(0, 1.5))),
      bias: Array.from({ length: spec.units }, () => rng.normal(0, 0.5)),
    };
    if (spec.activation === 'leaky_relu') layer.slope = 'slope' in spec && spec.slope !== undefined ? spec.slope : 0.01;
    nIn = spec.units;
    return layer;
  });
  const preprocess = { kind: 'minmax' as const, offset: [-1, 10, 0.5], scale: [3, 0.25, 7] };
  return checkModelFile({ format: MODEL_FORMAT, inputs, loss: 'mse', layers, features: ['a', 'b', 'c'], preprocess, ...extra }, 'random-model.json');
}

async function errors(model: ModelFile): Promise<{ e64: number; e32: number; names: string[] }> {
  const rows = spreadRows(model, 300, 7);
  const out = (rs: number[][]) => {
    const m = predict(model, rs).outputs;
    return rs.map((_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  };
  const f64 = await runOnnx(exportModel(model, { format: 'onnx' }), rows, 'float64');
  const rows32 = rows.map((r) => r.map(Math.fround));
  const f32 = await runOnnx(exportModel(model, { format: 'onnx', dtype: 'float32' }), rows32, 'float32');
  return { e64: maxRelativeError(f64.outputs, out(rows)), e32: maxRelativeError(f32.outputs, out(rows32)), names: [...f64.session.outputNames] };
}

describe('ONNX export: each activation, scaling and output kind', () => {
  const hidden: ActivationName[] = ACTIVATION_NAMES.filter((a) => a !== 'softmax');
  it.each(hidden)('hidden %s (and leaky_relu slopes 0.01 and 0.3) matches predict', async (activation) => {
    for (const slope of activation === 'leaky_relu' ? [0.01, 0.3] : [undefined]) {
      const { e64, e32 } = await errors(randomModel([{ activation, slope }, { activation, slope }], 'linear', 2));
      expect(e64).toBeLessThanOrEqual(1e-12);
      expect(e32).toBeLessThanOrEqual(1e-5);
    }
  });

  it('a softmax output (and softmax in a hidden layer) matches predict', async () => {
    const classes = ['x', 'y', 'z'];
    const model = randomModel([{ activation: 'softmax' }], 'softmax', 3, { loss: 'cross_entropy', classes, targets: ['k=x', 'k=y', 'k=z'] });
    const { e64, e32, names } = await errors(model);
    expect(names).toEqual(['k=x', 'k=y', 'k=z']);
    expect(e64).toBeLessThanOrEqual(1e-12);
    expect(e32).toBeLessThanOrEqual(1e-5);
  });

  it('a binary classifier (one sigmoid output) and a multilabel one (k sigmoid outputs) match predict', async () => {
    const binary = randomModel([{ activation: 'tanh' }], 'sigmoid', 1, { loss: 'binary_cross_entropy', classes: ['no', 'yes'], threshold: 0.5, targets: ['ok'] });
    const multi = randomModel([{ activation: 'relu' }], 'sigmoid', 3, { loss: 'binary_cross_entropy', classes: ['red', 'green', 'blue'], threshold: 0.5, targets: ['red', 'green', 'blue'] });
    // As mlplab run writes a multilabel model: kind multilabel, the labels are its targets, no classes.
    const { classes: _, ...labels } = multi;
    const multilabel = checkModelFile({ ...labels, kind: 'multilabel' }, 'multilabel.json');
    expect(multilabel.kind).toBe('multilabel');
    for (const model of [binary, multi, multilabel]) {
      const { e64, e32 } = await errors(model);
      expect(e64).toBeLessThanOrEqual(1e-12);
      expect(e32).toBeLessThanOrEqual(1e-5);
    }
  });

  it('regression with scaled targets answers in the data\'s units, as predict does', async () => {
    const target_preprocess = { kind: 'standardize' as const, offset: [170, -3], scale: [9.5, 0.01] };
    const { e64, e32, names } = await errors(randomModel([{ activation: 'tanh' }], 'linear', 2, { target_preprocess, targets: ['height', 'gap'] }));
    expect(names).toEqual(['height', 'gap']);
    expect(e64).toBeLessThanOrEqual(1e-12);
    expect(e32).toBeLessThanOrEqual(1e-5);
  });

  it('a multilabel model\'s outputs are probabilities, as predict gives them, even with a target scaling in its file', async () => {
    const target_preprocess = { kind: 'standardize' as const, offset: [10, -3], scale: [2, 0.5] };
    const model = checkModelFile({ ...randomModel([{ activation: 'tanh' }], 'sigmoid', 2, { loss: 'binary_cross_entropy', targets: ['red', 'blue'] }), kind: 'multilabel', target_preprocess }, 'multilabel.json');
    const { e64, e32 } = await errors(model);
    expect(e64).toBeLessThanOrEqual(1e-12);
    expect(e32).toBeLessThanOrEqual(1e-5);
  });

  it('one sigmoid output with a target scaling in its file: un-scaled exactly where predict un-scales it (a regression, not a binary model)', async () => {
    const target_preprocess = { kind: 'standardize' as const, offset: [3], scale: [2] };
    const sigmoid = randomModel([{ activation: 'tanh' }], 'sigmoid', 1, { loss: 'binary_cross_entropy', targets: ['ok'], target_preprocess });
    // A binary model's output is P(second class), whatever scaling its file holds; a file without kind and classes
    // (written before kind existed) is read as a regression, whose outputs both give in the data's units.
    const binary = checkModelFile({ ...sigmoid, kind: 'binary', classes: ['no', 'yes'] }, 'binary.json');
    const { kind: _, ...old } = sigmoid;
    const regression = checkModelFile(old, 'old.json');
    expect([binary.kind, regression.kind]).toEqual(['binary', 'regression']);
    const outputs = async (model: ModelFile) => (await runOnnx(exportModel(model, { format: 'onnx' }), [[0.5, 10, 1]], 'float64')).outputs[0][0];
    expect(await outputs(binary)).toBeGreaterThan(0);
    expect(await outputs(binary)).toBeLessThan(1);
    expect(await outputs(regression)).toBeCloseTo((await outputs(binary)) * 2 + 3, 12);
    for (const model of [binary, regression]) {
      const { e64, e32 } = await errors(model);
      expect(e64).toBeLessThanOrEqual(1e-12);
      expect(e32).toBeLessThanOrEqual(1e-5);
    }
  });

  it('refuses a name ONNX would define twice: a feature that is also a target, a feature twice, an mlplab/… name, an empty one', () => {
    const model = randomModel([{ activation: 'tanh' }], 'linear', 2, { targets: ['p', 'q'] });
    const refused = (over: Partial<ModelFile>) => userError(() => exportModel({ ...model, ...over }, { format: 'onnx' })).format();
    expect(refused({ targets: ['q', 'a'] })).toBe('targets[1]: expected names ONNX can give each input and output once, found "a": it names a feature already');
    expect(refused({ features: ['a', 'b', 'a'] })).toBe('features[2]: expected names ONNX can give each input and output once, found "a": it names a feature already');
    expect(refused({ targets: ['q', 'q'] })).toBe('targets[1]: expected names ONNX can give each input and output once, found "q": it names a target already');
    expect(refused({ features: ['a', 'mlplab/t1', 'c'] })).toMatch(/^features\[1\]: .*found "mlplab\/t1": the graph's own values are named mlplab\/…$/);
    expect(refused({ targets: ['p', ''] })).toBe('targets[1]: expected names ONNX can give each input and output once, found "": ONNX reads an empty name as "no value"');
    expect(exportModel(model, { format: 'safetensors' }).length).toBeGreaterThan(0); // safetensors names no columns in its tensors
  });

  it('names features x1.., outputs y1.. when the model file has no names', async () => {
    const { features: _, ...model } = randomModel([{ activation: 'relu' }], 'linear', 2);
    const f64 = await runOnnx(exportModel(model, { format: 'onnx' }), spreadRows(model, 3, 1), 'float64');
    expect(f64.session.inputNames).toEqual(['x1', 'x2', 'x3']);
    expect(f64.session.outputNames).toEqual(['y1', 'y2']);
  });

  it('a weight off by one part in 1e9 is caught (the comparison can fail)', async () => {
    const model = randomModel([{ activation: 'tanh' }], 'linear', 2);
    const off = structuredClone(model);
    off.layers[0].weights[0][0] *= 1 + 1e-9;
    const rows = spreadRows(model, 50, 2);
    const m = predict(model, rows).outputs;
    const want = rows.map((_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
    const got = await runOnnx(exportModel(off, { format: 'onnx' }), rows, 'float64');
    expect(maxRelativeError(got.outputs, want)).toBeGreaterThan(1e-12);
  });

  it('keeps classes, features, targets, loss and threshold as metadata_props, and standard operators only', () => {
    const model = randomModel([{ activation: 'leaky_relu' }], 'softmax', 2, { loss: 'cross_entropy', classes: [0, 'b'], targets: ['c=0', 'c=b'] });
    const decoded = onnxProto.onnx.ModelProto.decode(exportModel(model, { format: 'onnx' }));
    const meta = Object.fromEntries(decoded.metadataProps.map((p) => [p.key!, JSON.parse(p.value!)]));
    expect(meta).toMatchObject({ 'mlplab.inputs': 3, 'mlplab.loss': 'cross_entropy', 'mlplab.features': ['a', 'b', 'c'], 'mlplab.classes': [0, 'b'], 'mlplab.targets': ['c=0', 'c=b'] });
    // Every other key of the model file too (a kind, a threshold), but not its weights and scaling (in the graph).
    const kept = Object.keys(model).filter((k) => !['format', 'layers', 'preprocess', 'target_preprocess'].includes(k));
    expect(Object.keys(meta).sort()).toEqual(kept.map((k) => `mlplab.${k}`).sort());
    expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(decoded.graph!.node!.map((n) => n.opType)).toEqual(['Concat', 'Sub', 'Div', 'Gemm', 'Greater', 'Mul', 'Where', 'Gemm', 'Softmax', 'Split']);
  });
});
