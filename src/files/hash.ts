// SHA-256 digests (hex) of texts and files, for run.json's record of exactly what a run read.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export const sha256File = (file: string): string => sha256(readFileSync(file));
