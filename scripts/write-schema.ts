// Writes the JSON Schemas in schemas/ from their sources in src/ (run: npm run schema): the experiment file
// (src/config/schema.ts) and run.json (src/files/runfile.ts). The test suite fails when a written file and
// its source differ, so the two cannot drift apart.
import { writeFileSync } from 'node:fs';
import { experimentSchema } from '../src/config/schema.js';
import { runSchema } from '../src/files/runfile.js';

/** Each written schema file and the object it is made from. */
export const SCHEMAS: readonly { file: URL; schema: object }[] = [
  { file: new URL('../schemas/experiment.schema.json', import.meta.url), schema: experimentSchema },
  { file: new URL('../schemas/run.schema.json', import.meta.url), schema: runSchema },
];
export const schemaText = (schema: object): string => JSON.stringify(schema, null, 2) + '\n';

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { file, schema } of SCHEMAS) {
    writeFileSync(file, schemaText(schema));
    console.log(`wrote ${file.pathname}`);
  }
}
