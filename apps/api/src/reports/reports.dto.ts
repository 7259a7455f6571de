import { z } from 'zod';
import { limitOf, withRange } from '../history/history-query';

export const topProductsQuerySchema = withRange(
  {
    by: z.enum(['units', 'revenue'], { errorMap: () => ({ message: 'must be units or revenue' }) }).default('units'),
    limit: limitOf(10, 500),
  },
  () => 400,
);
export type TopProductsQueryDto = z.output<typeof topProductsQuerySchema>;

export const reportRangeQuerySchema = withRange({}, () => 3660);
export type ReportRangeQueryDto = z.output<typeof reportRangeQuerySchema>;
