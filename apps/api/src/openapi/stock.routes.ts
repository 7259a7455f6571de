import { z } from 'zod';
import { liveKpisQuerySchema } from '../kpis/kpis.dto';
import { skuParamSchema, stockForecastQuerySchema, stockListQuerySchema } from '../stock/stock.dto';
import { forecastListQuerySchema } from '../forecasts/forecasts.dto';
import { KPI_WINDOWS } from '@stockwall/contracts';
import { route } from './api-route';
import { instantSchema, moneySchema, nextCursorSchema, stockForecastSchema, stockRowSchema } from './common.schemas';

export const stockPageSchema = z
  .object({ rows: z.array(stockRowSchema), nextCursor: nextCursorSchema })
  .openapi('StockPage');

const skuStockSchema = z
  .object({
    sku: z.string(),
    onHand: z.number().int(),
    available: z.number().int(),
    locations: z.array(stockRowSchema),
  })
  .openapi('SkuStock');

const topSkuSchema = z.object({ sku: z.string(), units: z.number().int(), revenue: moneySchema });
const stockTotalsShape = {
  units: z.number().int(),
  stockValue: moneySchema,
  skusBelowReorderPoint: z.number().int(),
  skusOutOfStock: z.number().int(),
  activeSkus: z.number().int(),
};

export const liveKpisSchema = z
  .object({
    window: z.enum(KPI_WINDOWS),
    source: z.string().nullable(),
    watermark: instantSchema.nullable(),
    from: instantSchema.nullable(),
    to: instantSchema.nullable(),
    orders: z.number().int(),
    revenue: moneySchema,
    units: z.number().int(),
    averageOrderValue: moneySchema.nullable(),
    cogs: moneySchema,
    grossMargin: moneySchema,
    grossMarginRate: z.number().nullable(),
    averageInventoryValue: moneySchema.nullable(),
    inventoryTurnover: z.number().nullable(),
    stockoutRate: z.object({ now: z.number().nullable(), timeWeighted: z.number().nullable() }),
    topSkusByUnits: z.array(topSkuSchema),
    topSkusByRevenue: z.array(topSkuSchema),
    lateEvents: z.number().int(),
    stock: z.object({
      overall: z.object(stockTotalsShape),
      locations: z.array(z.object({ ...stockTotalsShape, location: z.string() })),
    }),
  })
  .openapi('LiveKpis');

const skuForecastSchema = z
  .object({ sku: z.string(), asOf: instantSchema.nullable(), locations: z.array(stockForecastSchema) })
  .openapi('SkuForecast');

const forecastListSchema = z
  .object({ asOf: instantSchema.nullable(), items: z.array(stockForecastSchema), nextCursor: nextCursorSchema })
  .openapi('ForecastList');

const skuParams = z.object({ sku: skuParamSchema });

/** The live routes: Redis only, so they answer while MySQL is down. */
export const stockRoutes = [
  route({
    method: 'get',
    path: '/api/v1/stock',
    summary: 'Live stock rows in SKU order, filtered by location, below reorder point and search',
    description:
      'One request scans at most 50,000 rows; when a sparse filter uses them up first, the page holds fewer rows ' +
      'than `limit` (perhaps none) and `nextCursor` goes on from there. Only `nextCursor: null` means the end.',
    tags: ['stock'],
    access: 'viewer',
    query: stockListQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of rows', schema: stockPageSchema },
  }),
  route({
    method: 'get',
    path: '/api/v1/stock/:sku',
    summary: 'A SKU’s live stock: totals and one row per location',
    tags: ['stock'],
    access: 'viewer',
    params: skuParams,
    success: { status: 200, description: 'The SKU’s stock', schema: skuStockSchema },
    errors: { 404: 'No stock is known for the SKU (`not_found`)' },
  }),
  route({
    method: 'get',
    path: '/api/v1/stock/:sku/forecast',
    summary: 'A SKU’s forecast per location: sell rate decayed to the watermark, days of cover, projected run-out',
    description: 'Also the reorder point in force and its source (explicit, or computed from demand and lead time).',
    tags: ['stock'],
    access: 'viewer',
    params: skuParams,
    query: stockForecastQuerySchema,
    success: { status: 200, description: 'The forecast per location', schema: skuForecastSchema },
    errors: { 404: 'No stock is known for the SKU (at the location) (`not_found`)' },
  }),
  route({
    method: 'get',
    path: '/api/v1/forecasts',
    summary: 'Active SKUs by soonest projected run-out (SKUs without sales last), from the live state',
    description:
      'Sell rate per hour decayed to the watermark, days of cover, projected run-out, the reorder point in force ' +
      'and its source (explicit or computed from demand and the supplier lead time). Page with `cursor` = ' +
      '`nextCursor`: later pages are computed at the first page’s `asOf`.',
    tags: ['forecasts'],
    access: 'viewer',
    query: forecastListQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of forecasts', schema: forecastListSchema },
  }),
  route({
    method: 'get',
    path: '/api/v1/kpis/live',
    summary: 'Rolling-window KPIs ending at the stream’s watermark, overall or for one source',
    tags: ['kpis'],
    access: 'viewer',
    query: liveKpisQuerySchema,
    success: { status: 200, description: 'The window’s figures', schema: liveKpisSchema },
  }),
];
