import { z } from 'zod';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { limitOf } from '../history/history-query';

export const locationCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a location code');

export const stockListQuerySchema = z
  .object({
    location: locationCodeSchema.optional(),
    belowReorderPoint: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true'),
    search: z.string().trim().min(1).max(64).optional(),
    limit: limitOf(100, 1000),
    /** The last `sku<TAB>location` of the previous page (nextCursor). */
    cursor: z
      .string()
      .regex(/^[^\u0000-\u001f\u007f]{1,128}\t[^\u0000-\u001f\u007f]{1,64}$/, 'must be a cursor from nextCursor')
      .optional(),
  })
  .strict();
export type StockListQueryDto = z.output<typeof stockListQuerySchema>;

export const skuParamSchema = wireIdentifierSchema;

export const stockForecastQuerySchema = z.object({ location: locationCodeSchema.optional() }).strict();
export type StockForecastQueryDto = z.output<typeof stockForecastQuerySchema>;
