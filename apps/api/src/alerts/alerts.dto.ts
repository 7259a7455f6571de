import { z } from 'zod';
import { limitOf, withRange } from '../history/history-query';
import { writeReasonSchema } from '../writes/writes.dto';

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;

export const alertListQuerySchema = withRange(
  {
    status: z
      .enum(ALERT_STATUSES, { errorMap: () => ({ message: `must be one of ${ALERT_STATUSES.join(', ')}` }) })
      .optional(),
    limit: limitOf(100, 1_000),
    cursor: z
      .string()
      .regex(/^\d{1,20}$/, 'must be an id from nextCursor')
      .optional(),
  },
  () => 3660,
);
export type AlertListQueryDto = z.output<typeof alertListQuerySchema>;

/** A row id, or the alert id carried by the live `alert` event. */
export const alertIdParamSchema = z.string().min(1).max(400, 'must be an alert id');

export type { AlertView } from '@stockwall/contracts';

/** An acknowledgement may say why (stored with its event); no body at all is fine. */
export const acknowledgeAlertSchema = z
  .object({ reason: writeReasonSchema.optional() })
  .strict()
  .optional()
  .transform((value) => value ?? {});
export type AcknowledgeAlertDto = z.output<typeof acknowledgeAlertSchema>;
