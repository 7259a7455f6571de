import { bucketOf, type CalendarBucket, type DigestKind, localFields, startOfLocalDay } from '@stockwall/contracts';

export { DIGEST_KINDS, type DigestKind } from '@stockwall/contracts';

/** One digest's period and the one before it (what changed), both [start, end) in the zone's calendar. */
export interface DigestPeriod {
  kind: DigestKind;
  timeZone: string;
  start: number;
  end: number;
  previous: CalendarBucket;
  /** `2026-12-03` for a day, `2026-W49` for an ISO week (in the zone). */
  label: string;
}

const intervalOf = (kind: DigestKind) => (kind === 'daily' ? '1d' : '1w');

/** The period a digest sent at `firedAt` covers: the previous local day, or the previous ISO week (Monday–Sunday). */
export function periodBefore(kind: DigestKind, firedAt: number, timeZone: string): DigestPeriod {
  const current = bucketOf(firedAt, intervalOf(kind), timeZone);
  return periodHolding(kind, current.start - 1, timeZone);
}

/** The period of the kind holding the instant `time`. */
export function periodHolding(kind: DigestKind, time: number, timeZone: string): DigestPeriod {
  const interval = intervalOf(kind);
  const period = bucketOf(time, interval, timeZone);
  const previous = bucketOf(period.start - 1, interval, timeZone);
  return {
    kind,
    timeZone,
    start: period.start,
    end: period.end,
    previous,
    label: labelOf(kind, period.start, timeZone),
  };
}

/** The period of the kind holding a local date (`2026-12-03`): that day, or the ISO week it is in. */
export function periodOfDate(kind: DigestKind, date: string, timeZone: string): DigestPeriod {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`${date} is not a date like 2026-12-03`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new Error(`${date} is not a date of the calendar`);
  }
  return periodHolding(kind, startOfLocalDay(year, month, day, timeZone), timeZone);
}

/** The local calendar date of an instant in the zone, `2026-12-03`. */
export function localDate(time: number, timeZone: string): string {
  const local = localFields(time, timeZone);
  return `${local.year}-${pad(local.month)}-${pad(local.day)}`;
}

function labelOf(kind: DigestKind, start: number, timeZone: string): string {
  if (kind === 'daily') return localDate(start, timeZone);
  const local = localFields(start, timeZone);
  // ISO week: the week (Monday start) holding the year's first Thursday is week 1.
  const thursday = new Date(Date.UTC(local.year, local.month - 1, local.day + 3));
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${isoYear}-W${pad(week)}`;
}

const pad = (value: number) => String(value).padStart(2, '0');
