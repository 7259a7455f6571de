import { z } from 'zod';
import { HISTORY_INTERVALS } from '@stockwall/persistence';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { isoInstant, limitOf, sourceCode, withRange } from './history-query';

const INTERVALS = Object.keys(HISTORY_INTERVALS) as [
  keyof typeof HISTORY_INTERVALS,
  ...(keyof typeof HISTORY_INTERVALS)[],
];
const MAX_DAYS = { '1m': 31, '1h': 400, '1d': 3660 } as const;

export const kpiHistoryQuerySchema = withRange(
  {
    interval: z
      .enum(INTERVALS, { errorMap: () => ({ message: `must be one of ${INTERVALS.join(', ')}` }) })
      .default('1h'),
    source: sourceCode.optional(),
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
