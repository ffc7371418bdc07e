// Writes schemas/experiment.schema.json from src/config/schema.ts (run: npm run schema).
// The test suite fails when the written file and the source differ, so the two cannot drift apart.
import { writeFileSync } from 'node:fs';
import { experimentSchema } from '../src/config/schema.js';

export const SCHEMA_FILE = new URL('../schemas/experiment.schema.json', import.meta.url);
export const schemaText = (): string => JSON.stringify(experimentSchema, null, 2) + '\n';

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
}
