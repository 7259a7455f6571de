import {
  DEFAULT_LOCATION,
  DEFAULT_SOURCE,
  InventoryEvent,
  isWireEventType,
  ParsedWireEvent,
  parseWireEvent,
  StreamPosition,
} from '@stockwall/contracts';
import { customerHash } from './customer-hash';
import { redactedHead, redactFreeText } from './personal-data';

/** Why a record was dead-lettered. Stable codes: metrics and the dead-letter API group by them. */
export const DEAD_LETTER_REASONS = [
  'too_large',
  'not_utf8',
  'not_json',
  'not_an_object',
  'unknown_event_type',
  'invalid_event',
  'kpl_bad_checksum',
  'kpl_malformed',
  // Not the decoder's: MySQL refused a decoded event's values (stored by the persist writer only).
  'persist_rejected',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface RecordContext {
  shardId: string;
  position: StreamPosition;
  /**
   * The record's ApproximateArrivalTimestamp (epoch ms): event time when the event carries none, and
   * the reference for far-future event times. 0 where no arrival is known (offline decoding of
   * files and generated traffic): the far-future check is then skipped.
   */
  arrivalTime: number;
}

/** How far an event's time may be ahead of its record's arrival by default (clock skew, time zones). */
export const DEFAULT_MAX_EVENT_TIME_AHEAD_MS = 24 * 3_600_000;

export interface DecoderOptions {
  maxEventBytes: number;
  /**
   * Events whose time is further than this ahead of their record's arrival are dead-lettered
   * (`invalid_event`): a typo'd year would move forecasts and windows into the future.
   * Default: DEFAULT_MAX_EVENT_TIME_AHEAD_MS.
   */
  maxEventTimeAheadMs?: number;
  /**
   * Key of the salted hash an order's `customer_id` is replaced by (see customerHash). Without it
   * the id is dropped and customers are not counted.
   */
  customerSalt?: string | null;
}

export type DecodeResult =
  { ok: true; event: InventoryEvent } | { ok: false; reason: DeadLetterReason; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Far deeper than any event (an order's lines are three levels down). */
export const MAX_NESTING = 32;
/** Characters of an unknown event_type quoted in its dead letter's detail. */
const EVENT_TYPE_SHOWN = 64;

/**
 * Turns one record's bytes into a normalized event, or says exactly why it cannot. Never throws:
 * a bad record must not stop its shard.
 */
export function decodeEventRecord(data: Uint8Array, context: RecordContext, options: DecoderOptions): DecodeResult {
  if (data.byteLength > options.maxEventBytes) {
    return reject('too_large', `record is ${data.byteLength} bytes; the limit is ${options.maxEventBytes}`);
  }
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return reject('not_utf8', 'record is not valid UTF-8');
  }
  // JSON.parse is linear in size but not in depth (a megabyte of `[` costs it about a second).
  if (nestsDeeperThan(text, MAX_NESTING)) {
    return reject('invalid_event', `record nests objects or arrays more than ${MAX_NESTING} deep`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return reject('not_json', `record is not JSON: ${jsonErrorMessage(error)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return reject('not_an_object', 'record must be one JSON object');
  }
  const eventType = (body as { event_type?: unknown }).event_type;
  if (eventType === undefined) return reject('invalid_event', 'event_type: required');
  if (!isWireEventType(eventType)) {
    return reject('unknown_event_type', `event_type ${describeEventType(eventType)} is not known`);
  }
  // The hand-written twin of the wire schemas: same accept/reject and output, without the schema library's cost.
  const parsed = parseWireEvent(eventType, body);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    return reject('invalid_event', detail);
  }
  const event = normalizeWireEvent(parsed.data, context, options.customerSalt ?? null);
  const maxAheadMs = options.maxEventTimeAheadMs ?? DEFAULT_MAX_EVENT_TIME_AHEAD_MS;
  if (context.arrivalTime > 0 && event.occurredAt - context.arrivalTime > maxAheadMs) {
    return reject('invalid_event', farFutureDetail(parsed.data, event.occurredAt, context.arrivalTime, maxAheadMs));
  }
  return { ok: true, event };
}

function farFutureDetail(wire: ParsedWireEvent, occurredAt: number, arrivalTime: number, maxAheadMs: number): string {
  const field = wire.occurred_at !== undefined ? 'occurred_at' : 'product.timestamp';
  return (
    `${field}: ${new Date(occurredAt).toISOString()} is more than ${maxAheadMs / 1000} s ahead of ` +
    `the record's arrival at ${new Date(arrivalTime).toISOString()}`
  );
}

type QuantityWireEvent = Extract<
  ParsedWireEvent,
  { event_type: 'quantity_changed' | 'quantity_increment' | 'quantity_decrement' }
>;

/** The stock change a quantity event carries: increments and decrements give its size, quantity_changed its sign too. */
function quantityDelta(wire: QuantityWireEvent): number {
  switch (wire.event_type) {
    case 'quantity_changed':
      return wire.product.quantity_delta;
    case 'quantity_increment':
      return wire.product.quantity;
    case 'quantity_decrement':
      return -wire.product.quantity;
  }
}

/** Where a producer set no event_id, the record's place in the stream is its identity. */
export function fallbackEventId(context: Pick<RecordContext, 'shardId' | 'position'>): string {
  return `${context.shardId}-${context.position.sequenceNumber}-${context.position.subSequence}`;
}

export function normalizeWireEvent(
  wire: ParsedWireEvent,
  context: RecordContext,
  customerSalt: string | null = null,
): InventoryEvent {
  const productTime = 'product' in wire ? wire.product.timestamp : undefined;
  // Literal objects with the common fields written out (no spread): one hidden class per event
  // type, which keeps the hot path monomorphic and allocation-light.
  const eventId = wire.event_id ?? fallbackEventId(context);
  const occurredAt = wire.occurred_at ?? productTime ?? context.arrivalTime;
  const location = wire.location ?? DEFAULT_LOCATION;
  const source = wire.source ?? DEFAULT_SOURCE;
  // Who and why, kept for the audit trail; a reason is free text a person typed, redacted like stock_adjusted's.
  const actor = wire.actor;
  const reason =
    wire.event_type === 'stock_adjusted' || wire.reason === undefined ? undefined : redactFreeText(wire.reason);
  switch (wire.event_type) {
    case 'product_added':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'product_added',
        sku: wire.product.product_id,
        name: wire.product.product_name,
        quantity: wire.product.quantity,
        unitPriceCents: wire.product.unit_price,
        unitCostCents: wire.product.unit_cost,
        reorderPoint: wire.product.reorder_point,
      };
    case 'product_removed':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'product_removed',
        sku: wire.product.product_id,
        quantity: wire.product.quantity,
      };
    case 'quantity_changed':
    case 'quantity_increment':
    case 'quantity_decrement':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'quantity_changed',
        sku: wire.product.product_id,
        delta: quantityDelta(wire),
      };
    case 'stock_adjusted':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        type: 'stock_adjusted',
        sku: wire.sku,
        quantity: wire.quantity,
        // Free text a person typed: a card number or a phone number in it is not stored.
        reason: redactFreeText(wire.reason),
      };
    case 'reorder_point_set':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'reorder_point_set',
        sku: wire.sku,
        reorderPoint: wire.reorder_point,
      };
    case 'alert_acknowledged':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'alert_acknowledged',
        sku: wire.sku,
        alertId: wire.alert_id,
        acknowledgedBy: wire.acknowledged_by,
      };
    case 'product_updated':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'product_updated',
        sku: wire.sku,
        name: wire.name,
        unitPriceCents: wire.unit_price,
        unitCostCents: wire.unit_cost,
        category: wire.category,
        description: wire.description,
      };
    case 'restock_received':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: 'restock_received',
        sku: wire.sku,
        quantity: wire.quantity,
        unitCostCents: wire.unit_cost,
        supplierId: wire.supplier_id,
      };
    case 'order_placed':
    case 'order_fulfilled':
    case 'order_cancelled':
    case 'order_returned':
      return {
        eventId,
        occurredAt,
        location,
        source,
        actor,
        reason,
        type: wire.event_type,
        orderId: wire.order_id,
        lines: wire.lines.map((line) => ({
          sku: line.sku,
          quantity: line.quantity,
          unitPriceCents: line.unit_price,
        })),
        // The raw id never goes further than this: only its salted hash is kept.
        ...(wire.customer_id !== undefined && customerSalt !== null
          ? { customerHash: customerHash(wire.customer_id, customerSalt) }
          : {}),
      };
  }
}

/**
 * JSON.parse's message without the input it quotes (`Unexpected token 'x', "…{"email":"ann@exa"… is
 * not valid JSON`): that quote is cut at both ends, so an address or card number cut there could
 * not be recognised and redacted. The record's own (redacted) bytes are kept beside the detail.
 */
function jsonErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const quoted = message.indexOf(', "');
  return quoted !== -1 && message.endsWith(' is not valid JSON') ? message.slice(0, quoted) : message;
}

/** Whether JSON-ish text opens more than `limit` objects or arrays at once (brackets in strings do not count). One pass. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}

function reject(reason: DeadLetterReason, detail: string): DecodeResult {
  return { ok: false, reason, detail };
}

/**
 * An unknown event_type as the detail quotes it. Bounded work: a string is cut (where no card
 * number or address is cut in two) before it is quoted, and an object or array is only named
 * (JSON.stringify would cost its whole size, and throws on a deeply nested one).
 */
function describeEventType(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > EVENT_TYPE_SHOWN
      ? `${JSON.stringify(redactedHead(value, EVENT_TYPE_SHOWN))}…`
      : JSON.stringify(value);
  }
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? '(an array)' : '(an object)';
}
