import { describe, expect, it } from '@jest/globals';
import { buildStockForecast } from '../testing/live-kpis.factory';
import {
  fetchForecasts,
  ForecastRequestError,
  runningOut,
  runOutLevel,
  type Fetcher,
  type RunOutLevel,
} from './forecasts';

function answering(status: number, body: unknown, calls: { url: string; init: RequestInit }[] = []): Fetcher {
  return async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
}

describe(fetchForecasts.name, () => {
  it('asks for the first N (and the location) with the screen token', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const page = { asOf: '2024-06-01T08:15:00.000Z', items: [buildStockForecast()], nextCursor: 'abc' };

    const answer = await fetchForecasts(
      'tok',
      { limit: 8, location: 'north' },
      { fetcher: answering(200, page, calls) },
    );

    expect(answer).toEqual(page);
    expect(calls[0].url).toBe('/api/v1/forecasts?limit=8&location=north');
    expect(calls[0].init.headers).toEqual({ authorization: 'Bearer tok', accept: 'application/json' });
  });

  it('names the status and the server message of a refusal', async () => {
    const error = await fetchForecasts(
      'bad',
      { limit: 8 },
      { fetcher: answering(401, { message: 'token expired' }) },
    ).then(
      () => null,
      (refusal: unknown) => refusal,
    );

    expect(error).toBeInstanceOf(ForecastRequestError);
    expect((error as ForecastRequestError).message).toBe('forecasts: 401 token expired');
    expect((error as ForecastRequestError).unauthorized).toBe(true);
  });

  it('says so when the server cannot be reached or answers something else', async () => {
    const unreachable: Fetcher = async () => {
      throw new TypeError('Failed to fetch');
    };

    await expect(fetchForecasts('tok', { limit: 8 }, { fetcher: unreachable })).rejects.toEqual(
      new ForecastRequestError(0, 'forecasts unreachable: Failed to fetch'),
    );
    await expect(fetchForecasts('tok', { limit: 8 }, { fetcher: answering(200, { rows: [] }) })).rejects.toThrow(
      'forecasts: unexpected answer',
    );
  });
});

describe(runOutLevel.name, () => {
  it.each<[Parameters<typeof runOutLevel>[0], RunOutLevel]>([
    [{ available: 0, daysOfCover: 0, reorderPoint: 5 }, 'out'],
    [{ available: -2, daysOfCover: null, reorderPoint: null }, 'out'],
    [{ available: 3, daysOfCover: 0.5, reorderPoint: null }, 'critical'],
    [{ available: 30, daysOfCover: 2.9, reorderPoint: 5 }, 'low'],
    [{ available: 5, daysOfCover: 40, reorderPoint: 5 }, 'low'],
    [{ available: 30, daysOfCover: 3, reorderPoint: 5 }, 'ok'],
    [{ available: 30, daysOfCover: null, reorderPoint: null }, 'ok'],
  ])('%p → %p', (item, level) => expect(runOutLevel(item)).toBe(level));
});

describe(runningOut.name, () => {
  it('keeps the SKUs with a projected run-out, in the order served, at most N', () => {
    const items = [
      buildStockForecast({ sku: 'A' }),
      buildStockForecast({ sku: 'B' }),
      buildStockForecast({ sku: 'C' }),
      buildStockForecast({ sku: 'never-sold', projectedRunOutAt: null, daysOfCover: null }),
    ];

    expect(runningOut(items, 2).map((item) => item.sku)).toEqual(['A', 'B']);
    expect(runningOut(items, 8).map((item) => item.sku)).toEqual(['A', 'B', 'C']);
  });
});
