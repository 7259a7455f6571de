import { z } from 'zod';
import { MAX_LEAD_TIME_DAYS } from '@stockwall/aggregation';
import { deadLetterQuerySchema } from '../dead-letters/dead-letters.dto';
import { createDisplayTokenSchema, displayTokenIdSchema } from '../display-tokens/display-tokens.dto';
import { leadTimeBodySchema, leadTimeListQuerySchema, supplierIdParamSchema } from '../suppliers/suppliers.dto';
import { route } from './api-route';
import { instantSchema, nextCursorSchema } from './common.schemas';
import { MYSQL_UNAVAILABLE } from './history.routes';

const deadLetterPageSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        streamName: z.string().nullable(),
        shardId: z.string(),
        sequenceNumber: z.string(),
        subSequence: z.number().int(),
        reason: z.string(),
        detail: z.string(),
        rawBase64: z.string(),
        rawBytes: z.number().int(),
        receivedAt: instantSchema,
      }),
    ),
    nextCursor: nextCursorSchema,
  })
  .openapi('DeadLetterPage');

const displayTokenSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    createdBy: z.string(),
    createdAt: instantSchema,
    expiresAt: instantSchema,
  })
  .openapi('DisplayToken');

const leadTimeSchema = z.object({ supplierId: z.string(), days: z.number() }).openapi('SupplierLeadTime');

const supplierParams = z.object({
  supplierId: supplierIdParamSchema.openapi({ description: 'as in restock_received.supplier_id' }),
});

/** Operations and reference data: dead letters, display tokens, supplier lead times. */
export const adminRoutes = [
  route({
    method: 'get',
    path: '/api/v1/dead-letters',
    summary: 'Records the workers refused: stored (MySQL, paged) or the newest of the live Redis stream',
    tags: ['dead-letters'],
    access: 'admin',
    query: deadLetterQuerySchema,
    csv: true,
    success: { status: 200, description: 'One page of dead letters', schema: deadLetterPageSchema },
    errors: MYSQL_UNAVAILABLE,
  }),
  route({
    method: 'post',
    path: '/api/v1/display-tokens',
    summary: 'Make a long-lived, viewer-only, revocable token for an unattended wall screen',
    tags: ['display-tokens'],
    access: 'admin',
    body: { schema: createDisplayTokenSchema },
    success: {
      status: 201,
      description: 'The token (shown once) and its record',
      schema: displayTokenSchema.extend({ token: z.string() }).openapi('NewDisplayToken'),
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/display-tokens',
    summary: 'Display tokens still valid',
    tags: ['display-tokens'],
    access: 'admin',
    csv: true,
    success: { status: 200, description: 'Every valid display token', schema: z.array(displayTokenSchema) },
  }),
  route({
    method: 'delete',
    path: '/api/v1/display-tokens/:id',
    summary: 'Revoke a display token: refused everywhere from now on, its sockets closed',
    tags: ['display-tokens'],
    access: 'admin',
    params: z.object({ id: displayTokenIdSchema }),
    success: { status: 204, description: 'Revoked' },
    errors: { 404: 'No such display token (`not_found`)' },
  }),
  route({
    method: 'get',
    path: '/api/v1/suppliers/lead-times',
    summary: 'Supplier lead times on record (days), by supplier id; page with cursor = nextCursor',
    tags: ['suppliers'],
    access: 'viewer',
    query: leadTimeListQuerySchema,
    csv: true,
    success: {
      status: 200,
      description: 'One page of lead times',
      schema: z
        .object({ items: z.array(leadTimeSchema), nextCursor: nextCursorSchema })
        .openapi('SupplierLeadTimePage'),
    },
  }),
  route({
    method: 'put',
    path: '/api/v1/suppliers/:supplierId/lead-time',
    summary: 'Set a supplier’s lead time (admin); SKUs use it from their next restock naming that supplier',
    description: `Days: more than 0, at most ${MAX_LEAD_TIME_DAYS}.`,
    tags: ['suppliers'],
    access: 'admin',
    params: supplierParams,
    body: { schema: leadTimeBodySchema },
    success: { status: 200, description: 'The lead time on record', schema: leadTimeSchema },
  }),
  route({
    method: 'delete',
    path: '/api/v1/suppliers/:supplierId/lead-time',
    summary: 'Forget a supplier’s lead time (admin); 404 when none is on record',
    tags: ['suppliers'],
    access: 'admin',
    params: supplierParams,
    success: { status: 204, description: 'Forgotten' },
    errors: { 404: 'No lead time is on record for the supplier (`not_found`)' },
  }),
];
