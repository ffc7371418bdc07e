// run.json's JSON Schema (schemas/run.schema.json) compiled for the tests that validate written records, with its
// one format, date-time, checked strictly: the exact form mlplab writes (Date.prototype.toISOString, UTC). Ajv
// alone knows no formats (they live in the ajv-formats package, not a dependency): it would skip the check with
// a warning ("unknown format "date-time" ignored"). In strict mode any other format would be an error.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function runRecordValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/run.schema.json', import.meta.url), 'utf8'));
  return new Ajv({ strict: true, allowUnionTypes: true, allErrors: true, formats: { 'date-time': ISO_UTC } }).compile(schema);
}
