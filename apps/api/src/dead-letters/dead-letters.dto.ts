import { z } from 'zod';
import { DEAD_LETTER_REASONS } from '@stockwall/ingest';
import type { DeadLetter } from '@stockwall/persistence';
import { limitOf } from '../history/history-query';

export const deadLetterQuerySchema = z
  .object({
    /** `stored`: the MySQL table (complete, paged); `live`: the newest entries of the Redis stream. */
    source: z.enum(['stored', 'live']).default('stored'),
    reason: z.enum(DEAD_LETTER_REASONS).optional(),
    shardId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a shard id')
      .optional(),
    limit: limitOf(50, 500),
    /** Id of the last item of the previous page (stored only). */
    cursor: z
      .string()
      .regex(/^\d{1,20}$/, 'must be an id from nextCursor')
      .optional(),
  })
  .strict();
export type DeadLetterQueryDto = z.output<typeof deadLetterQuerySchema>;

export interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor: string | null;
}
