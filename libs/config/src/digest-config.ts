import { z } from 'zod';
import { isTimeZone } from '@stockwall/contracts';
import { commaList, emailList } from './environment-values';

/** The daily and weekly digests (docs/notifications.md, "Digests"). */
export interface DigestConfig {
  /** DIGEST_EMAIL_TO; empty: no digest is scheduled. */
  to: string[];
  /** IANA zone of the schedule and of the periods' boundaries. */
  timeZone: string;
  /** BullMQ cron patterns (in `timeZone`); null: that digest is off. */
  daily: { pattern: string } | null;
  weekly: { pattern: string } | null;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY = /^(sun|mon|tue|wed|thu|fri|sat)\s+([01]\d|2[0-3]):([0-5]\d)$/i;
// Five or six fields (seconds first when six) of what cron patterns are made of.
const CRON = /^[\d*,/?LW#A-Za-z-]+(\s+[\d*,/?LW#A-Za-z-]+){4,5}$/;

const flag = z.enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) }).optional();

export const digestEnvironment = {
  DIGEST_EMAIL_TO: emailList(),
  DIGEST_TIME_ZONE: z
    .string()
    .optional()
    .refine((value) => value === undefined || isTimeZone(value), 'must be an IANA time zone like Europe/London'),
  DIGEST_DAILY: flag,
  DIGEST_WEEKLY: flag,
  DIGEST_DAILY_AT: z.string().regex(CLOCK, 'must be a time of day like 07:00').optional(),
  DIGEST_WEEKLY_AT: z.string().regex(WEEKLY, 'must be a weekday and a time like "mon 07:00"').optional(),
  DIGEST_DAILY_CRON: z.string().regex(CRON, 'must be a cron pattern of 5 or 6 fields').optional(),
  DIGEST_WEEKLY_CRON: z.string().regex(CRON, 'must be a cron pattern of 5 or 6 fields').optional(),
};

type DigestValues = { [K in keyof typeof digestEnvironment]?: z.output<(typeof digestEnvironment)[K]> };

/** `07:00` → `0 7 * * *`. */
export function dailyPattern(clock: string): string {
  const [, hour, minute] = CLOCK.exec(clock)!;
  return `${Number(minute)} ${Number(hour)} * * *`;
}

/** `mon 07:30` → `30 7 * * 1`. */
export function weeklyPattern(dayAndClock: string): string {
  const [, day, hour, minute] = WEEKLY.exec(dayAndClock.trim())!;
  return `${Number(minute)} ${Number(hour)} * * ${WEEKDAYS.indexOf(day.toLowerCase() as (typeof WEEKDAYS)[number])}`;
}

export function digestConfigOf(values: DigestValues): DigestConfig {
  const to = commaList(values.DIGEST_EMAIL_TO);
  return {
    to,
    timeZone: values.DIGEST_TIME_ZONE ?? 'UTC',
    daily:
      to.length > 0 && values.DIGEST_DAILY !== 'false'
        ? { pattern: values.DIGEST_DAILY_CRON ?? dailyPattern(values.DIGEST_DAILY_AT ?? '07:00') }
        : null,
    weekly:
      to.length > 0 && values.DIGEST_WEEKLY !== 'false'
        ? { pattern: values.DIGEST_WEEKLY_CRON ?? weeklyPattern(values.DIGEST_WEEKLY_AT ?? 'mon 07:00') }
        : null,
  };
}
