/**
 * The one strict reader of the dates, offsets, durations and cursors that reach Stockwall from
 * outside (query strings, event fields, CLI flags). Each returns a value or a problem phrased to
 * follow the parameter's name (`from: must be …`); none throws, whatever the text.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

/** Event and query times must fall in [1970-01-01, 2100-01-01): anything else is a typo or an attack. */
export const EARLIEST_INSTANT_MS = 0;
export const LATEST_INSTANT_MS = Date.UTC(2100, 0, 1);

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export interface InstantOptions {
  /** Queries require a zone (`Z` or `+01:00`); event fields without one are UTC. */
  requireZone?: boolean;
  /** Whether a date alone (`2024-03-01`, midnight UTC) is accepted. */
  allowDateOnly?: boolean;
}

const INSTANT_SHAPE = 'an ISO-8601 date-time like 2024-03-01T00:00:00Z';

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch ms of a real calendar date-time between 1970 and 2100 (no 2026-02-31, no year 0000, no 24:00). */
export function parseInstant(text: unknown, options: InstantOptions = {}): Parsed<number> {
  if (typeof text !== 'string') return problem(`must be ${INSTANT_SHAPE}`);
  const match = text.length <= 40 ? DATE_TIME.exec(text) : null;
  if (!match) return problem(`must be ${INSTANT_SHAPE}`);
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  if (hourText === undefined && !options.allowDateOnly) return problem(`must be ${INSTANT_SHAPE}`);
  if (hourText !== undefined && zone === undefined && options.requireZone) {
    return problem('must carry a zone (Z or an offset like +01:00)');
  }
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];
  // Before the time check: Date.UTC reads the years 0-99 as 1900-1999.
  if (year < 1969 || year > 2100) return problem('must be between 1970 and 2100');
  if (month < 1 || month > 12) return problem('has no such month');
  if (day < 1 || day > daysInMonth(year, month))
    return problem(`has no such day (${yearText}-${monthText} has ${daysInMonth(year, month)})`);
  const [hour, minute, second] = [Number(hourText ?? 0), Number(minuteText ?? 0), Number(secondText ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return problem('has no such time of day');
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const offset = parseUtcOffset(zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone);
    if (!offset.ok) return offset;
    offsetMinutes = offset.value;
  }
  const milliseconds = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const time = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds) - offsetMinutes * 60_000;
  if (time < EARLIEST_INSTANT_MS || time >= LATEST_INSTANT_MS) return problem('must be between 1970 and 2100');
  return ok(time);
}

/** Minutes east of UTC of `Z`, `+05:30`, `-08`, … between −14:00 and +14:00. */
export function parseUtcOffset(text: unknown): Parsed<number> {
  if (text === 'Z' || text === 'z') return ok(0);
  const match = typeof text === 'string' ? /^([+-])(\d{2})(?::(\d{2}))?$/.exec(text) : null;
  if (!match) return problem('must be a UTC offset like +05:30, -08:00 or Z');
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return problem('must be an offset between -14:00 and +14:00');
  const total = hours * 60 + minutes;
  return ok(match[1] === '-' ? -total : total);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Seconds of `3600`, `90s`, `15m`, `12h`, `30d` or `2w`, from 1 s up to `maxSeconds`. */
export function parseDuration(text: unknown, maxSeconds: number): Parsed<number> {
  const match = typeof text === 'string' ? /^(\d{1,9})([smhdw]?)$/.exec(text) : null;
  if (!match) return problem('must be a duration like 3600, 90s, 15m, 12h or 30d');
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
  if (seconds < 1) return problem('must be at least 1 second');
  if (seconds > maxSeconds) return problem(`must be at most ${describeSeconds(maxSeconds)}`);
  return ok(seconds);
}

export function describeSeconds(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** A whole number written plainly (no sign, exponent or spaces) between `min` and `max`. */
export function parseWholeNumber(text: unknown, min: number, max: number): Parsed<number> {
  if (typeof text !== 'string' || !/^\d{1,16}$/.test(text)) return problem('must be a whole number');
  const value = Number(text);
  if (value < min) return problem(`must be at least ${min}`);
  if (value > max) return problem(`must be at most ${max}`);
  return ok(value);
}

/**
 * An opaque page cursor: base64url of a JSON array this server wrote. `check` says whether the
 * decoded array is one of ours; anything else (bad base64, bad JSON, wrong shape) is refused.
 */
export function parseOpaqueCursor<T>(text: unknown, check: (decoded: unknown[]) => T | null): Parsed<T> {
  const refused = problem<T>('must be a cursor from nextCursor');
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]{1,1024}$/.test(text)) return refused;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return refused;
  }
  const value = Array.isArray(decoded) ? check(decoded) : null;
  return value === null ? refused : ok(value);
}

export function encodeOpaqueCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}
