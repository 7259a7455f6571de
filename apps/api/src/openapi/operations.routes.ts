import { z } from 'zod';
import { route } from './api-route';

const checkSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('up') }),
  z.object({ status: z.literal('down'), error: z.string() }),
]);

const readinessSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    checks: z.object({ redis: checkSchema, mysql: checkSchema, kinesis: checkSchema }),
  })
  .openapi('Readiness');

/** Probes and the Prometheus scrape: public, they carry counts, never data. */
export const operationRoutes = [
  route({
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: the process answers',
    tags: ['operations'],
    access: 'public',
    success: { status: 200, description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
  }),
  route({
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness: Redis and the Kinesis stream answer (MySQL down is `degraded`, still ready)',
    tags: ['operations'],
    access: 'public',
    success: { status: 200, description: 'Ready (`ok` or `degraded`)', schema: readinessSchema },
    otherAnswers: [
      {
        status: 503,
        description: 'Not ready: Redis or Kinesis does not answer (`unavailable`)',
        schema: readinessSchema,
      },
    ],
  }),
  route({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of this process',
    tags: ['operations'],
    access: 'public',
    success: {
      status: 200,
      description: 'The text exposition format',
      schema: z.string(),
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
    },
  }),
];
