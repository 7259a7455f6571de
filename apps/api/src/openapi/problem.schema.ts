import { z } from 'zod';
import { PROBLEM_STATUS, type ProblemCode } from '../common/domain-errors';
import { PROBLEM_TYPE_BASE } from '../common/problem-details';
import './api-route';

const PROBLEM_CODES = Object.keys(PROBLEM_STATUS) as [ProblemCode, ...ProblemCode[]];

/** The RFC 9457 problem document every error answers with (problem-details.ts builds it). */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: `${PROBLEM_TYPE_BASE}#validation_failed` }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().openapi({ description: 'the request path' }),
    code: z.enum(PROBLEM_CODES).openapi({ description: 'stable: clients branch on it' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'each refused field (validation_failed, conflict)' }),
    correlationId: z.string().openapi({ description: 'also in X-Request-Id and in the logs' }),
    statusCode: z.number().int().openapi({ description: 'v1 member, as status' }),
    error: z.string().openapi({ description: 'v1 member, as title' }),
    message: z.union([z.string(), z.array(z.string())]).openapi({ description: 'v1 member' }),
  })
  .openapi('Problem');

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
