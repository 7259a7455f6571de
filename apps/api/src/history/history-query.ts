import { z } from 'zod';

const DAY_MS = 86_400_000;

export const isoInstant = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time like 2024-03-01T00:00:00Z' })
  .transform((value) => Date.parse(value));

export const sourceCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a source code (letters, digits, spaces, . _ -)');

/** `from`/`to` (to exclusive); defaults: the last 24 hours. Refuses empty, reversed or too long ranges. */
export function withRange<TShape extends z.ZodRawShape>(
  shape: TShape,
  maxDays: (value: z.objectOutputType<TShape, z.ZodTypeAny>) => number,
) {
  return z
    .object({ ...shape, from: isoInstant.optional(), to: isoInstant.optional() })
    .strict()
    .transform((value, context) => {
      const to = value.to ?? Date.now();
      const from = value.from ?? to - DAY_MS;
      if (from >= to) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: 'must be before to' });
        return z.NEVER;
      }
      const limit = maxDays(value);
      if (to - from > limit * DAY_MS) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: `range must be at most ${limit} days` });
        return z.NEVER;
      }
      return { ...value, from, to };
    });
}

export const limitOf = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
