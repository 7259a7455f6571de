import { z } from 'zod';
import { toCents } from '../money';
import { parseInstant } from '../parsing/strict-values';
import { hasControlCharacters } from '../text/control-characters';
import { LIMITS, lineTotalsProblem, WIRE_EVENT_TABLE, type WireEventTable, type WireField } from './wire-fields';

export { CATALOG_FIELDS, LIMITS, TOTAL_MESSAGES } from './wire-fields';

/**
 * The wire contract as zod schemas: what producers put on the stream (snake_case JSON), built from
 * the field table in wire-fields.ts. They are the definition used by the simulator, the replay
 * tool and the API's write path, and the JSON Schema for producers is generated from them; the
 * ingest hot path checks the same table with the fast validator (wire-validator.ts).
 */

/** Trimmed, 1-`max` characters, no control characters: identifiers and the audit fields. */
function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    .refine((text) => !hasControlCharacters(text), 'must not contain control characters');
}

/** SKUs, order, supplier and event ids: trimmed, 1-128 characters, no control characters. Routes reuse it. */
export const wireIdentifierSchema = plainText(LIMITS.maxIdLength);

const code = () =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be 1-64 letters, digits, spaces, dots, dashes or underscores');
const text = () => z.string().trim().max(LIMITS.maxTextLength).min(1, 'must not be empty');
const description = () =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.maxDescriptionLength)
    .refine((value) => !hasControlCharacters(value.replace(/[\n\t]/g, ' ')), 'must not contain control characters');
/** Whole numbers up to LIMITS.maxQuantity: from 0, from 1 (`positive`), or signed. */
function integer(min: number) {
  if (min < 0) return z.number().int('must be a whole number').min(min).max(LIMITS.maxQuantity);
  const quantity = z.number().int('must be a whole number').min(0, 'must not be negative').max(LIMITS.maxQuantity);
  return min === 1 ? quantity.min(1, 'must be positive') : quantity;
}
const timestamp = () =>
  z.string().transform((value, context) => {
    const time = parseInstant(value);
    if (time.ok) return time.value;
    context.addIssue({ code: z.ZodIssueCode.custom, message: `must be an ISO-8601 date-time (${time.problem})` });
    return z.NEVER;
  });
const money = () =>
  z.union([z.number(), z.string()]).transform((value, context) => {
    const cents = toCents(value);
    if (cents === undefined || cents < 0 || cents > LIMITS.maxCents) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a non-negative decimal amount' });
      return z.NEVER;
    }
    return cents;
  });

/** The kinds whose schema takes no limit from the table. */
const SCHEMA_OF_KIND = { code, text, description, money, timestamp };

/** The zod type a field of the table makes. */
type ZodOfField<F> = F extends { kind: 'plainText' | 'code' | 'text' | 'description' }
  ? z.ZodType<string, z.ZodTypeDef, string>
  : F extends { kind: 'integer' }
    ? z.ZodNumber
    : F extends { kind: 'money' }
      ? z.ZodType<number, z.ZodTypeDef, number | string>
      : F extends { kind: 'timestamp' }
        ? z.ZodType<number, z.ZodTypeDef, string>
        : F extends { kind: 'object'; fields: infer Fields extends readonly WireField[] }
          ? z.ZodObject<ShapeOf<Fields>>
          : F extends { kind: 'lines'; fields: infer Fields extends readonly WireField[] }
            ? z.ZodType<z.output<z.ZodObject<ShapeOf<Fields>>>[], z.ZodTypeDef, z.input<z.ZodObject<ShapeOf<Fields>>>[]>
            : F extends { kind: 'eventType'; value: infer Type extends string }
              ? z.ZodLiteral<Type>
              : never;

type ShapeOf<Fields extends readonly WireField[]> = {
  [F in Fields[number] as F['name']]: F['required'] extends true ? ZodOfField<F> : z.ZodOptional<ZodOfField<F>>;
};

type Table = typeof WIRE_EVENT_TABLE;
type EventObject<K extends keyof Table> = z.ZodObject<ShapeOf<Table[K]['fields']>>;
type EventSchemas = {
  [K in keyof Table]: z.ZodType<z.output<EventObject<K>>, z.ZodTypeDef, z.input<EventObject<K>>>;
};

function zodOfField(field: WireField): z.ZodTypeAny {
  const schema = zodOfKind(field);
  return field.required ? schema : schema.optional();
}

function zodOfKind(field: WireField): z.ZodTypeAny {
  switch (field.kind) {
    case 'plainText':
      return plainText(field.max);
    case 'integer':
      return integer(field.min);
    case 'code':
    case 'text':
    case 'description':
    case 'money':
    case 'timestamp':
      return SCHEMA_OF_KIND[field.kind]();
    case 'object':
      return zodOfFields(field.fields);
    case 'lines':
      return z
        .array(zodOfFields(field.fields))
        .min(1)
        .max(LIMITS.maxLines)
        .superRefine((items, context) => {
          const problem = lineTotalsProblem(items as { quantity: number; unit_price?: number }[]);
          if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        });
    case 'eventType':
      return z.literal(field.value);
  }
}

function zodOfFields(fields: readonly WireField[]): z.AnyZodObject {
  return z.object(Object.fromEntries(fields.map((field) => [field.name, zodOfField(field)])));
}

function zodOfEvent(table: WireEventTable): z.ZodTypeAny {
  const schema = zodOfFields(table.fields);
  const rule = table.rule;
  if (!rule) return schema;
  return schema.superRefine((event: Record<string, unknown>, context) => {
    const problem = rule(event);
    if (problem) context.addIssue({ code: z.ZodIssueCode.custom, path: problem.path, message: problem.message });
  });
}

export const wireEventSchemas = Object.fromEntries(
  Object.entries(WIRE_EVENT_TABLE).map(([type, table]) => [type, zodOfEvent(table)]),
) as unknown as EventSchemas;

export type WireEventType = keyof typeof wireEventSchemas;
/** What a producer writes (input side of the schemas: decimal money, ISO times). */
export type WireEvent = { [K in WireEventType]: z.input<(typeof wireEventSchemas)[K]> }[WireEventType];
export type ParsedWireEvent = { [K in WireEventType]: z.output<(typeof wireEventSchemas)[K]> }[WireEventType];

export function isWireEventType(value: unknown): value is WireEventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(wireEventSchemas, value);
}
