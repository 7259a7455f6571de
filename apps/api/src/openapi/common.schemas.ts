import { z } from 'zod';
import './api-route';

/** Money at the API edge: a decimal string with two decimals. */
export const moneySchema = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .openapi({ example: '12.50' });
export const instantSchema = z.string().datetime({ offset: true }).openapi({ example: '2024-05-01T10:00:00.000Z' });
export const nextCursorSchema = z
  .string()
  .nullable()
  .openapi({ description: 'pass as `cursor` for the next page; null at the end' });

/** What every write answers with 202: the event is on the stream, its effect follows live. */
export const acceptedWriteSchema = z
  .object({
    eventId: z
      .string()
      .openapi({ description: 'follow it with write.applied on /live or GET /api/v1/writes/{eventId}' }),
    eventType: z.string(),
    sku: z.string(),
  })
  .openapi('AcceptedWrite');

/** A SKU at a location, with its name when the catalog has one. */
export const skuAtLocationShape = { sku: z.string(), location: z.string(), name: z.string().nullable() };

/** Units on hand, committed to orders and available, and what the units on hand are worth. */
export const stockFiguresShape = {
  onHand: z.number().int(),
  committed: z.number().int(),
  available: z.number().int(),
  unitCost: moneySchema.nullable(),
  stockValue: moneySchema.nullable(),
};

export const stockRowSchema = z
  .object({
    ...skuAtLocationShape,
    ...stockFiguresShape,
    reorderPoint: z.number().int().nullable(),
    reorderPointSource: z.enum(['explicit', 'computed']).nullable(),
    belowReorderPoint: z.boolean(),
    active: z.boolean(),
    lastEventAt: instantSchema.nullable(),
  })
  .openapi('StockRow');

export const stockForecastSchema = z
  .object({
    ...skuAtLocationShape,
    active: z.boolean(),
    available: z.number().int(),
    sellRatePerHour: z.number(),
    lastSaleAt: instantSchema.nullable(),
    daysOfCover: z.number().nullable(),
    projectedRunOutAt: instantSchema.nullable(),
    reorderPoint: z.number().int().nullable(),
    reorderPointSource: z.enum(['explicit', 'computed']).nullable(),
    leadTimeDays: z.number().nullable(),
    historyDays: z.number().int(),
  })
  .openapi('StockForecast');

/** Orders, revenue, units, AOV, COGS and margin (toSalesFigures). */
export const salesFiguresShape = {
  orders: z.number().int(),
  units: z.number().int(),
  revenue: moneySchema,
  averageOrderValue: moneySchema.nullable(),
  cogs: moneySchema,
  grossMargin: moneySchema,
  grossMarginRate: z.number().nullable(),
};
