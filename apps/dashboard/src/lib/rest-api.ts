import type { SalesFigures } from '@stockwall/contracts';

/** A refused or failed REST read, with the HTTP status (0 when the server was not reached). */
export class RestRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestRequestError';
  }
}

export type QueryValue = string | number | undefined | null;

/** GET a JSON body from the API on the page's own origin, with the screen's token. */
export async function getJson<T>(
  token: string,
  path: string,
  query: Record<string, QueryValue>,
  signal?: AbortSignal,
): Promise<T> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  let response: Response;
  try {
    response = await fetch(`${path}?${params.toString()}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RestRequestError(0, `${path}: unreachable`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new RestRequestError(response.status, `${path}: ${typeof message === 'string' ? message : response.status}`);
  }
  return body as T;
}

/**
 * Runs `read` now and then every `everyMs` (never overlapping) until the returned function is
 * called; a failed read is reported and tried again at the next turn.
 */
export function every(everyMs: number, read: (signal: AbortSignal) => Promise<void>): () => void {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const turn = async () => {
    try {
      await read(controller.signal);
    } catch {
      // The reader keeps its own error state; the next turn tries again.
    }
    if (!controller.signal.aborted) timer = setTimeout(() => void turn(), everyMs);
  };
  void turn();
  return () => {
    controller.abort();
    if (timer !== null) clearTimeout(timer);
  };
}

export type { SalesFigures };

export interface KpiHistoryPage {
  interval: string;
  source: string | null;
  items: (SalesFigures & { from: string; to: string })[];
  nextCursor: string | null;
}

export interface SalesBySourcePage {
  from: string;
  to: string;
  items: (SalesFigures & { source: string })[];
}

export interface ProductHistoryPage {
  sku: string;
  items: { at: string; location: string; onHand: number; available: number }[];
  nextCursor: string | null;
}

export const MINUTE_MS = 60_000;

export function alignDown(time: number, stepMs: number): number {
  return Math.floor(time / stepMs) * stepMs;
}
