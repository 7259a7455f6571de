import { z } from 'zod';
import { KPI_WINDOWS } from '@stockwall/contracts';

export const liveKpisQuerySchema = z
  .object({
    window: z
      .enum(KPI_WINDOWS, { errorMap: () => ({ message: `must be one of ${KPI_WINDOWS.join(', ')}` }) })
      .default('15m'),
    source: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a source code (letters, digits, spaces, . _ -)')
      .optional(),
  })
  .strict();
export type LiveKpisQueryDto = z.output<typeof liveKpisQuerySchema>;
