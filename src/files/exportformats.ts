// The formats and element types a model exports to (one list each: the CLI's checks, the library's types and
// the writers follow them). Kept apart from the writers so the CLI names them without loading the ONNX package.

/** onnx: an ONNX model for ONNX Runtime; safetensors: PyTorch nn.Linear weights. */
export const EXPORT_FORMATS = ['onnx', 'safetensors'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** float64: predict's own arithmetic, bit for bit in the weights; float32: half the size, ≈1e-6 relative. */
export const EXPORT_DTYPES = ['float64', 'float32'] as const;
export type ExportDtype = (typeof EXPORT_DTYPES)[number];
