import { z } from 'zod';
import {
  replenishmentQuerySchema,
  reportRangeQuerySchema,
  slowMoversQuerySchema,
  stockOnDateQuerySchema,
  topProductsQuerySchema,
} from '../reports/reports.dto';
import { route } from './api-route';
import { instantSchema, moneySchema, salesFiguresShape, skuAtLocationShape, stockFiguresShape } from './common.schemas';
import { MYSQL_UNAVAILABLE } from './history.routes';

/** Range, filters and zone every range report echoes. */
const reportHeader = {
  from: instantSchema,
  to: instantSchema,
  source: z.string().nullable(),
  location: z.string().nullable(),
  timeZone: z.string(),
};

const topProductsSchema = z
  .object({
    ...reportHeader,
    by: z.enum(['units', 'revenue']),
    items: z.array(
      z.object({
        rank: z.number().int(),
        sku: z.string(),
        name: z.string().nullable(),
        units: z.number().int(),
        revenue: moneySchema,
      }),
    ),
  })
  .openapi('TopProductsReport');

const salesBySourceSchema = z
  .object({ ...reportHeader, items: z.array(z.object({ source: z.string(), ...salesFiguresShape })) })
  .openapi('SalesBySourceReport');

const peakHoursSchema = z
  .object({
    ...reportHeader,
    items: z.array(
      z.object({ weekday: z.string().openapi({ example: 'Monday' }), hour: z.number().int(), ...salesFiguresShape }),
    ),
  })
  .openapi('PeakHoursReport');

const segmentGroupShape = {
  customers: z.number().int(),
  customerShare: z.number().nullable(),
  revenue: moneySchema,
  revenueShare: z.number().nullable(),
};

const customerSegmentsSchema = z
  .object({
    ...reportHeader,
    customers: z.number().int(),
    revenue: moneySchema,
    highValue: z.object(segmentGroupShape),
    items: z.array(z.object({ segment: z.string(), ...segmentGroupShape })),
  })
  .openapi('CustomerSegmentsReport');

const stockOnDateSchema = z
  .object({
    date: instantSchema,
    location: z.string().nullable(),
    skus: z.number().int(),
    items: z.array(
      z.object({
        ...skuAtLocationShape,
        ...stockFiguresShape,
        active: z.boolean(),
        source: z.enum(['events', 'snapshot']),
      }),
    ),
  })
  .openapi('StockOnDateReport');

const slowMoversSchema = z
  .object({
    to: instantSchema,
    location: z.string().nullable(),
    days: z.number().int(),
    coverDays: z.number().int(),
    skus: z.number().int(),
    valueTiedUp: moneySchema,
    items: z.array(
      z.object({
        ...skuAtLocationShape,
        onHand: z.number().int(),
        unitsSold: z.number().int(),
        unitsPerDay: z.number(),
        daysOfCover: z.number().nullable(),
        lastSaleAt: instantSchema.nullable(),
        daysSinceLastSale: z.number().int().nullable(),
        reason: z.enum(['no_sales', 'excess_cover']),
        valueTiedUp: moneySchema,
      }),
    ),
  })
  .openapi('SlowMoversReport');

const replenishmentSchema = z
  .object({
    asOf: instantSchema.nullable(),
    location: z.string().nullable(),
    coverDays: z.number().int(),
    suppliers: z.array(
      z.object({
        supplier: z.string().nullable(),
        skus: z.number().int(),
        units: z.number().int(),
        orderValue: moneySchema,
      }),
    ),
    items: z.array(
      z.object({
        supplier: z.string().nullable(),
        ...skuAtLocationShape,
        available: z.number().int(),
        reorderPoint: z.number().int().nullable(),
        reorderPointSource: z.enum(['explicit', 'computed']).nullable(),
        leadTimeDays: z.number().nullable(),
        sellRatePerDay: z.number(),
        projectedRunOutAt: instantSchema.nullable(),
        suggestedQuantity: z.number().int(),
        unitCost: moneySchema.nullable(),
        orderValue: moneySchema,
      }),
    ),
  })
  .openapi('ReplenishmentReport');

function report(
  path: string,
  summary: string,
  query: z.ZodTypeAny,
  schema: z.ZodTypeAny,
  description?: string,
): ReturnType<typeof route> {
  return route({
    method: 'get',
    path: `/api/v1/reports/${path}`,
    summary,
    description,
    tags: ['reports'],
    access: 'viewer',
    query,
    csv: true,
    success: { status: 200, description: 'The report', schema },
    errors: MYSQL_UNAVAILABLE,
  });
}

export const reportRoutes = [
  report(
    'top-products',
    'Best-selling SKUs by net units or revenue (within the raw-event retention)',
    topProductsQuerySchema,
    topProductsSchema,
  ),
  report(
    'sales-by-source',
    'Orders, revenue, units, AOV, COGS and margin per source (channel or store)',
    reportRangeQuerySchema,
    salesBySourceSchema,
  ),
  report(
    'peak-hours',
    'Sales per weekday and hour of the day in tz: 168 cells, Monday 00:00 first',
    reportRangeQuerySchema,
    peakHoursSchema,
  ),
  report(
    'customer-segments',
    'RFM segments of the customers who ordered in the range: customers, share and revenue of each',
    reportRangeQuerySchema,
    customerSegmentsSchema,
    'Scores 1-5 by rank (equal values share a score); `highValue` is the monetary-5 group.',
  ),
  report(
    'stock-on-date',
    'Every SKU’s stock as of a moment, from the stored events (else the latest snapshot)',
    stockOnDateQuerySchema,
    stockOnDateSchema,
  ),
  report(
    'slow-movers',
    'Excess stock: no sale in `days` days or more than `coverDays` of cover; value tied up',
    slowMoversQuerySchema,
    slowMoversSchema,
  ),
  report(
    'replenishment',
    'Suggested order quantity per SKU at or below its reorder point, grouped by supplier',
    replenishmentQuerySchema,
    replenishmentSchema,
    'Orders back up to the reorder point plus `coverDays` of forecast demand.',
  ),
];
