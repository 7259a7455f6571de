import { toCents } from '../money';
import { parseInstant } from '../parsing/strict-values';
import { hasControlCharacters } from '../text/control-characters';
import { CATALOG_FIELDS, LIMITS, type ParsedWireEvent, TOTAL_MESSAGES, type WireEventType } from './wire-schemas';

/**
 * A hand-written twin of `wireEventSchemas` for the ingest hot path: it accepts and rejects exactly
 * what the schemas accept and reject and returns the same parsed output (trimmed text, integer
 * cents, epoch ms, unknown keys dropped). The schemas stay the documented contract; the
 * differential spec keeps the two in step. It stops at the first problem, which it names by path.
 */
export interface WireIssue {
  path: (string | number)[];
  message: string;
}

export type WireParseResult =
  { success: true; data: ParsedWireEvent } | { success: false; error: { issues: WireIssue[] } };

class WireInvalid extends Error {
  constructor(
    readonly path: (string | number)[],
    readonly issue: string,
  ) {
    super(issue);
  }
}

type Path = readonly (string | number)[];
type Body = Record<string, unknown>;

const CODE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

function fail(path: Path, key: string | number | undefined, message: string): never {
  throw new WireInvalid(key === undefined ? [...path] : [...path, key], message);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function object(value: unknown, path: Path, key?: string | number): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, key, value === undefined ? 'Required' : `Expected object, received ${typeName(value)}`);
  }
  return value as Body;
}

function string(value: unknown, path: Path, key: string): string {
  if (typeof value !== 'string') {
    fail(path, key, value === undefined ? 'Required' : `Expected string, received ${typeName(value)}`);
  }
  return value;
}

function identifier(body: Body, path: Path, key: string): string {
  const text = string(body[key], path, key).trim();
  if (text.length < 1) fail(path, key, 'must not be empty');
  if (text.length > LIMITS.maxIdLength) fail(path, key, `must be at most ${LIMITS.maxIdLength} characters`);
  if (hasControlCharacters(text)) fail(path, key, 'must not contain control characters');
  return text;
}

function alertId(body: Body, path: Path, key: string): string {
  const value = string(body[key], path, key).trim();
  if (value.length < 1) fail(path, key, 'must not be empty');
  if (value.length > LIMITS.maxAlertIdLength) fail(path, key, `must be at most ${LIMITS.maxAlertIdLength} characters`);
  if (hasControlCharacters(value)) fail(path, key, 'must not contain control characters');
  return value;
}

function optionalIdentifier(body: Body, path: Path, key: string): string | undefined {
  return body[key] === undefined ? undefined : identifier(body, path, key);
}

function optionalCode(body: Body, path: Path, key: string): string | undefined {
  if (body[key] === undefined) return undefined;
  const text = string(body[key], path, key).trim();
  if (!CODE.test(text)) fail(path, key, 'must be 1-64 letters, digits, spaces, dots, dashes or underscores');
  return text;
}

function text(body: Body, path: Path, key: string): string {
  const value = string(body[key], path, key).trim();
  if (value.length > LIMITS.maxTextLength) fail(path, key, `must be at most ${LIMITS.maxTextLength} characters`);
  if (value.length < 1) fail(path, key, 'must not be empty');
  return value;
}

/** A product description: 1-2,000 characters, line breaks and tabs allowed, no other control characters. */
function optionalLongText(body: Body, path: Path, key: string): string | undefined {
  if (body[key] === undefined) return undefined;
  const value = string(body[key], path, key).trim();
  if (value.length < 1) fail(path, key, 'must not be empty');
  if (value.length > LIMITS.maxDescriptionLength)
    fail(path, key, `must be at most ${LIMITS.maxDescriptionLength} characters`);
  if (hasControlCharacters(value.replace(/[\n\t]/g, ' '))) fail(path, key, 'must not contain control characters');
  return value;
}

/** `actor` and `reason`: optional, trimmed, 1-256 characters, no control characters. */
function optionalAuditText(body: Body, path: Path, key: string): string | undefined {
  if (body[key] === undefined) return undefined;
  const value = string(body[key], path, key).trim();
  if (value.length < 1) fail(path, key, 'must not be empty');
  if (value.length > LIMITS.maxTextLength) fail(path, key, `must be at most ${LIMITS.maxTextLength} characters`);
  if (hasControlCharacters(value)) fail(path, key, 'must not contain control characters');
  return value;
}

function integer(body: Body, path: Path, key: string, min: number): number {
  const value = body[key];
  if (typeof value !== 'number' || Number.isNaN(value)) {
    fail(path, key, value === undefined ? 'Required' : `Expected number, received ${typeName(value)}`);
  }
  if (!Number.isInteger(value)) fail(path, key, 'must be a whole number');
  if (value < 0 && min >= 0) fail(path, key, 'must not be negative');
  if (value < min) fail(path, key, min === 1 ? 'must be positive' : `must be at least ${min}`);
  if (value > LIMITS.maxQuantity) fail(path, key, `must be at most ${LIMITS.maxQuantity}`);
  return value;
}

const quantity = (body: Body, path: Path, key: string) => integer(body, path, key, 0);
const positiveQuantity = (body: Body, path: Path, key: string) => integer(body, path, key, 1);
const signedQuantity = (body: Body, path: Path, key: string) => integer(body, path, key, -LIMITS.maxQuantity);

function optionalQuantity(body: Body, path: Path, key: string, min: number): number | undefined {
  return body[key] === undefined ? undefined : integer(body, path, key, min);
}

function timestamp(body: Body, path: Path, key: string): number {
  const value = body[key];
  if (typeof value !== 'string') {
    fail(path, key, value === undefined ? 'Required' : `Expected string, received ${typeName(value)}`);
  }
  // A real calendar date-time between 1970 and 2100 (no 2026-02-31, no year 0000); without a zone, UTC.
  const time = parseInstant(value);
  if (!time.ok) fail(path, key, `must be an ISO-8601 date-time (${time.problem})`);
  return time.value;
}

function money(body: Body, path: Path, key: string): number {
  const value = body[key];
  if (typeof value !== 'number' && typeof value !== 'string') {
    fail(path, key, value === undefined ? 'Required' : `must be a decimal amount, received ${typeName(value)}`);
  }
  const cents = toCents(value);
  if (cents === undefined || cents < 0 || cents > LIMITS.maxCents)
    fail(path, key, 'must be a non-negative decimal amount');
  return cents;
}

function optionalMoney(body: Body, path: Path, key: string): number | undefined {
  return body[key] === undefined ? undefined : money(body, path, key);
}

function lines(body: Body, priced: boolean): { sku: string; quantity: number; unit_price?: number }[] {
  const value = body.lines;
  if (!Array.isArray(value)) {
    fail([], 'lines', value === undefined ? 'Required' : `Expected array, received ${typeName(value)}`);
  }
  if (value.length < 1) fail([], 'lines', 'must hold at least 1 line');
  if (value.length > LIMITS.maxLines) fail([], 'lines', `must hold at most ${LIMITS.maxLines} lines`);
  const parsed = new Array<{ sku: string; quantity: number; unit_price?: number }>(value.length);
  let units = 0;
  let cents = 0;
  for (let index = 0; index < value.length; index++) {
    const path = ['lines', index];
    const line = object(value[index], ['lines'], index);
    const parsedLine = {
      sku: identifier(line, path, 'sku'),
      quantity: positiveQuantity(line, path, 'quantity'),
      unit_price: priced ? money(line, path, 'unit_price') : optionalMoney(line, path, 'unit_price'),
    };
    units += parsedLine.quantity;
    cents += parsedLine.quantity * (parsedLine.unit_price ?? 0);
    parsed[index] = parsedLine;
  }
  // Per-event totals, checked once every line is valid (as the schemas do).
  if (units > LIMITS.maxQuantity) fail([], 'lines', TOTAL_MESSAGES.lineQuantity);
  if (cents > LIMITS.maxEventCents) fail([], 'lines', TOTAL_MESSAGES.lineValue);
  return parsed;
}

const ROOT: Path = [];
const PRODUCT: Path = ['product'];

function parse(eventType: WireEventType, body: Body): ParsedWireEvent {
  const event_id = optionalIdentifier(body, ROOT, 'event_id');
  const occurred_at = body.occurred_at === undefined ? undefined : timestamp(body, ROOT, 'occurred_at');
  const location = optionalCode(body, ROOT, 'location');
  const source = optionalCode(body, ROOT, 'source');
  switch (eventType) {
    case 'product_added': {
      const product = object(body.product, ROOT, 'product');
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        product: {
          product_id: identifier(product, PRODUCT, 'product_id'),
          product_name: text(product, PRODUCT, 'product_name'),
          quantity: quantity(product, PRODUCT, 'quantity'),
          timestamp: timestamp(product, PRODUCT, 'timestamp'),
          unit_price: optionalMoney(product, PRODUCT, 'unit_price'),
          unit_cost: optionalMoney(product, PRODUCT, 'unit_cost'),
          reorder_point: optionalQuantity(product, PRODUCT, 'reorder_point', 0),
        },
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
    }
    case 'product_removed': {
      const product = object(body.product, ROOT, 'product');
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        product: {
          product_id: identifier(product, PRODUCT, 'product_id'),
          timestamp: timestamp(product, PRODUCT, 'timestamp'),
          quantity: optionalQuantity(product, PRODUCT, 'quantity', 1),
        },
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
    }
    case 'quantity_changed': {
      const product = object(body.product, ROOT, 'product');
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        product: {
          product_id: identifier(product, PRODUCT, 'product_id'),
          quantity_delta: signedQuantity(product, PRODUCT, 'quantity_delta'),
          timestamp: timestamp(product, PRODUCT, 'timestamp'),
        },
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
    }
    case 'quantity_increment':
    case 'quantity_decrement': {
      const product = object(body.product, ROOT, 'product');
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        product: {
          product_id: identifier(product, PRODUCT, 'product_id'),
          quantity: positiveQuantity(product, PRODUCT, 'quantity'),
          timestamp: timestamp(product, PRODUCT, 'timestamp'),
        },
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
    }
    case 'stock_adjusted':
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        sku: identifier(body, ROOT, 'sku'),
        quantity: quantity(body, ROOT, 'quantity'),
        reason: text(body, ROOT, 'reason'),
        actor: optionalAuditText(body, ROOT, 'actor'),
      };
    case 'reorder_point_set':
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        sku: identifier(body, ROOT, 'sku'),
        reorder_point: quantity(body, ROOT, 'reorder_point'),
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
    case 'alert_acknowledged':
      return {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        sku: identifier(body, ROOT, 'sku'),
        alert_id: alertId(body, ROOT, 'alert_id'),
        acknowledged_by: text(body, ROOT, 'acknowledged_by'),
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
    case 'order_placed':
    case 'order_fulfilled':
    case 'order_cancelled':
    case 'order_returned':
      return {
        event_id,
        occurred_at,
        location,
        source,
        order_id: identifier(body, ROOT, 'order_id'),
        customer_id: optionalIdentifier(body, ROOT, 'customer_id'),
        event_type: eventType,
        lines: lines(body, eventType === 'order_placed'),
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      } as ParsedWireEvent;
    case 'product_updated': {
      const updated = {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        sku: identifier(body, ROOT, 'sku'),
        name: body.name === undefined ? undefined : text(body, ROOT, 'name'),
        unit_price: optionalMoney(body, ROOT, 'unit_price'),
        unit_cost: optionalMoney(body, ROOT, 'unit_cost'),
        category: body.category === undefined ? undefined : text(body, ROOT, 'category'),
        description: optionalLongText(body, ROOT, 'description'),
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
      if (!CATALOG_FIELDS.some((field) => updated[field] !== undefined))
        fail(ROOT, undefined, TOTAL_MESSAGES.catalogFields);
      return updated;
    }
    case 'restock_received': {
      const restock = {
        event_id,
        occurred_at,
        location,
        source,
        event_type: eventType,
        sku: identifier(body, ROOT, 'sku'),
        quantity: positiveQuantity(body, ROOT, 'quantity'),
        unit_cost: money(body, ROOT, 'unit_cost'),
        supplier_id: optionalIdentifier(body, ROOT, 'supplier_id'),
        actor: optionalAuditText(body, ROOT, 'actor'),
        reason: optionalAuditText(body, ROOT, 'reason'),
      };
      if (restock.quantity * restock.unit_cost > LIMITS.maxEventCents)
        fail(ROOT, 'quantity', TOTAL_MESSAGES.restockValue);
      return restock;
    }
  }
}

/**
 * Validates one decoded JSON value of a known event type; the result has the shape of zod's
 * `safeParse`, so callers can switch between the two.
 */
export function parseWireEvent(eventType: WireEventType, body: unknown): WireParseResult {
  try {
    return { success: true, data: parse(eventType, object(body, ROOT)) };
  } catch (error) {
    if (error instanceof WireInvalid) {
      return { success: false, error: { issues: [{ path: error.path, message: error.issue }] } };
    }
    throw error;
  }
}
