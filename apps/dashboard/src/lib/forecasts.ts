import type { StockForecast } from '@stockwall/contracts';

/** One page of `GET /api/v1/forecasts` (docs/aggregation.md, "Reading forecasts"). */
export interface ForecastPage {
  /** The watermark the rates and run-outs are computed at. */
  asOf: string | null;
  items: StockForecast[];
  nextCursor: string | null;
}

export interface ForecastQuery {
  limit: number;
  location?: string;
}

/** A refused or failed request, with the HTTP status (0 when the server was not reached). */
export class ForecastRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ForecastRequestError';
  }

  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

function isForecastPage(body: unknown): body is ForecastPage {
  if (!body || typeof body !== 'object') return false;
  const { asOf, items } = body as Record<string, unknown>;
  return Array.isArray(items) && (asOf === null || typeof asOf === 'string');
}

/** The first `limit` SKUs by soonest projected run-out, with the screen's token (same origin). */
export async function fetchForecasts(
  token: string,
  query: ForecastQuery,
  options: { fetcher?: Fetcher; signal?: AbortSignal } = {},
): Promise<ForecastPage> {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.location) params.set('location', query.location);
  const fetcher = options.fetcher ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await fetcher(`/api/v1/forecasts?${params.toString()}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ForecastRequestError(0, `forecasts unreachable: ${(error as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new ForecastRequestError(
      response.status,
      `forecasts: ${response.status} ${typeof message === 'string' ? message : response.statusText}`.trim(),
    );
  }
  if (!isForecastPage(body)) throw new ForecastRequestError(response.status, 'forecasts: unexpected answer');
  return body;
}

/** How urgent a line of the run-out list is. */
export type RunOutLevel = 'out' | 'critical' | 'low' | 'ok';

/** Less than this many days of cover is critical; less than `LOW_COVER_DAYS` (or at the reorder point) is low. */
export const CRITICAL_COVER_DAYS = 1;
export const LOW_COVER_DAYS = 3;

export function runOutLevel(item: Pick<StockForecast, 'available' | 'daysOfCover' | 'reorderPoint'>): RunOutLevel {
  if (item.available <= 0) return 'out';
  if (item.daysOfCover !== null && item.daysOfCover < CRITICAL_COVER_DAYS) return 'critical';
  if (item.daysOfCover !== null && item.daysOfCover < LOW_COVER_DAYS) return 'low';
  if (item.reorderPoint !== null && item.available <= item.reorderPoint) return 'low';
  return 'ok';
}

/** The SKUs that are running out: those with a projected run-out (the API lists them first), at most `limit`. */
export function runningOut(items: readonly StockForecast[], limit: number): StockForecast[] {
  return items.filter((item) => item.projectedRunOutAt !== null).slice(0, limit);
}
