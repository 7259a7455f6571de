import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentRequestId, escapeForLog, requestIdFrom } from '@stockwall/platform';

/** Every error is JSON with a clear message and a correlation id; never a stack trace. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    // The request id the middleware gave the request (also in X-Request-Id); read again only for errors raised before it ran.
    const correlationId = currentRequestId() ?? requestIdFrom(request.headers);
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string | string[] = 'Internal error';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      message =
        typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
    } else if (isClientHttpError(exception)) {
      // Body parser errors (too large, malformed JSON) are the client's, with a safe message.
      status = exception.status;
      message = exception.message;
    } else {
      this.logger.error(
        `${correlationId} ${escapeForLog(request.method)} ${escapeForLog(request.url)}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    }
    response.status(status).json({
      statusCode: status,
      error: HttpStatus[status] ?? 'Error',
      message,
      correlationId,
    });
  }
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
