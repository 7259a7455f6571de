import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { toCsv } from '@stockwall/persistence';

/**
 * A list or series response: its `items` (or a live snapshot's `rows`, or the array itself for an
 * unpaged list) become the CSV rows, its `nextCursor` a header.
 */
export type ListResponse =
  readonly object[] | (({ items: readonly object[] } | { rows: readonly object[] }) & { nextCursor?: string | null });

/**
 * Answers `Accept: text/csv` with the response's items as CSV (the next page's cursor in
 * `X-Next-Cursor`); any other Accept gets the JSON unchanged.
 */
@Injectable()
export class CsvInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!wantsCsv(request.headers.accept)) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: ListResponse) => {
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        response.setHeader('Content-Disposition', `attachment; filename="${fileName(request.path)}.csv"`);
        if (isArray(body)) return toCsv(body as Record<string, unknown>[]);
        if (body.nextCursor) response.setHeader('X-Next-Cursor', body.nextCursor);
        return toCsv(('items' in body ? body.items : body.rows) as Record<string, unknown>[]);
      }),
    );
  }
}

function isArray(body: ListResponse): body is readonly object[] {
  return Array.isArray(body);
}

export function wantsCsv(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.trim().toLowerCase().startsWith('text/csv'));
}

function fileName(path: string): string {
  return (
    path
      .replace(/^\/api\/v1\//, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-|-$/g, '') || 'export'
  );
}
