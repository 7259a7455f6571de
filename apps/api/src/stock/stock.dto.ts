import { z } from 'zod';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';

export const locationCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a location code');

export const stockListQuerySchema = z
  .object({
    location: locationCodeSchema.optional(),
    belowReorderPoint: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true'),
    search: z.string().trim().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().min(1).max(256).optional(),
  })
  .strict();
export type StockListQueryDto = z.output<typeof stockListQuerySchema>;

export const skuParamSchema = wireIdentifierSchema;

export const stockForecastQuerySchema = z.object({ location: locationCodeSchema.optional() }).strict();
export type StockForecastQueryDto = z.output<typeof stockForecastQuerySchema>;
