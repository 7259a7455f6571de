import { z } from 'zod';
import { hasControlCharacters } from '@stockwall/contracts';
import { parseMovementCursor } from '@stockwall/persistence';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { isoInstant, limitOf } from '../history/history-query';

const location = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a location code (letters, digits, spaces, . _ -)');

/** Strict like the history routes: unknown parameters, bad times and reversed ranges are 400s. */
export const movementsQuerySchema = z
  .object({
    sku: wireIdentifierSchema.optional(),
    location: location.optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    user: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(256)
      .refine((value) => !hasControlCharacters(value), 'must not contain control characters')
      .optional(),
    cursor: z
      .string()
      .transform((value, context) => {
        const parsed = parseMovementCursor(value);
        if (parsed) return parsed;
        context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a cursor from nextCursor' });
        return z.NEVER;
      })
      .optional(),
    limit: limitOf(100, 1_000),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.from !== undefined && value.to !== undefined && value.from >= value.to) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: 'must be before to' });
    }
  });
export type MovementsQueryDto = z.output<typeof movementsQuerySchema>;
