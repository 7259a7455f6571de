import { MINUTE_MS } from '../kpis/kpi-types';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** History intervals: fixed lengths (1m, 1h) or calendar spans in a time zone (1d, 1w, 1mo). */
export const HISTORY_INTERVALS = ['1m', '1h', '1d', '1w', '1mo'] as const;
export type HistoryInterval = (typeof HISTORY_INTERVALS)[number];

/** One bucket of a series: [start, end) in epoch ms. A day is 23 or 25 hours long across a DST change. */
export interface CalendarBucket {
  start: number;
  end: number;
}

interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the name is an IANA time zone this runtime knows (`UTC`, `Europe/London`, …). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    formatterOf(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
export function localFields(time: number, timeZone: string): LocalFields {
  const parts = formatterOf(timeZone).formatToParts(new Date(time));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** The zone's offset from UTC at an instant, in ms (+1 h for London in summer). */
export function zoneOffset(time: number, timeZone: string): number {
  const local = localFields(time, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(time / 1000) * 1000;
}

/**
 * The first instant whose wall clock in the zone reads at or after the given local date at
 * midnight: midnight itself, or the end of a DST gap that swallowed it.
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  // Two passes settle the offset (it can differ between the guess and the answer across a change).
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  if (localDayKey(guess, timeZone) < localDayKey(wall, 'UTC')) {
    // Midnight does not exist that day (a gap at 00:00): the day starts when the gap ends.
    for (let step = guess; ; step += MINUTE_MS * 15) {
      if (localDayKey(step, timeZone) >= localDayKey(wall, 'UTC')) return step;
    }
  }
  return guess;
}

function localDayKey(time: number, timeZone: string): number {
  const local = localFields(time, timeZone);
  return local.year * 10_000 + local.month * 100 + local.day;
}

/**
 * The bucket that holds `time`. 1m and 1h are fixed lengths aligned to the zone's wall clock (a
 * +05:30 zone's hours start at :30 UTC); 1d, 1w (Monday to Monday) and 1mo are the zone's
 * calendar days, weeks and months, so a day across a DST change is 23 or 25 hours.
 */
export function bucketOf(time: number, interval: HistoryInterval, timeZone: string): CalendarBucket {
  if (interval === '1m' || interval === '1h') {
    const size = interval === '1m' ? MINUTE_MS : HOUR_MS;
    // Offsets are whole minutes; an hour follows the offset's minutes (India: :30).
    const shift = interval === '1h' ? ((zoneOffset(time, timeZone) % HOUR_MS) + HOUR_MS) % HOUR_MS : 0;
    const start = Math.floor((time + shift) / size) * size - shift;
    return { start, end: start + size };
  }
  const local = localFields(time, timeZone);
  if (interval === '1d') {
    const start = startOfLocalDay(local.year, local.month, local.day, timeZone);
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
    return { start, end: startOfDate(next, timeZone) };
  }
  if (interval === '1w') {
    const weekday = (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
    const monday = new Date(Date.UTC(local.year, local.month - 1, local.day - weekday));
    const nextMonday = new Date(monday.getTime() + 7 * DAY_MS);
    return { start: startOfDate(monday, timeZone), end: startOfDate(nextMonday, timeZone) };
  }
  const first = new Date(Date.UTC(local.year, local.month - 1, 1));
  const next = new Date(Date.UTC(local.year, local.month, 1));
  return { start: startOfDate(first, timeZone), end: startOfDate(next, timeZone) };
}

function startOfDate(date: Date, timeZone: string): number {
  return startOfLocalDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), timeZone);
}

/** The buckets from the one holding `from` to the last one starting before `to`, at most `limit`. */
export function bucketsBetween(
  from: number,
  to: number,
  interval: HistoryInterval,
  timeZone: string,
  limit = Number.POSITIVE_INFINITY,
): CalendarBucket[] {
  const buckets: CalendarBucket[] = [];
  for (let bucket = bucketOf(from, interval, timeZone); bucket.start < to && buckets.length < limit;) {
    buckets.push(bucket);
    bucket = bucketOf(bucket.end, interval, timeZone);
  }
  return buckets;
}

/** Whether every bucket boundary of the zone falls on a whole UTC hour over the range (then hourly rollups do). */
export function hourAlignedZone(from: number, to: number, timeZone: string): boolean {
  // Offsets change at most a few times a year; checking every day's start catches any of them.
  for (let time = from; time < to + DAY_MS; time += DAY_MS / 2) {
    if (zoneOffset(time, timeZone) % HOUR_MS !== 0) return false;
  }
  return true;
}

/** The longest span of one bucket of the interval (for range limits). */
export const NOMINAL_INTERVAL_MS: Record<HistoryInterval, number> = {
  '1m': MINUTE_MS,
  '1h': HOUR_MS,
  '1d': DAY_MS,
  '1w': 7 * DAY_MS,
  '1mo': 31 * DAY_MS,
};

/** The position of a bucketed time in `buckets` (sorted, contiguous), or -1. */
export function bucketIndex(buckets: readonly CalendarBucket[], time: number): number {
  let low = 0;
  let high = buckets.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const bucket = buckets[middle];
    if (time < bucket.start) high = middle - 1;
    else if (time >= bucket.end) low = middle + 1;
    else return middle;
  }
  return -1;
}
