import { z } from 'zod';
import { locationCodeSchema } from '../common/wire-identifier.schema';
import { isoInstant, limitOf, sourceCode, withRange } from '../history/history-query';
import { timeZoneSchema } from '../history/history.dto';
import { strictWholeNumber } from './report-parameters';

/** The filters every report takes besides from/to. */
const filters = {
  source: sourceCode.optional(),
  location: locationCodeSchema.optional(),
  tz: timeZoneSchema,
};

export const topProductsQuerySchema = withRange(
  {
    ...filters,
    by: z.enum(['units', 'revenue'], { errorMap: () => ({ message: 'must be units or revenue' }) }).default('units'),
    limit: limitOf(10, 500),
  },
  () => 400,
);
export type TopProductsQueryDto = z.output<typeof topProductsQuerySchema>;

export const reportRangeQuerySchema = withRange(filters, () => 3660);
export type ReportRangeQueryDto = z.output<typeof reportRangeQuerySchema>;

export const stockOnDateQuerySchema = z
  .object({
    /** The moment (ISO-8601 with a zone); default now. */
    date: isoInstant.optional(),
    location: locationCodeSchema.optional(),
    limit: limitOf(10_000, 100_000),
  })
  .strict();
export type StockOnDateQueryDto = z.output<typeof stockOnDateQuerySchema>;

export const slowMoversQuerySchema = z
  .object({
    /** End of the look-back (default now). */
    to: isoInstant.optional(),
    location: locationCodeSchema.optional(),
    /** No sale in this many days makes a SKU slow (default 30). */
    days: strictWholeNumber(30, 1, 3_650),
    /** More days of cover than this at the recent sell rate makes it excess stock (default 90). */
    coverDays: strictWholeNumber(90, 1, 36_500),
    limit: limitOf(100, 10_000),
  })
  .strict();
export type SlowMoversQueryDto = z.output<typeof slowMoversQuerySchema>;

export const replenishmentQuerySchema = z
  .object({
    location: locationCodeSchema.optional(),
    /** Days of demand an order should cover after it arrives (default 14). */
    coverDays: strictWholeNumber(14, 0, 365),
  })
  .strict();
export type ReplenishmentQueryDto = z.output<typeof replenishmentQuerySchema>;
