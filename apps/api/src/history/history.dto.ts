import { z } from 'zod';
import { HISTORY_INTERVALS, isTimeZone } from '@stockwall/contracts';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { locationCodeSchema } from '../common/wire-identifier.schema';
import { isoInstant, limitOf, sourceCode, withRange } from './history-query';

const MAX_DAYS = { '1m': 31, '1h': 400, '1d': 3660, '1w': 3660, '1mo': 3660 } as const;

export const intervalSchema = z
  .enum(HISTORY_INTERVALS, { errorMap: () => ({ message: `must be one of ${HISTORY_INTERVALS.join(', ')}` }) })
  .default('1h');

/** `tz`: an IANA time zone name (`Europe/London`); buckets follow its calendar. Default UTC. */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone name like Europe/London or UTC')
  .default('UTC');

export const kpiHistoryQuerySchema = withRange(
  {
    interval: intervalSchema,
    source: sourceCode.optional(),
    location: locationCodeSchema.optional(),
    tz: timeZoneSchema,
    limit: limitOf(1_500, 10_000),
    /** Start of the next page's first interval (from nextCursor). */
    cursor: isoInstant.optional(),
  },
  (value) => MAX_DAYS[value.interval ?? '1h'],
);
export type KpiHistoryQueryDto = z.output<typeof kpiHistoryQuerySchema>;

export const productHistoryQuerySchema = withRange(
  {
    limit: limitOf(500, 5_000),
    cursor: z
      .string()
      .regex(/^\d{1,15}\.\d{1,20}$/, 'must be a cursor from nextCursor')
      .optional(),
  },
  () => 3660,
);
export type ProductHistoryQueryDto = z.output<typeof productHistoryQuerySchema>;

export const historySkuParamSchema = wireIdentifierSchema;
