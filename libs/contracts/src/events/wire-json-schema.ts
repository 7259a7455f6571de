import { zodToJsonSchema } from 'zod-to-json-schema';
import { CATALOG_FIELDS, wireEventSchemas, type WireEventType } from './wire-schemas';

/** Where the published schema lives, relative to the repository root. */
export const EVENTS_JSON_SCHEMA_PATH = 'docs/events.schema.json';

type JsonSchema = Record<string, unknown>;

/**
 * The wire contract as JSON Schema (draft-07) for producers, generated from the zod schemas the
 * decoder uses: one definition per event type, the event an `oneOf` of them keyed by `event_type`.
 * It describes what a producer sends (amounts as numbers or decimal strings, times as ISO-8601
 * text); rules a JSON Schema cannot say (totals over an order's lines, a real calendar date,
 * no control characters) are in docs/ingest.md and enforced by the decoder, which dead-letters
 * what breaks them.
 */
export function wireEventsJsonSchema(): JsonSchema {
  // Every type the decoder reads, the quantity_increment / quantity_decrement aliases included.
  const types = Object.keys(wireEventSchemas) as WireEventType[];
  const definitions: Record<string, JsonSchema> = {};
  for (const type of types) {
    // Unknown keys are dropped by the decoder, not refused: additional properties stay allowed.
    // The library types its argument with zod/v3's declarations: the same classes, compared too deeply by tsc.
    const schema = wireEventSchemas[type] as unknown as Parameters<typeof zodToJsonSchema>[0];
    const generated = zodToJsonSchema(schema, {
      $refStrategy: 'none',
      effectStrategy: 'input',
      removeAdditionalStrategy: 'strict',
    }) as JsonSchema;
    delete generated.$schema;
    definitions[type] = describeFields(generated);
  }
  // A refinement zod cannot export: a product_updated changes at least one catalog field.
  definitions.product_updated.anyOf = CATALOG_FIELDS.map((field) => ({ required: [field] }));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Stockwall inventory event',
    description:
      'One record on the Kinesis stream: a JSON object whose event_type picks its shape. Generated from ' +
      'libs/contracts/src/events/wire-schemas.ts; do not edit by hand.',
    oneOf: types.map((type) => ({ $ref: `#/definitions/${type}` })),
    definitions,
  };
}

/** What a transform's input type cannot say: times are ISO-8601 text, amounts numbers or decimal strings. */
const FIELD_DESCRIPTIONS: Record<string, string> = {
  occurred_at: 'ISO-8601 date-time, with a zone or UTC; default the arrival time',
  timestamp: 'ISO-8601 date-time, with a zone or UTC',
  unit_price: 'a non-negative amount, at most 100000000.00: a number or a decimal string like "12.50"',
  unit_cost: 'a non-negative amount, at most 100000000.00: a number or a decimal string like "12.50"',
};

function describeFields(schema: JsonSchema): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (FIELD_DESCRIPTIONS[name] !== undefined) property.description = FIELD_DESCRIPTIONS[name];
    describeFields(property);
  }
  const items = schema.items as JsonSchema | undefined;
  if (items !== undefined) describeFields(items);
  return schema;
}
