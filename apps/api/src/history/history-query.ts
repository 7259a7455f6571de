import { z } from 'zod';
import { parseInstant, parseUtcOffset, parseWholeNumber, type Parsed } from '@stockwall/contracts';

const DAY_MS = 86_400_000;

/** A query parameter read by one of the strict parsers: its problem becomes a 400 naming the parameter. */
export function strictParameter<T>(parse: (text: string) => Parsed<T>) {
  return z.string().transform((text, context) => {
    const result = parse(text);
    if (result.ok) return result.value;
    context.addIssue({ code: z.ZodIssueCode.custom, message: result.problem });
    return z.NEVER;
  });
}

/** A real calendar date-time with a zone, 1970-2100 (see parseInstant). */
export const isoInstant = strictParameter((text) => parseInstant(text, { requireZone: true })).describe(
  'ISO-8601 date-time with a zone',
);

/** A UTC offset like +05:30 (reports by local hour or day). */
export const utcOffset = strictParameter(parseUtcOffset);

export const sourceCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a source code (letters, digits, spaces, . _ -)');

/** `from`/`to` (to exclusive); defaults: the last 24 hours. Refuses empty, reversed or too long ranges. */
export function withRange<TShape extends z.ZodRawShape>(
  shape: TShape,
  maxDays: (value: z.objectOutputType<TShape, z.ZodTypeAny>) => number,
) {
  return z
    .object({
      ...shape,
      from: isoInstant.optional().describe('ISO-8601 start (inclusive); default: to − 24 h'),
      to: isoInstant.optional().describe('ISO-8601 end (exclusive); default: now'),
    })
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
      // A time cursor (nextCursor of an interval listing) outside the range is not one this range issued.
      const cursor = (value as { cursor?: unknown }).cursor;
      if (typeof cursor === 'number' && (cursor < from || cursor >= to)) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['cursor'],
          message: 'must be a nextCursor inside from/to',
        });
        return z.NEVER;
      }
      return { ...value, from, to };
    });
}

/** `limit`: a plain whole number 1-max (no `1e3`, `0x10` or ` 5`). */
export const limitOf = (fallback: number, max: number) =>
  strictParameter((text) => parseWholeNumber(text, 1, max))
    .optional()
    .transform((value) => value ?? fallback)
    .describe(`1-${max} (default ${fallback})`);
