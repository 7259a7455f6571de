import { z } from 'zod';

export const createDisplayTokenSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be 1-64 letters, digits, spaces, dots, dashes or underscores'),
    ttlDays: z.number().int().min(1).max(3_650).default(365),
  })
  .strict();
export type CreateDisplayTokenDto = z.output<typeof createDisplayTokenSchema>;

export const displayTokenIdSchema = z.string().uuid('must be a display token id');
