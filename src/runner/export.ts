// Using a trained model outside mlplab: a model file as ONNX (run by ONNX Runtime, raw feature values in,
// predict's outputs out) or as safetensors (PyTorch's nn.Linear weights). The formats themselves are
// files/onnx.ts and files/safetensors.ts; this module picks one and writes the file. It leaves out reading ONNX.

import { badArgument, UserError } from '../errors.js';
import { modelArgument } from './arguments.js';
import { checkOutFile } from '../files/outfile.js';
import { writeFileAtomically } from '../files/outputs.js';
import { readModelFile, type ModelFile } from '../files/modelfile.js';
import { EXPORT_DTYPES, EXPORT_FORMATS, type ExportDtype, type ExportFormat } from '../files/exportformats.js';
import { onnxBytes } from '../files/onnx.js';
import { safetensorsBytes } from '../files/safetensors.js';
import { VERSION } from '../version.js';

export { EXPORT_DTYPES, EXPORT_FORMATS, type ExportDtype, type ExportFormat } from '../files/exportformats.js';

export interface ExportOptions {
  format: ExportFormat;
  /** The element type of the weights, inputs and outputs (default float64: predict's own arithmetic). */
  dtype?: ExportDtype;
}

/** The model in the format asked for, as the file's bytes. */
export function exportModel(model: ModelFile, options: ExportOptions): Uint8Array {
  model = modelArgument('exportModel', model);
  checkExportOptions('exportModel', options);
  const dtype = options.dtype ?? 'float64';
  return options.format === 'onnx' ? onnxBytes(model, dtype, VERSION) : safetensorsBytes(model, dtype);
}

/** The options' format and dtype, one of those there are (a usage UserError, as the command's --format and --dtype). */
function checkExportOptions(fn: string, options: ExportOptions | undefined): void {
  if (!options || typeof options !== 'object') badArgument(fn, 'the options', `an object of options with a format (${EXPORT_FORMATS.join(' or ')})`, options);
  if (!EXPORT_FORMATS.includes(options.format)) badArgument(fn, 'options.format', `one of ${EXPORT_FORMATS.join(', ')}`, options.format);
  if (options.dtype !== undefined && !EXPORT_DTYPES.includes(options.dtype)) badArgument(fn, 'options.dtype', `one of ${EXPORT_DTYPES.join(', ')}`, options.dtype);
}

/** Where an export goes by default: beside the model file, its extension the format's (model.json → model.onnx). */
function defaultExportPath(modelFile: string, format: ExportFormat): string {
  return `${modelFile.replace(/\.json$/i, '')}.${format}`;
}

/**
 * Reads a model file and writes its export (atomically) to `out` (default beside it); returns the path written.
 * An `out` that is no place for a file, or is the model file itself (by any path, or a hard link), is refused
 * before any work with export --out's message (the command calls this for its check).
 */
export function exportModelFile(modelFile: string, options: ExportOptions & { out?: string }): string {
  if (typeof modelFile !== 'string') badArgument('exportModelFile', 'the model file', `a path (a string)${typeof modelFile === 'object' ? ' (a model in memory: exportModel(model, options))' : ''}`, modelFile);
  checkExportOptions('exportModelFile', options);
  if (options.out !== undefined && typeof options.out !== 'string') badArgument('exportModelFile', 'options.out', 'a path (a string)', options.out);
  if (options.out !== undefined) checkOutFile('--out', options.out, [modelFile]);
  const out = options.out ?? defaultExportPath(modelFile, options.format);
  let bytes: Uint8Array;
  try {
    bytes = exportModel(readModelFile(modelFile), options);
  } catch (e) {
    // A model the format cannot hold (ONNX: a name twice) is said at the model file, as its reading's errors are.
    if (e instanceof UserError && e.place.file === undefined) throw new UserError(e.code, e.message, { ...e.place, file: modelFile });
    throw e;
  }
  writeFileAtomically(out, bytes);
  return out;
}
