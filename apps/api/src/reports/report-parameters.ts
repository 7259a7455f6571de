import { z } from 'zod';
import { parseWholeNumber } from '@stockwall/contracts';

/** A whole-number query parameter from min to max, read by the strict parser (no `1e3`, `0x10` or ` 5`). */
export const strictWholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .transform((text, context) => {
      const parsed = parseWholeNumber(text, min, max);
      if (parsed.ok) return parsed.value;
      context.addIssue({ code: z.ZodIssueCode.custom, message: parsed.problem });
      return z.NEVER;
    })
    .optional()
    .transform((value) => value ?? fallback)
    .describe(`${min}-${max} (default ${fallback})`);
