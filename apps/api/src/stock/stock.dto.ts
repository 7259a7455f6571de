import { z } from 'zod';
import { hasControlCharacters } from '@stockwall/contracts';
import { locationCodeSchema, wireIdentifierSchema } from '../common/wire-identifier.schema';
import { limitOf } from '../history/history-query';

/** `sku<TAB>location` as nextCursor writes it: 1-128 and 1-64 characters, no other control character. */
function isStockCursor(text: string): boolean {
  const parts = text.split('\t');
  if (parts.length !== 2) return false;
  const [sku, location] = parts;
  return (
    sku.length >= 1 &&
    sku.length <= 128 &&
    location.length >= 1 &&
    location.length <= 64 &&
    !hasControlCharacters(sku) &&
    !hasControlCharacters(location)
  );
}

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
    cursor: z.string().refine(isStockCursor, 'must be a cursor from nextCursor').optional(),
  })
  .strict();
export type StockListQueryDto = z.output<typeof stockListQuerySchema>;

export const skuParamSchema = wireIdentifierSchema;

export const stockForecastQuerySchema = z.object({ location: locationCodeSchema.optional() }).strict();
export type StockForecastQueryDto = z.output<typeof stockForecastQuerySchema>;
