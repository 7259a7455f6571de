import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentRequestId, escapeForLog, requestIdFrom } from '@stockwall/platform';
import { UnavailableError } from './domain-errors';
import { describeError, problemDocument } from './problem-details';

/** The one place errors become HTTP: an RFC 9457 problem document with a code and a correlation id; never a stack trace. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    // The request id the middleware gave the request (also in X-Request-Id); read again only for errors raised before it ran.
    const correlationId = currentRequestId() ?? requestIdFrom(request.headers);
    if (!describeError(exception).known) {
      this.logger.error(
        `${correlationId} ${escapeForLog(request.method)} ${escapeForLog(request.url)}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    }
    if (exception instanceof UnavailableError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    // The path only: a query string may carry what does not belong in an answer or a log.
    const instance = (request.originalUrl ?? request.url ?? '').split('?')[0].slice(0, 512);
    const problem = problemDocument(exception, instance, correlationId);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
