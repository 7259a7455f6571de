import type { ForecastPosition } from '@stockwall/aggregation';

/**
 * The `nextCursor` of the forecast listing: the reading time of its first page and the last position
 * served. Later pages are read at the same time, so run-outs of unchanged SKUs stay comparable.
 */
export interface ForecastCursor {
  asOf: number;
  after: ForecastPosition;
}

export function encodeForecastCursor(cursor: ForecastCursor): string {
  const { asOf, after } = cursor;
  return Buffer.from(JSON.stringify([asOf, after.runOutAt, after.sku, after.location])).toString('base64url');
}

/** Null when the text is not a cursor this listing issued. */
export function decodeForecastCursor(text: string): ForecastCursor | null {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(text)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) return null;
  const [asOf, runOutAt, sku, location] = decoded as unknown[];
  if (!isInstant(asOf) || (runOutAt !== null && !isInstant(runOutAt))) return null;
  if (typeof sku !== 'string' || typeof location !== 'string' || sku === '' || location === '') return null;
  return { asOf, after: { runOutAt, sku, location } };
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
