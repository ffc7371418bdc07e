// `mlplab export MODEL.json --format onnx|safetensors [--dtype float64|float32] [--out FILE]`: the model as an
// ONNX model (raw feature values in, predict's outputs out) or as safetensors (PyTorch nn.Linear weights),
// written atomically to FILE (default: beside MODEL.json, model.onnx or model.safetensors).
// The ONNX protobuf package loads only when an ONNX file is written (files/onnx.ts): other commands start without it.

import { UserError } from '../errors.js';
import { EXPORT_DTYPES, EXPORT_FORMATS, type ExportDtype, type ExportFormat } from '../files/exportformats.js';
import { exportModelFile } from '../runner/export.js';
import { EXIT, type Command } from './command.js';

const isFormat = (s: string): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s);
const isDtype = (s: string): s is ExportDtype => (EXPORT_DTYPES as readonly string[]).includes(s);

export const exportCommand: Command = {
  name: 'export',
  usage: 'mlplab export MODEL.json --format onnx|safetensors [--dtype float64|float32] [--out FILE]   for ONNX Runtime or PyTorch',
  options: ['format', 'dtype', 'out'],
  out: 'the file to write the exported model to',
  run(files, options, io) {
    if (files.length !== 1) throw new UserError('usage', `export expects one MODEL.json, found ${files.length} argument(s)`);
    const { format, dtype = 'float64' } = options;
    if (format === undefined) throw new UserError('usage', 'export expects --format onnx or --format safetensors');
    if (!isFormat(format)) throw new UserError('usage', `--format expects onnx or safetensors, found "${format}"`);
    if (!isDtype(dtype)) throw new UserError('usage', `--dtype expects float64 or float32, found "${dtype}"`);
    const out = exportModelFile(files[0], { format, dtype, out: options.out }); // checks --out first, as predict's
    if (!options.quiet) io.err(`wrote ${out}\n`);
    return EXIT.ok;
  },
};
