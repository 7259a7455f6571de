import { z } from 'zod';
import { toCents } from '../money';
import { EVENT_TYPES, QUANTITY_ALIASES } from './event-types';
import { parseInstant } from '../parsing/strict-values';
import { hasControlCharacters } from '../text/control-characters';

/**
 * The wire contract: what producers put on the stream (snake_case JSON). These schemas are
 * the single definition used by the decoder, the simulator, the replay tool and the API's
 * write path. Limits keep absurd values out: Redis and MySQL hold every figure exactly.
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

/** The messages shared with the hand-written validator, which must name problems the same way. */
export const TOTAL_MESSAGES = {
  lineQuantity: `quantities over all lines must add up to at most ${LIMITS.maxQuantity}`,
  lineValue: `quantity × unit_price over all lines must add up to at most ${decimalText(LIMITS.maxEventCents)}`,
  restockValue: `quantity × unit_cost must be at most ${decimalText(LIMITS.maxEventCents)}`,
  catalogFields: 'give at least one of name, unit_price, unit_cost, category, description',
} as const;

/** The catalog fields a product_updated may change (at least one). */
export const CATALOG_FIELDS = ['name', 'unit_price', 'unit_cost', 'category', 'description'] as const;

/** Trimmed, 1-`max` characters, no control characters: identifiers and the audit fields. */
function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    .refine((text) => !hasControlCharacters(text), 'must not contain control characters');
}

const identifier = plainText(LIMITS.maxIdLength);
/** SKUs, order, supplier and event ids: trimmed, 1-128 characters, no control characters. Routes reuse it. */
export const wireIdentifierSchema = identifier;
const alertId = plainText(LIMITS.maxAlertIdLength);
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be 1-64 letters, digits, spaces, dots, dashes or underscores');
const text = z.string().trim().max(LIMITS.maxTextLength);
const longText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxDescriptionLength)
  .refine((value) => !hasControlCharacters(value.replace(/[\n\t]/g, ' ')), 'must not contain control characters');
const quantity = z.number().int('must be a whole number').min(0, 'must not be negative').max(LIMITS.maxQuantity);
const positiveQuantity = quantity.min(1, 'must be positive');
const signedQuantity = z.number().int('must be a whole number').min(-LIMITS.maxQuantity).max(LIMITS.maxQuantity);
const timestamp = z.string().transform((value, context) => {
  const time = parseInstant(value);
  if (time.ok) return time.value;
  context.addIssue({ code: z.ZodIssueCode.custom, message: `must be an ISO-8601 date-time (${time.problem})` });
  return z.NEVER;
});
const money = z.union([z.number(), z.string()]).transform((value, context) => {
  const cents = toCents(value);
  if (cents === undefined || cents < 0 || cents > LIMITS.maxCents) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a non-negative decimal amount' });
    return z.NEVER;
  }
  return cents;
});

const common = {
  event_id: identifier.optional(),
  occurred_at: timestamp.optional(),
  location: code.optional(),
  source: code.optional(),
};

/** Who made a change and why: free text a person or the API wrote, trimmed, 1-256 characters, no control characters. */
const auditText = plainText(LIMITS.maxTextLength);
/**
 * Audit fields, optional for every producer; the API's write path always sets `actor` (the signed-in
 * user or the token's subject) and `reason` when one was given. Last in each schema, after the
 * event's own fields (the hand-written validator checks them in the same order).
 */
const audit = { actor: auditText.optional(), reason: auditText.optional() };
/** stock_adjusted has a reason of its own (required): only the actor is added. */
const actorOnly = { actor: auditText.optional() };

const line = z.object({ sku: identifier, quantity: positiveQuantity, unit_price: money.optional() });
const pricedLine = line.extend({ unit_price: money });
const orderFields = { order_id: identifier, customer_id: identifier.optional() };

/** An order's totals, bounded per event (runs only once every line is valid). */
function boundLineTotals(items: { quantity: number; unit_price?: number }[], context: z.RefinementCtx): void {
  let units = 0;
  let cents = 0;
  for (const item of items) {
    units += item.quantity;
    cents += item.quantity * (item.unit_price ?? 0);
  }
  if (units > LIMITS.maxQuantity)
    context.addIssue({ code: z.ZodIssueCode.custom, message: TOTAL_MESSAGES.lineQuantity });
  else if (cents > LIMITS.maxEventCents)
    context.addIssue({ code: z.ZodIssueCode.custom, message: TOTAL_MESSAGES.lineValue });
}
const pricedLines = z.array(pricedLine).min(1).max(LIMITS.maxLines).superRefine(boundLineTotals);
const lines = z.array(line).min(1).max(LIMITS.maxLines).superRefine(boundLineTotals);

export const wireEventSchemas = {
  product_added: z.object({
    ...common,
    event_type: z.literal('product_added'),
    product: z.object({
      product_id: identifier,
      product_name: text.min(1, 'must not be empty'),
      quantity,
      timestamp,
      unit_price: money.optional(),
      unit_cost: money.optional(),
      reorder_point: quantity.optional(),
    }),
    ...audit,
  }),
  product_removed: z.object({
    ...common,
    event_type: z.literal('product_removed'),
    product: z.object({ product_id: identifier, timestamp, quantity: positiveQuantity.optional() }),
    ...audit,
  }),
  quantity_changed: z.object({
    ...common,
    event_type: z.literal('quantity_changed'),
    product: z.object({ product_id: identifier, quantity_delta: signedQuantity, timestamp }),
    ...audit,
  }),
  quantity_increment: z.object({
    ...common,
    event_type: z.literal('quantity_increment'),
    product: z.object({ product_id: identifier, quantity: positiveQuantity, timestamp }),
    ...audit,
  }),
  quantity_decrement: z.object({
    ...common,
    event_type: z.literal('quantity_decrement'),
    product: z.object({ product_id: identifier, quantity: positiveQuantity, timestamp }),
    ...audit,
  }),
  stock_adjusted: z.object({
    ...common,
    event_type: z.literal('stock_adjusted'),
    sku: identifier,
    quantity,
    reason: text.min(1, 'must not be empty'),
    ...actorOnly,
  }),
  reorder_point_set: z.object({
    ...common,
    event_type: z.literal('reorder_point_set'),
    sku: identifier,
    reorder_point: quantity,
    ...audit,
  }),
  order_placed: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_placed'),
    lines: pricedLines,
    ...audit,
  }),
  order_fulfilled: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_fulfilled'),
    lines,
    ...audit,
  }),
  order_cancelled: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_cancelled'),
    lines,
    ...audit,
  }),
  order_returned: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_returned'),
    lines,
    ...audit,
  }),
  restock_received: z
    .object({
      ...common,
      event_type: z.literal('restock_received'),
      sku: identifier,
      quantity: positiveQuantity,
      unit_cost: money,
      supplier_id: identifier.optional(),
      ...audit,
    })
    .superRefine((event, context) => {
      if (event.quantity * event.unit_cost > LIMITS.maxEventCents) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['quantity'], message: TOTAL_MESSAGES.restockValue });
      }
    }),
  alert_acknowledged: z.object({
    ...common,
    event_type: z.literal('alert_acknowledged'),
    sku: identifier,
    alert_id: alertId,
    acknowledged_by: text.min(1, 'must not be empty'),
    ...audit,
  }),
  product_updated: z
    .object({
      ...common,
      event_type: z.literal('product_updated'),
      sku: identifier,
      name: text.min(1, 'must not be empty').optional(),
      unit_price: money.optional(),
      unit_cost: money.optional(),
      category: text.min(1, 'must not be empty').optional(),
      description: longText.optional(),
      ...audit,
    })
    .refine((event) => CATALOG_FIELDS.some((field) => event[field] !== undefined), {
      message: TOTAL_MESSAGES.catalogFields,
    }),
} satisfies Record<(typeof EVENT_TYPES)[number] | keyof typeof QUANTITY_ALIASES, z.ZodTypeAny>;

export type WireEventType = keyof typeof wireEventSchemas;
/** What a producer writes (input side of the schemas: decimal money, ISO times). */
export type WireEvent = { [K in WireEventType]: z.input<(typeof wireEventSchemas)[K]> }[WireEventType];
export type ParsedWireEvent = { [K in WireEventType]: z.output<(typeof wireEventSchemas)[K]> }[WireEventType];

export function isWireEventType(value: unknown): value is WireEventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(wireEventSchemas, value);
}
