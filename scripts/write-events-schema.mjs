// Writes docs/events.schema.json from the wire zod schemas: `node scripts/write-events-schema.mjs`.
// libs/contracts/src/events/wire-json-schema.spec.ts fails until it is rerun after a schema change.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';

const require = createRequire(import.meta.url);
require('../test/support/ts-register.js');
const { EVENTS_JSON_SCHEMA_PATH, wireEventsJsonSchema } = require('../libs/contracts/src/events/wire-json-schema.ts');

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', EVENTS_JSON_SCHEMA_PATH);
writeFileSync(target, await format(JSON.stringify(wireEventsJsonSchema()), { parser: 'json', filepath: target }));
process.stdout.write(`${EVENTS_JSON_SCHEMA_PATH} written\n`);
