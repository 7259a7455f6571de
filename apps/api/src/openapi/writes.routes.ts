import { z } from 'zod';
import {
  adjustmentSchema,
  createProductSchema,
  locationQuerySchema,
  reorderPointSchema,
  skuParamSchema,
  updateProductSchema,
} from '../writes/writes.dto';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { route } from './api-route';
import { acceptedWriteSchema, instantSchema, moneySchema } from './common.schemas';

const ACCEPTED = {
  status: 202,
  description: 'The event is on the stream; its effect shows up live (write.applied / write.rejected)',
  schema: acceptedWriteSchema,
} as const;

const skuParams = z.object({ sku: skuParamSchema });

const productSchema = z
  .object({
    sku: z.string(),
    name: z.string().nullable(),
    category: z.string().nullable(),
    description: z.string().nullable(),
    unitPrice: moneySchema.nullable(),
    unitCost: moneySchema.nullable(),
    updatedAt: instantSchema,
  })
  .openapi('Product');

const writeStatusSchema = z
  .object({
    eventId: z.string(),
    state: z.enum(['pending', 'applied', 'rejected']),
    reason: z.string().optional().openapi({ description: 'why the apply refused it (rejected only)' }),
  })
  .openapi('WriteStatus');

/** Each write puts one event on the stream and answers 202 with its id. */
export const writeRoutes = [
  route({
    method: 'post',
    path: '/api/v1/adjustments',
    summary: 'Correct stock: a signed change (delta) or a cycle count (countedQuantity), with a reason',
    tags: ['writes'],
    access: 'warehouse',
    body: { schema: adjustmentSchema },
    success: ACCEPTED,
  }),
  route({
    method: 'post',
    path: '/api/v1/products',
    summary: 'Add a product with its opening stock (admin)',
    tags: ['writes'],
    access: 'admin',
    body: { schema: createProductSchema },
    success: ACCEPTED,
  }),
  route({
    method: 'delete',
    path: '/api/v1/products/:sku',
    summary: 'Retire a product at a location (admin)',
    tags: ['writes'],
    access: 'admin',
    params: skuParams,
    query: locationQuerySchema,
    success: ACCEPTED,
  }),
  route({
    method: 'put',
    path: '/api/v1/products/:sku/reorder-point',
    summary: 'Set a SKU’s explicit reorder point (admin)',
    tags: ['writes'],
    access: 'admin',
    params: skuParams,
    body: { schema: reorderPointSchema },
    success: ACCEPTED,
  }),
  route({
    method: 'get',
    path: '/api/v1/products/:sku',
    summary: 'A product’s catalog record: name, category, description, price and cost',
    tags: ['products'],
    access: 'viewer',
    params: skuParams,
    success: { status: 200, description: 'The catalog record', schema: productSchema },
    errors: {
      404: 'No such product (`not_found`)',
      503: 'MySQL is not answering (`dependency_unavailable`); see Retry-After',
    },
  }),
  route({
    method: 'patch',
    path: '/api/v1/products/:sku',
    summary: 'Change catalog fields (a product_updated event on the stream); stock never changes',
    tags: ['products'],
    access: 'admin',
    params: skuParams,
    body: { schema: updateProductSchema },
    success: ACCEPTED,
  }),
  route({
    method: 'get',
    path: '/api/v1/writes/:eventId',
    summary: 'Whether a write is pending, applied or rejected (kept for a day after it was decided)',
    tags: ['writes'],
    access: 'viewer',
    params: z.object({ eventId: wireIdentifierSchema.openapi({ description: 'the eventId of a write (api-…)' }) }),
    success: { status: 200, description: 'The write’s state', schema: writeStatusSchema },
  }),
];
