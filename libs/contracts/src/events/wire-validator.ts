import { toCents } from '../money';
import { parseInstant } from '../parsing/strict-values';
import { hasControlCharacters } from '../text/control-characters';
import { LIMITS, lineTotalsProblem, WIRE_EVENT_TABLE, type WireEventTable, type WireField } from './wire-fields';
import type { ParsedWireEvent, WireEventType } from './wire-schemas';

/**
 * The fast validator of the ingest hot path, driven by the same field table as `wireEventSchemas`
 * (wire-fields.ts): it accepts and rejects exactly what the schemas accept and reject and returns
 * the same parsed output (trimmed text, integer cents, epoch ms, unknown keys dropped), without
 * the schema library's cost. The differential spec checks the two agree. It stops at the first
 * problem, which it names by path.
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

/** Trimmed, 1-`max` characters, no control characters: identifiers and the audit fields. */
function plainText(body: Body, path: Path, key: string, max: number): string {
  const text = string(body[key], path, key).trim();
  if (text.length < 1) fail(path, key, 'must not be empty');
  if (text.length > max) fail(path, key, `must be at most ${max} characters`);
  if (hasControlCharacters(text)) fail(path, key, 'must not contain control characters');
  return text;
}

function code(body: Body, path: Path, key: string): string {
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
function description(body: Body, path: Path, key: string): string {
  const value = string(body[key], path, key).trim();
  if (value.length < 1) fail(path, key, 'must not be empty');
  if (value.length > LIMITS.maxDescriptionLength)
    fail(path, key, `must be at most ${LIMITS.maxDescriptionLength} characters`);
  if (hasControlCharacters(value.replace(/[\n\t]/g, ' '))) fail(path, key, 'must not contain control characters');
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

type LineCheck = (body: Body, path: Path, eventType: WireEventType) => Body;

/** An order's lines: each checked by `line` at its own path, then their totals bounded per event. */
function lines(body: Body, path: Path, key: string, line: LineCheck, eventType: WireEventType): Body[] {
  const value = body[key];
  if (!Array.isArray(value)) {
    fail(path, key, value === undefined ? 'Required' : `Expected array, received ${typeName(value)}`);
  }
  if (value.length < 1) fail(path, key, 'must hold at least 1 line');
  if (value.length > LIMITS.maxLines) fail(path, key, `must hold at most ${LIMITS.maxLines} lines`);
  const listPath = path.length === 0 ? [key] : [...path, key];
  const parsed = new Array<Body>(value.length);
  for (let index = 0; index < value.length; index++) {
    const linePath = path.length === 0 ? [key, index] : [...path, key, index];
    parsed[index] = line(object(value[index], listPath, index), linePath, eventType);
  }
  // Per-event totals, checked once every line is valid (as the schemas do).
  const problem = lineTotalsProblem(parsed as { quantity: number; unit_price?: number }[]);
  if (problem) fail(path, key, problem);
  return parsed;
}

type FieldRead = (body: Body, path: Path, eventType: WireEventType) => unknown;

/**
 * The checks of each event type are built once from the table as plain closures, never as generated
 * source: this module is part of the contracts the dashboard bundles, and the page's Content Security
 * Policy (script-src 'self') forbids evaluating strings, so code generated with `new Function` when
 * the module loads stopped the whole dashboard script. Each object's fields are read in the table's
 * order into a new object, so the parsed events of one type share one shape.
 */
function objectCheck(fields: readonly WireField[], objectPath: Path | null): LineCheck {
  const names = fields.map((field) => field.name);
  const reads = fields.map((field) => fieldRead(field, objectPath));
  return (body, path, eventType) => {
    const parsed: Body = {};
    for (let index = 0; index < reads.length; index++) parsed[names[index]] = reads[index](body, path, eventType);
    return parsed;
  };
}

/** An optional field is undefined when absent, and checked by its kind when present. */
function fieldRead(field: WireField, objectPath: Path | null): FieldRead {
  const read = kindRead(field, objectPath);
  if (field.required) return read;
  const key = field.name;
  return (body, path, eventType) => (body[key] === undefined ? undefined : read(body, path, eventType));
}

function kindRead(field: WireField, objectPath: Path | null): FieldRead {
  const key = field.name;
  switch (field.kind) {
    case 'plainText': {
      const max = field.max;
      return (body, path) => plainText(body, path, key, max);
    }
    case 'integer': {
      const min = field.min;
      return (body, path) => integer(body, path, key, min);
    }
    case 'code':
      return (body, path) => code(body, path, key);
    case 'text':
      return (body, path) => text(body, path, key);
    case 'description':
      return (body, path) => description(body, path, key);
    case 'money':
      return (body, path) => money(body, path, key);
    case 'timestamp':
      return (body, path) => timestamp(body, path, key);
    case 'object': {
      if (objectPath === null) throw new Error(`${field.name}: objects are not checked inside lines`);
      const innerPath = [...objectPath, key];
      const inner = objectCheck(field.fields, innerPath);
      return (body, path, eventType) => inner(object(body[key], path, key), innerPath, eventType);
    }
    case 'lines': {
      const line = objectCheck(field.fields, null);
      return (body, path, eventType) => lines(body, path, key, line, eventType);
    }
    case 'eventType':
      return (_body, _path, eventType) => eventType;
  }
}

const ROOT: Path = [];

function eventCheck(table: WireEventTable): (body: Body, eventType: WireEventType) => Body {
  const check = objectCheck(table.fields, ROOT);
  const rule = table.rule;
  return (body, eventType) => {
    const event = check(body, ROOT, eventType);
    const problem = rule?.(event);
    if (problem) fail(problem.path, undefined, problem.message);
    return event;
  };
}

/** Each event type's checks, built from the field table. */
const EVENT_CHECKS = Object.fromEntries(
  Object.entries(WIRE_EVENT_TABLE).map(([type, table]: [string, WireEventTable]) => [type, eventCheck(table)]),
) as Record<WireEventType, (body: Body, eventType: WireEventType) => Body>;

/**
 * Validates one decoded JSON value of a known event type; the result has the shape of zod's
 * `safeParse`, so callers can switch between the two.
 */
export function parseWireEvent(eventType: WireEventType, body: unknown): WireParseResult {
  try {
    return { success: true, data: EVENT_CHECKS[eventType](object(body, ROOT), eventType) as ParsedWireEvent };
  } catch (error) {
    if (error instanceof WireInvalid) {
      return { success: false, error: { issues: [{ path: error.path, message: error.issue }] } };
    }
    throw error;
  }
}
