import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, FieldError, PROBLEM_STATUS, ProblemCode } from './domain-errors';

/** Where the codes are explained; each problem's `type` is this with `#<code>`. */
export const PROBLEM_TYPE_BASE = '/api/docs/problems';

/**
 * An error answer as RFC 9457 describes it (application/problem+json), with Stockwall's members:
 * `code` (stable, for clients to branch on), `errors` (refused fields) and `correlationId` (also in
 * X-Request-Id and in the logs). `statusCode`, `error` and `message` are the members v1 answered
 * before problem documents; they stay for the clients that read them.
 */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  errors?: FieldError[];
  correlationId: string;
  statusCode: number;
  error: string;
  message: string | string[];
}

const CODE_BY_STATUS = new Map<number, ProblemCode>(
  Object.entries(PROBLEM_STATUS).map(([code, status]) => [status, code as ProblemCode]),
);

/** The code a status means when the error carries none (Nest's own exceptions, body-parser's). */
export function codeForStatus(status: number): ProblemCode {
  return CODE_BY_STATUS.get(status) ?? (status >= 500 ? 'internal' : 'validation_failed');
}

/** What a thrown value is answered with; unknown errors are a 500 that shows nothing of them. */
export function describeError(exception: unknown): {
  status: number;
  code: ProblemCode;
  message: string | string[];
  errors: FieldError[];
  known: boolean;
} {
  if (exception instanceof DomainError) {
    const errors = [...exception.errors];
    const message = errors.length > 0 ? errors.map((error) => `${error.path}: ${error.message}`) : exception.message;
    return { status: PROBLEM_STATUS[exception.code], code: exception.code, message, errors, known: true };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message =
      typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
    return { status, code: codeForStatus(status), message, errors: fieldErrorsOf(message), known: true };
  }
  if (isClientHttpError(exception)) {
    // Body parser errors (too large, malformed JSON) are the client's, with a safe message.
    return {
      status: exception.status,
      code: codeForStatus(exception.status),
      message: exception.message,
      errors: [],
      known: true,
    };
  }
  return { status: 500, code: 'internal', message: 'Internal error', errors: [], known: false };
}

export function problemDocument(exception: unknown, instance: string, correlationId: string): ProblemDocument {
  const { status, code, message, errors } = describeError(exception);
  const title = httpTitle(status);
  return {
    type: `${PROBLEM_TYPE_BASE}#${code}`,
    title,
    status,
    detail: Array.isArray(message) ? message.join('; ') : message,
    instance,
    code,
    ...(errors.length > 0 ? { errors } : {}),
    correlationId,
    statusCode: status,
    error: title,
    message,
  };
}

/** "Bad Request" for 400: Nest's enum names, in words. */
function httpTitle(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ')
    .replace(/^Unprocessable Entity$/, 'Unprocessable Content');
}

/** Messages written as `path: why` (the validation pipe's, older services') become field errors. */
function fieldErrorsOf(message: string | string[]): FieldError[] {
  if (!Array.isArray(message)) return [];
  return message.flatMap((text) => {
    const match = /^([A-Za-z0-9_.[\]-]+): (.+)$/s.exec(text);
    return match ? [{ path: match[1], message: match[2] }] : [];
  });
}

/** An http-errors error (thrown by body-parser) that is a 4xx and marked safe to show. */
function isClientHttpError(error: unknown): error is { status: number; message: string } {
  const candidate = error as { status?: unknown; expose?: unknown; message?: unknown } | null;
  return (
    typeof candidate?.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    candidate.expose === true &&
    typeof candidate.message === 'string'
  );
}
