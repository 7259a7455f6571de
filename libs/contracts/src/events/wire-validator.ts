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

/** What the generated checks call: the checks of each kind, and how a problem is raised. */
const KIND_CHECKS = { plainText, code, text, description, integer, money, timestamp, object, lines, fail };

/**
 * Generates the checks of an event type from its fields in the table, once, when this module loads
 * (the way fast JSON validators do): one function per object that checks each field in the table's
 * order and returns one object literal of the parsed fields, as hand-written code would, so the hot
 * path keeps one hidden class per event type. Only names and numbers from the table go into the
 * source; values are passed in as parameters.
 */
class CheckGenerator {
  private readonly constants: unknown[] = [];

  eventCheck(table: WireEventTable): (body: Body, eventType: WireEventType) => Body {
    const rule =
      table.rule === undefined
        ? ''
        : `const problem = ${this.constant(table.rule)}(event);
      if (problem) fail(problem.path, undefined, problem.message);`;
    return this.compile(`(body, eventType) => {
      const path = ${this.constant([])};
      const event = ${this.objectLiteral(table.fields, [])};
      ${rule}
      return event;
    }`) as (body: Body, eventType: WireEventType) => Body;
  }

  /** An object literal of `fields` read from `body` at `path`; `objectPath` is `path` where it is fixed. */
  private objectLiteral(fields: readonly WireField[], objectPath: Path | null): string {
    return `{ ${fields.map((field) => `${JSON.stringify(field.name)}: ${this.fieldExpression(field, objectPath)}`).join(', ')} }`;
  }

  private fieldExpression(field: WireField, objectPath: Path | null): string {
    const key = JSON.stringify(field.name);
    const value = this.kindExpression(field, key, objectPath);
    return field.required ? value : `(body[${key}] === undefined ? undefined : ${value})`;
  }

  private kindExpression(field: WireField, key: string, objectPath: Path | null): string {
    switch (field.kind) {
      case 'plainText':
        return `plainText(body, path, ${key}, ${field.max})`;
      case 'integer':
        return `integer(body, path, ${key}, ${field.min})`;
      case 'code':
      case 'text':
      case 'description':
      case 'money':
      case 'timestamp':
        return `${field.kind}(body, path, ${key})`;
      case 'object': {
        if (objectPath === null) throw new Error(`${field.name}: objects are not checked inside lines`);
        const innerPath = [...objectPath, field.name];
        const inner = this.compile(`(body, path, eventType) => (${this.objectLiteral(field.fields, innerPath)})`);
        return `${this.constant(inner)}(object(body[${key}], path, ${key}), ${this.constant(innerPath)}, eventType)`;
      }
      case 'lines': {
        const line = this.compile(`(body, path, eventType) => (${this.objectLiteral(field.fields, null)})`);
        return `lines(body, path, ${key}, ${this.constant(line)}, eventType)`;
      }
      case 'eventType':
        return 'eventType';
    }
  }

  /** A value the generated source uses, bound to a parameter of its function (`c0`, `c1`...). */
  private constant(value: unknown): string {
    this.constants.push(value);
    return `c${this.constants.length - 1}`;
  }

  private compile(source: string): unknown {
    const names = this.constants.map((_value, index) => `c${index}`);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- source made from the static field table only
    const factory = new Function(
      'checks',
      ...names,
      `const { ${Object.keys(KIND_CHECKS).join(', ')} } = checks;
      return ${source};`,
    ) as (checks: typeof KIND_CHECKS, ...constants: unknown[]) => unknown;
    return factory(KIND_CHECKS, ...this.constants);
  }
}

const ROOT: Path = [];

/** Each event type's checks, generated from the field table. */
const EVENT_CHECKS = Object.fromEntries(
  Object.entries(WIRE_EVENT_TABLE).map(([type, table]: [string, WireEventTable]) => [
    type,
    new CheckGenerator().eventCheck(table),
  ]),
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
