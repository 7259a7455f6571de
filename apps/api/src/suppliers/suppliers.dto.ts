import { z } from 'zod';
import { MAX_LEAD_TIME_DAYS } from '@stockwall/aggregation';
import { LIMITS } from '@stockwall/contracts';

/** As `restock_received.supplier_id` on the wire: trimmed, 1-128 characters, no control characters. */
export const supplierIdParamSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxIdLength)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

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
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    cursor: supplierIdParamSchema.optional(),
  })
  .strict();
export type LeadTimeListQueryDto = z.output<typeof leadTimeListQuerySchema>;
