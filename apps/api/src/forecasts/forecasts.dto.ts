import { z } from 'zod';
import type { StockForecast } from '@stockwall/contracts';
import { locationCodeSchema } from '../common/wire-identifier.schema';
import { decodeForecastCursor } from './forecast-cursor';
import { limitOf } from '../history/history-query';

export const forecastListQuerySchema = z
  .object({
    location: locationCodeSchema.optional(),
    limit: limitOf(100, 1000),
    cursor: z
      .string()
      .transform((text, context) => {
        const cursor = decodeForecastCursor(text);
        if (cursor === null) {
          context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a nextCursor of this listing' });
          return z.NEVER;
        }
        return cursor;
      })
      .optional(),
  })
  .strict();
export type ForecastListQueryDto = z.output<typeof forecastListQuerySchema>;

export interface ForecastListResponse {
  /** Event time the rates and run-outs are computed at: the watermark when the first page was read. */
  asOf: string | null;
  items: StockForecast[];
  nextCursor: string | null;
}
