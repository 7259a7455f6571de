import { z } from 'zod';
import { toCents } from '../money';
import { EVENT_TYPES, QUANTITY_ALIASES } from './event-types';

/**
 * The wire contract: what producers put on the stream (snake_case JSON). These schemas are
 * the single definition used by the decoder, the simulator, the replay tool and the API's
 * write path. Limits keep absurd values out: Redis and MySQL hold every figure exactly.
 */
export const LIMITS = {
  maxQuantity: 10_000_000,
  maxCents: 100_000_000_00,
  maxLines: 500,
  maxIdLength: 128,
  maxTextLength: 256,
} as const;

// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const identifier = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxIdLength)
  .refine((text) => !CONTROL_CHARACTERS.test(text), 'must not contain control characters');
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be 1-64 letters, digits, spaces, dots, dashes or underscores');
const text = z.string().trim().max(LIMITS.maxTextLength);
const quantity = z.number().int('must be a whole number').min(0, 'must not be negative').max(LIMITS.maxQuantity);
const positiveQuantity = quantity.min(1, 'must be positive');
const signedQuantity = z.number().int('must be a whole number').min(-LIMITS.maxQuantity).max(LIMITS.maxQuantity);
const timestamp = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'must be an ISO-8601 date-time',
  })
  .transform((value) => Date.parse(value));
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

const line = z.object({ sku: identifier, quantity: positiveQuantity, unit_price: money.optional() });
const pricedLine = line.extend({ unit_price: money });
const orderFields = { order_id: identifier, customer_id: identifier.optional() };

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
  }),
  product_removed: z.object({
    ...common,
    event_type: z.literal('product_removed'),
    product: z.object({ product_id: identifier, timestamp, quantity: positiveQuantity.optional() }),
  }),
  quantity_changed: z.object({
    ...common,
    event_type: z.literal('quantity_changed'),
    product: z.object({ product_id: identifier, quantity_delta: signedQuantity, timestamp }),
  }),
  quantity_increment: z.object({
    ...common,
    event_type: z.literal('quantity_increment'),
    product: z.object({ product_id: identifier, quantity: positiveQuantity, timestamp }),
  }),
  quantity_decrement: z.object({
    ...common,
    event_type: z.literal('quantity_decrement'),
    product: z.object({ product_id: identifier, quantity: positiveQuantity, timestamp }),
  }),
  stock_adjusted: z.object({
    ...common,
    event_type: z.literal('stock_adjusted'),
    sku: identifier,
    quantity,
    reason: text.min(1, 'must not be empty'),
  }),
  reorder_point_set: z.object({
    ...common,
    event_type: z.literal('reorder_point_set'),
    sku: identifier,
    reorder_point: quantity,
  }),
  order_placed: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_placed'),
    lines: z.array(pricedLine).min(1).max(LIMITS.maxLines),
  }),
  order_fulfilled: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_fulfilled'),
    lines: z.array(line).min(1).max(LIMITS.maxLines),
  }),
  order_cancelled: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_cancelled'),
    lines: z.array(line).min(1).max(LIMITS.maxLines),
  }),
  order_returned: z.object({
    ...common,
    ...orderFields,
    event_type: z.literal('order_returned'),
    lines: z.array(line).min(1).max(LIMITS.maxLines),
  }),
  restock_received: z.object({
    ...common,
    event_type: z.literal('restock_received'),
    sku: identifier,
    quantity: positiveQuantity,
    unit_cost: money,
    supplier_id: identifier.optional(),
  }),
} satisfies Record<(typeof EVENT_TYPES)[number] | keyof typeof QUANTITY_ALIASES, z.ZodTypeAny>;

export type WireEventType = keyof typeof wireEventSchemas;
/** What a producer writes (input side of the schemas: decimal money, ISO times). */
export type WireEvent = { [K in WireEventType]: z.input<(typeof wireEventSchemas)[K]> }[WireEventType];
export type ParsedWireEvent = { [K in WireEventType]: z.output<(typeof wireEventSchemas)[K]> }[WireEventType];

export function isWireEventType(value: unknown): value is WireEventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(wireEventSchemas, value);
}
