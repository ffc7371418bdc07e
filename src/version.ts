// The version of mlplab: package.json's, read once when this module loads, for `mlplab --version`, run.json's
// `mlplab` field and the exported ONNX model's producer. Its one home, at the bottom layer, so that any layer may
// say which version wrote a file.

import { readFileSync } from 'node:fs';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
