import { z } from 'zod';
import { MAX_LEAD_TIME_DAYS } from '@stockwall/aggregation';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { limitOf } from '../history/history-query';

/** As `restock_received.supplier_id` on the wire. */
export const supplierIdParamSchema = wireIdentifierSchema;

export const leadTimeBodySchema = z
  .object({
    days: z
      .number({ invalid_type_error: 'must be a number of days' })
      .positive('must be more than 0')
      .max(MAX_LEAD_TIME_DAYS, `must be at most ${MAX_LEAD_TIME_DAYS}`),
  })
  .strict();
export type LeadTimeBodyDto = z.output<typeof leadTimeBodySchema>;

export const leadTimeListQuerySchema = z
  .object({
    limit: limitOf(1000, 5000),
    cursor: supplierIdParamSchema.optional(),
  })
  .strict();
export type LeadTimeListQueryDto = z.output<typeof leadTimeListQuerySchema>;
