// Catalogue of bad model files and output paths for `mlplab predict` (issue 10): every field of the model
// file checked with `file: path: sentence`, and output paths that cannot be written as user errors (exit 1).
import { describe } from 'vitest';
import { catalogue, type Case } from './helpers.js';

const BASE = {
  format: 'mlplab.model/v1',
  inputs: 2,
  loss: 'cross_entropy',
  layers: [{ units: 2, activation: 'softmax', weights: [[1, 0], [0, 1]], bias: [0, 0] }],
  features: ['a', 'b'],
  targets: ['y=p', 'y=q'],
  classes: ['p', 'q'],
  preprocess: { kind: 'standardize', offset: [0, 0], scale: [1, 1] },
};
type Model = Record<string, any>;

/** A model file changed by `edit` (a copy of BASE), or given as raw text. */
function modelCase(name: string, edit: ((m: Model) => void) | string, error: string): Case {
  const m: Model = structuredClone(BASE);
  const text = typeof edit === 'string' ? edit : (edit(m), JSON.stringify(m));
  return { name, files: { 'm.json': text, 'd.csv': 'a,b\n1,2\n3,4\n' }, argv: ['predict', '{dir}/m.json', '{dir}/d.csv'], error: `{dir}/m.json: ${error}` };
}
const layer = (m: Model) => m.layers[0];

const MODEL: Case[] = [
  modelCase('not JSON', '{"format": ', 'cannot read the model file: not valid JSON (Unexpected end of JSON input)'),
  modelCase('a JSON array', '[1, 2]', 'expected a JSON object (a mlplab.model/v1 file), found [1,2]'),
  modelCase('another format', (m) => (m.format = 'mlplab.model/v2'), 'format: expected a model file of format "mlplab.model/v1", found format "mlplab.model/v2"'),
  modelCase('inputs not an integer', (m) => (m.inputs = 'two'), 'inputs: expected an integer, found "two"'),
  modelCase('inputs zero', (m) => (m.inputs = 0), 'inputs: expected a number >= 1, found 0'),
  modelCase('an unknown loss', (m) => (m.loss = 'hinge'), 'loss: expected one of: mse, cross_entropy, binary_cross_entropy; found "hinge"'),
  modelCase('no layers', (m) => (m.layers = []), 'layers: expected at least 1 item(s), found none'),
  modelCase('layers missing', (m) => delete m.layers, 'missing key "layers", which every mlplab.model/v1 file has'),
  modelCase('an unknown key', (m) => (m.colour = 'red'), 'unknown key "colour" in a mlplab.model/v1 file'),
  modelCase('units not an integer', (m) => (layer(m).units = 1.5), 'layers[0].units: expected an integer, found 1.5'),
  modelCase('an unknown activation', (m) => (layer(m).activation = 'swish'), 'layers[0].activation: expected one of: linear, sigmoid, tanh, relu, leaky_relu, softmax; found "swish"'),
  modelCase('a slope on softmax', (m) => (layer(m).slope = 0.1), 'layers[0].slope: expected no slope for softmax; slope applies to leaky_relu only'),
  modelCase('a weight that is a string', (m) => (layer(m).weights[1][0] = 'x'), 'layers[0].weights[1][0]: expected a number, found "x"'),
  modelCase('weights not a list', (m) => (layer(m).weights = 3), 'layers[0].weights: expected an array, found 3'),
  modelCase('a weight of 1e400', JSON.stringify(BASE).replace('[[1,0],[0,1]]', '[[1,0],[0,1e400]]'), 'layers[0].weights[1][1]: expected a finite number, found Infinity (a number beyond the range of a 64-bit float, such as 1e400)'),
  modelCase('a bias of -1e400', JSON.stringify(BASE).replace('"bias":[0,0]', '"bias":[0,-1e400]'), 'layers[0].bias[1]: expected a finite number, found -Infinity (a number beyond the range of a 64-bit float, such as 1e400)'),
  modelCase('too few weight rows', (m) => layer(m).weights.pop(), 'layers[0].weights: expected 2 weight rows, one per input (the model has 2 inputs), found 1'),
  modelCase('a short weight row', (m) => layer(m).weights[0].pop(), 'layers[0].weights[0]: expected 2 weights, one per unit of the layer, found 1'),
  modelCase('a long bias', (m) => layer(m).bias.push(0), 'layers[0].bias: expected 2 biases, one per unit of the layer, found 3'),
  modelCase('features of the wrong type', (m) => (m.features = 'a,b'), 'features: expected an array, found "a,b"'),
  modelCase('a feature name that is a number', (m) => (m.features = ['a', 2]), 'features[1]: expected a string, found 2'),
  modelCase('too few features', (m) => (m.features = ['a']), 'features: expected 2 feature names, one per input (inputs: 2), found 1'),
  modelCase('too many targets', (m) => m.targets.push('y=r'), 'targets: expected 2 target names, one per output unit of the last layer, found 3'),
  modelCase('classes of the wrong type', (m) => (m.classes = { p: 0 }), 'classes: expected an array, found {"p":0}'),
  modelCase('a class that is an object', (m) => (m.classes = ['p', {}]), 'classes[1]: expected a string or a number, found {}'),
  modelCase('one class for two softmax outputs', (m) => (m.classes = ['a']), 'classes: expected 2 classes (one class per output unit), found 1'),
  modelCase('duplicate classes', (m) => (m.classes = ['p', 'p']), 'classes: expected distinct class names, found a name twice'),
  modelCase('a threshold that is text', (m) => (m.threshold = 'half'), 'threshold: expected a number, found "half"'),
  modelCase('an unknown preprocess kind', (m) => (m.preprocess.kind = 'robust'), 'preprocess.kind: expected one of: none, standardize, minmax; found "robust"'),
  modelCase('preprocess without scale', (m) => delete m.preprocess.scale, 'preprocess: missing key "scale", which every mlplab.model/v1 file has'),
  modelCase('a short offset', (m) => m.preprocess.offset.pop(), 'preprocess.offset: expected 2 offsets, one per input (2), found 1'),
  modelCase('a zero scale', (m) => (m.preprocess.scale[1] = 0), 'preprocess.scale[1]: expected a non-zero scale (values are divided by it), found 0'),
  modelCase('target_preprocess with two scales for one output', (m) => {
    m.loss = 'mse';
    m.layers = [{ units: 1, activation: 'linear', weights: [[1], [1]], bias: [0] }];
    m.targets = ['y'];
    delete m.classes;
    m.target_preprocess = { kind: 'standardize', offset: [0], scale: [1, 2] };
  }, 'target_preprocess.scale: expected 1 scales, one per output unit (1), found 2'),
  modelCase('an infinite offset', JSON.stringify(BASE).replace('"offset":[0,0]', '"offset":[1e999,0]'), 'preprocess.offset[0]: expected a finite number, found Infinity (a number beyond the range of a 64-bit float, such as 1e400)'),
  {
    name: 'a model without feature names',
    files: { 'm.json': JSON.stringify({ ...BASE, features: undefined }), 'd.csv': 'a,b\n1,2\n' },
    argv: ['predict', '{dir}/m.json', '{dir}/d.csv'],
    error: '{dir}/d.csv:1:1: the model file has no "features" naming its 2 input columns, so they cannot be found in this file\'s header',
  },
];

const out = (name: string, target: string, error: string, files: Record<string, string> = {}): Case => ({
  name,
  files: { 'm.json': JSON.stringify(BASE), 'd.csv': 'a,b\n1,2\n', ...files },
  argv: ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', target],
  error,
  absent: /partial/,
});

const OUT: Case[] = [
  out('--out a folder', '{dir}', '{dir}: cannot write --out here: it is a folder; expected a file name'),
  out('--out in a missing folder', '{dir}/missing/dir/x.csv', '{dir}/missing/dir/x.csv: cannot write --out here: its folder "{dir}/missing/dir" does not exist'),
  out('--out under a file', '{dir}/d.csv/x.csv', '{dir}/d.csv/x.csv: cannot write --out here: a part of the path is a file, not a folder (ENOTDIR)'),
  out('--out with a 300-character name', `{dir}/${'n'.repeat(300)}.csv`, `{dir}/${'n'.repeat(300)}.csv: cannot write --out here: the name is too long for the file system (ENAMETOOLONG)`),
];

describe('bad model files', () => catalogue(MODEL));
describe('predict output paths that cannot be written', () => catalogue(OUT));
