import { EVENT_TYPES, QUANTITY_ALIASES } from './event-types';

/**
 * The wire contract as one field table: for each event type, its fields in order with their kind,
 * whether they are required, and their limits. The zod schemas (wire-schemas.ts) and the fast
 * validator of the ingest hot path (wire-validator.ts) are both built from it, so they cannot
 * drift apart; the JSON Schema for producers is generated from the zod schemas.
 * Limits keep absurd values out: Redis and MySQL hold every figure exactly.
 */
export const LIMITS = {
  /** Units in one field, and in one event: an order's quantities summed over its lines. */
  maxQuantity: 10_000_000,
  /** One price or cost (100,000,000.00). */
  maxCents: 100_000_000_00,
  /**
   * The money one event carries (10,000,000,000.00): an order's quantity × unit_price summed over
   * its lines, a restock's quantity × unit_cost. Far below 2^53 (about 9.007e15), so over 9,000
   * such events still sum exactly in a double (JS, Lua) and in a BIGINT column.
   */
  maxEventCents: 10_000_000_000_00,
  maxLines: 500,
  maxIdLength: 128,
  /** An alert's id names its batch, kind, location and SKU (the alerts table holds 400 characters). */
  maxAlertIdLength: 400,
  maxTextLength: 256,
  /** A product description. */
  maxDescriptionLength: 2_000,
} as const;

/** `1234567` → `12345.67`: the limits as they are written on the wire. */
function decimalText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** The messages of the rules over several fields, named the same way by both validators. */
export const TOTAL_MESSAGES = {
  lineQuantity: `quantities over all lines must add up to at most ${LIMITS.maxQuantity}`,
  lineValue: `quantity × unit_price over all lines must add up to at most ${decimalText(LIMITS.maxEventCents)}`,
  restockValue: `quantity × unit_cost must be at most ${decimalText(LIMITS.maxEventCents)}`,
  catalogFields: 'give at least one of name, unit_price, unit_cost, category, description',
} as const;

/** The catalog fields a product_updated may change (at least one). */
export const CATALOG_FIELDS = ['name', 'unit_price', 'unit_cost', 'category', 'description'] as const;

/**
 * What a field holds, and how it is checked (every text is trimmed first):
 * - `plainText`: 1-`max` characters, no control characters (identifiers, the audit fields);
 * - `code`: 1-64 letters, digits, spaces, dots, dashes or underscores (location, source);
 * - `text`: 1-256 characters (names, a stock_adjusted reason);
 * - `description`: 1-2,000 characters, line breaks and tabs but no other control characters;
 * - `integer`: a whole number from `min` to LIMITS.maxQuantity;
 * - `money`: a non-negative decimal amount (number or decimal string) up to LIMITS.maxCents, as integer cents;
 * - `timestamp`: an ISO-8601 date-time, as epoch ms;
 * - `object`: a nested object of `fields`;
 * - `lines`: an order's 1-LIMITS.maxLines lines of `fields`, their totals bounded per event;
 * - `eventType`: the event's type (it selects the table, so it always matches).
 */
export type WireField =
  | { name: string; kind: 'plainText'; required: boolean; max: number }
  | { name: string; kind: 'code' | 'text' | 'description' | 'money' | 'timestamp'; required: boolean }
  | { name: string; kind: 'integer'; required: boolean; min: number }
  | { name: string; kind: 'object' | 'lines'; required: true; fields: readonly WireField[] }
  | { name: string; kind: 'eventType'; required: true; value: string };

/** A rule over several fields of a parsed event: the problem it finds (path and message), or none. */
export type WireEventRule = (event: Record<string, unknown>) => { path: string[]; message: string } | undefined;

export interface WireEventTable {
  fields: readonly WireField[];
  rule?: WireEventRule;
}

const required = <F extends { name: string }>(field: F) => ({ ...field, required: true as const });
const optional = <F extends { name: string }>(field: F) => ({ ...field, required: false as const });

const plainText = <N extends string>(name: N, max: number) => ({ name, kind: 'plainText' as const, max });
const identifier = <N extends string>(name: N) => plainText(name, LIMITS.maxIdLength);
const code = <N extends string>(name: N) => ({ name, kind: 'code' as const });
const text = <N extends string>(name: N) => ({ name, kind: 'text' as const });
const description = <N extends string>(name: N) => ({ name, kind: 'description' as const });
const money = <N extends string>(name: N) => ({ name, kind: 'money' as const });
const timestamp = <N extends string>(name: N) => ({ name, kind: 'timestamp' as const });
/** Units: 0 up; `positive`: 1 up; `signed`: down to -LIMITS.maxQuantity. */
const quantity = <N extends string>(name: N, from: 'zero' | 'positive' | 'signed' = 'zero') => ({
  name,
  kind: 'integer' as const,
  min: from === 'zero' ? 0 : from === 'positive' ? 1 : -LIMITS.maxQuantity,
});
const object = <N extends string, const F extends readonly WireField[]>(name: N, fields: F) =>
  required({ name, kind: 'object' as const, fields });
const lines = <const F extends readonly WireField[]>(fields: F) =>
  required({ name: 'lines' as const, kind: 'lines' as const, fields });
const eventType = <T extends string>(value: T) =>
  required({ name: 'event_type' as const, kind: 'eventType' as const, value });

/** Fields every event may carry, first in each. */
const COMMON = [
  optional(identifier('event_id')),
  optional(timestamp('occurred_at')),
  optional(code('location')),
  optional(code('source')),
] as const;

/** Who made a change and why: free text a person or the API wrote. */
const actor = optional(plainText('actor', LIMITS.maxTextLength));
/**
 * Audit fields, optional for every producer; the API's write path always sets `actor` (the signed-in
 * user or the token's subject) and `reason` when one was given. Last in each event, after its own fields.
 */
const AUDIT = [actor, optional(plainText('reason', LIMITS.maxTextLength))] as const;

/** An event's fields: the common ones, its type, its own fields, then the audit fields. */
function fieldsOf<T extends string, const F extends readonly WireField[]>(type: T, own: F) {
  return [...COMMON, eventType(type), ...own, ...AUDIT] as const;
}

const lineFields = <P extends boolean>(priced: P) =>
  [
    required(identifier('sku')),
    required(quantity('quantity', 'positive')),
    { ...money('unit_price'), required: priced },
  ] as const;

const ORDER = [required(identifier('order_id')), optional(identifier('customer_id'))] as const;

function order<T extends string, P extends boolean>(type: T, priced: P) {
  return { fields: [...COMMON, ...ORDER, eventType(type), lines(lineFields(priced)), ...AUDIT] as const };
}

function quantityAlias<T extends string>(type: T) {
  const product = [
    required(identifier('product_id')),
    required(quantity('quantity', 'positive')),
    required(timestamp('timestamp')),
  ] as const;
  return { fields: fieldsOf(type, [object('product', product)]) };
}

export const WIRE_EVENT_TABLE = {
  product_added: {
    fields: fieldsOf('product_added', [
      object('product', [
        required(identifier('product_id')),
        required(text('product_name')),
        required(quantity('quantity')),
        required(timestamp('timestamp')),
        optional(money('unit_price')),
        optional(money('unit_cost')),
        optional(quantity('reorder_point')),
      ]),
    ]),
  },
  product_removed: {
    fields: fieldsOf('product_removed', [
      object('product', [
        required(identifier('product_id')),
        required(timestamp('timestamp')),
        optional(quantity('quantity', 'positive')),
      ]),
    ]),
  },
  quantity_changed: {
    fields: fieldsOf('quantity_changed', [
      object('product', [
        required(identifier('product_id')),
        required(quantity('quantity_delta', 'signed')),
        required(timestamp('timestamp')),
      ]),
    ]),
  },
  quantity_increment: quantityAlias('quantity_increment'),
  quantity_decrement: quantityAlias('quantity_decrement'),
  stock_adjusted: {
    // A reason of its own (required, any text): only the actor is added.
    fields: [
      ...COMMON,
      eventType('stock_adjusted'),
      required(identifier('sku')),
      required(quantity('quantity')),
      required(text('reason')),
      actor,
    ],
  },
  reorder_point_set: {
    fields: fieldsOf('reorder_point_set', [required(identifier('sku')), required(quantity('reorder_point'))]),
  },
  order_placed: order('order_placed', true),
  order_fulfilled: order('order_fulfilled', false),
  order_cancelled: order('order_cancelled', false),
  order_returned: order('order_returned', false),
  restock_received: {
    fields: fieldsOf('restock_received', [
      required(identifier('sku')),
      required(quantity('quantity', 'positive')),
      required(money('unit_cost')),
      optional(identifier('supplier_id')),
    ]),
    rule: (event) =>
      (event.quantity as number) * (event.unit_cost as number) > LIMITS.maxEventCents
        ? { path: ['quantity'], message: TOTAL_MESSAGES.restockValue }
        : undefined,
  },
  alert_acknowledged: {
    fields: fieldsOf('alert_acknowledged', [
      required(identifier('sku')),
      required(plainText('alert_id', LIMITS.maxAlertIdLength)),
      required(text('acknowledged_by')),
    ]),
  },
  product_updated: {
    fields: fieldsOf('product_updated', [
      required(identifier('sku')),
      optional(text('name')),
      optional(money('unit_price')),
      optional(money('unit_cost')),
      optional(text('category')),
      optional(description('description')),
    ]),
    rule: (event) =>
      CATALOG_FIELDS.some((field) => event[field] !== undefined)
        ? undefined
        : { path: [], message: TOTAL_MESSAGES.catalogFields },
  },
} as const satisfies Record<(typeof EVENT_TYPES)[number] | keyof typeof QUANTITY_ALIASES, WireEventTable>;

/**
 * An order's totals, bounded per event (checked once every line is valid): units summed over its
 * lines, and quantity × unit_price summed over them.
 */
export function lineTotalsProblem(items: readonly { quantity: number; unit_price?: number }[]): string | undefined {
  let units = 0;
  let cents = 0;
  for (const item of items) {
    units += item.quantity;
    cents += item.quantity * (item.unit_price ?? 0);
  }
  if (units > LIMITS.maxQuantity) return TOTAL_MESSAGES.lineQuantity;
  if (cents > LIMITS.maxEventCents) return TOTAL_MESSAGES.lineValue;
  return undefined;
}
