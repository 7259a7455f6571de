import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { INFRASTRUCTURE, Infrastructure, isMysqlUnavailableError } from '@stockwall/platform';
import { UnavailableError } from './domain-errors';

/**
 * A route whose MySQL does not answer (not connected yet, or lost) answers 503 with what is
 * unavailable and a `Retry-After`, instead of a 500: history, reports, stored alerts and dead
 * letters wait for MySQL while the Redis-backed routes go on. Nothing is logged per request; the
 * MySQL connection logs the outage itself.
 */
@Injectable()
export class MysqlUnavailableInterceptor implements NestInterceptor {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Pick<Infrastructure, 'mysql'>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!isMysqlUnavailableError(error)) return throwError(() => error);
        const message = mysqlUnavailableMessage(context.getClass().name);
        return throwError(() => new UnavailableError(message, this.infrastructure.mysql.retryAfterSeconds()));
      }),
    );
  }
}

/** `HistoryController` → "History is unavailable: …", `DeadLettersController` → "Dead letters are unavailable: …". */
export function mysqlUnavailableMessage(controllerName: string): string {
  const words = controllerName
    .replace(/Controller$/, '')
    .split(/(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  if (words.length === 0) return 'This resource is unavailable: MySQL is not answering; retrying';
  const subject = words.join(' ');
  const verb = subject.endsWith('s') ? 'are' : 'is';
  return `${subject[0].toUpperCase()}${subject.slice(1)} ${verb} unavailable: MySQL is not answering; retrying`;
}
