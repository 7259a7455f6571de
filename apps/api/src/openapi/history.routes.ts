import { z } from 'zod';
import { HISTORY_INTERVALS } from '@stockwall/contracts';
import { acknowledgeAlertSchema, alertIdParamSchema, alertListQuerySchema, ALERT_STATUSES } from '../alerts/alerts.dto';
import { historySkuParamSchema, kpiHistoryQuerySchema, productHistoryQuerySchema } from '../history/history.dto';
import { movementsQuerySchema } from '../movements/movements.dto';
import { route, type ErrorStatus } from './api-route';
import { acceptedWriteSchema, instantSchema, moneySchema, nextCursorSchema, salesFiguresShape } from './common.schemas';

/** MySQL-backed routes answer 503 with Retry-After while MySQL does not answer. */
export const MYSQL_UNAVAILABLE: Partial<Record<ErrorStatus, string>> = {
  503: 'MySQL is not answering (`dependency_unavailable`); see Retry-After',
};

export const kpiHistoryPageSchema = z
  .object({
    interval: z.enum(HISTORY_INTERVALS),
    source: z.string().nullable(),
    location: z.string().nullable(),
    timeZone: z.string(),
    from: instantSchema,
    to: instantSchema,
    items: z.array(
      z.object({
        from: instantSchema,
        to: instantSchema,
        ...salesFiguresShape,
        cogsToRevenue: z.number().nullable(),
        averageInventoryValue: moneySchema.nullable(),
        inventoryTurnover: z.number().nullable(),
        stockoutRate: z.number().nullable(),
        newCustomers: z.number().int(),
        returningCustomers: z.number().int(),
      }),
    ),
    nextCursor: nextCursorSchema,
  })
  .openapi('KpiHistoryPage');

const productHistoryPageSchema = z
  .object({
    sku: z.string(),
    from: instantSchema,
    to: instantSchema,
    items: z.array(
      z.object({
        at: instantSchema,
        eventId: z.string(),
        eventType: z.string(),
        source: z.string(),
        location: z.string(),
        onHand: z.number().int(),
        committed: z.number().int(),
        available: z.number().int(),
        units: z.number().int(),
        revenue: moneySchema,
        shipped: z.number().int(),
        cogs: moneySchema,
      }),
    ),
    snapshots: z.array(
      z.object({ at: instantSchema, location: z.string(), onHand: z.number().int(), committed: z.number().int() }),
    ),
    nextCursor: nextCursorSchema,
  })
  .openapi('ProductHistoryPage');

export const alertSchema = z
  .object({
    id: z.string(),
    alertId: z.string(),
    kind: z.string().openapi({ example: 'low_stock' }),
    sku: z.string(),
    location: z.string(),
    available: z.number().int(),
    reorderPoint: z.number().int().nullable(),
    occurredAt: instantSchema,
    stockoutMs: z.number().nullable(),
    status: z.enum(ALERT_STATUSES),
    acknowledgedAt: instantSchema.nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .openapi('Alert');

export const alertPageSchema = z
  .object({ items: z.array(alertSchema), nextCursor: nextCursorSchema })
  .openapi('AlertPage');

const movementPageSchema = z
  .object({
    movements: z.array(
      z.object({
        eventId: z.string(),
        eventType: z.string(),
        sku: z.string(),
        location: z.string(),
        quantityDelta: z.number().int(),
        onHandAfter: z.number().int(),
        actor: z.string().nullable(),
        reason: z.string().nullable(),
        occurredAt: instantSchema,
      }),
    ),
    nextCursor: nextCursorSchema,
  })
  .openapi('MovementPage');

/** Stored history: MySQL, so 503 while it does not answer. */
export const historyRoutes = [
  route({
    method: 'get',
    path: '/api/v1/kpis/history',
    summary:
      'Orders, revenue, units, AOV, COGS, margin, COGS to revenue, inventory turnover, stockout rate and new/returning customers per interval',
    description:
      'Buckets follow the `tz` calendar (a London day across a DST change is 23 or 25 hours); every bucket of the page is ' +
      'present (zeros included). Stock figures follow `location` only. Page with `cursor` = `nextCursor`.',
    tags: ['history'],
    access: 'viewer',
    query: kpiHistoryQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of intervals', schema: kpiHistoryPageSchema },
    errors: MYSQL_UNAVAILABLE,
  }),
  route({
    method: 'get',
    path: '/api/v1/products/:sku/history',
    summary: 'A SKU’s stock over time: each event that moved it with the stock after it, and the snapshots',
    tags: ['history'],
    access: 'viewer',
    params: z.object({ sku: historySkuParamSchema }),
    query: productHistoryQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of events', schema: productHistoryPageSchema },
    errors: MYSQL_UNAVAILABLE,
  }),
  route({
    method: 'get',
    path: '/api/v1/movements',
    summary: 'Stock movements, newest first, with actor and reason (CSV with Accept: text/csv or format=csv)',
    tags: ['history'],
    access: 'viewer',
    query: movementsQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of movements', schema: movementPageSchema },
    errors: MYSQL_UNAVAILABLE,
  }),
  route({
    method: 'get',
    path: '/api/v1/alerts',
    summary: 'Stored stock alerts, newest first; page with cursor = nextCursor',
    tags: ['alerts'],
    access: 'viewer',
    query: alertListQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of alerts', schema: alertPageSchema },
    errors: MYSQL_UNAVAILABLE,
  }),
  route({
    method: 'post',
    path: '/api/v1/alerts/:id/ack',
    summary: 'Acknowledge an alert (warehouse), optionally saying why',
    description:
      '202 with the event put on the stream; 200 with the alert when it is already acknowledged (the first ' +
      'acknowledgement is kept). No body at all is fine.',
    tags: ['alerts'],
    access: 'warehouse',
    params: z.object({
      id: alertIdParamSchema.openapi({ description: 'the row id or the alert id of the live alert event' }),
    }),
    body: { schema: acknowledgeAlertSchema, required: false },
    success: {
      status: 202,
      description: 'The acknowledgement is on the stream',
      schema: acceptedWriteSchema.extend({ alertId: z.string() }).openapi('AcceptedAcknowledgement'),
    },
    otherAnswers: [{ status: 200, description: 'Already acknowledged: the alert as it is', schema: alertSchema }],
    errors: { 404: 'No such alert (`not_found`)', ...MYSQL_UNAVAILABLE },
  }),
];
