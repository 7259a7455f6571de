import type { StockForecast } from '@stockwall/contracts';
import {
  compareForecastPositions,
  computedReorderPoint,
  DAY_MS,
  daysOfCover,
  EMPTY_DEMAND,
  ForecastInput,
  ForecastPosition,
  forecastAt,
  HOUR_MS,
  isLeadTimeDays,
  MAX_LEAD_TIME_DAYS,
  pageByRunOut,
  projectedRunOut,
  RankedForecast,
  recordDemand,
  sellRateAt,
} from './forecast';

const DECAY = 24 * HOUR_MS;

describe(recordDemand.name, () => {
  it('decays the sell rate exponentially with event time', () => {
    const sut = recordDemand(EMPTY_DEMAND, 0, 24, DECAY);
    expect(sut.rate).toBeCloseTo(1, 10);
    expect(sellRateAt(sut, DECAY, DECAY)).toBeCloseTo(Math.exp(-1), 10);
    expect(sellRateAt(sut, -5, DECAY)).toBe(sut.rate);
  });

  it('converges to the true rate under steady demand', () => {
    let sut = EMPTY_DEMAND;
    for (let hour = 0; hour < 24 * 20; hour++) sut = recordDemand(sut, hour * HOUR_MS, 3, DECAY);
    expect(sut.rate).toBeGreaterThan(2.9);
    expect(sut.rate).toBeLessThan(3.1);
  });

  it('counts completed days, with days without sales as zeros', () => {
    let sut = recordDemand(EMPTY_DEMAND, 0, 4, DECAY);
    sut = recordDemand(sut, 3 * DAY_MS, 2, DECAY);
    expect(sut).toMatchObject({ days: 3, sum: 4, sumOfSquares: 16, dayUnits: 2, day: 3 });
  });
});

describe(computedReorderPoint.name, () => {
  const settings = { safetyZ: 1.65, minHistoryDays: 2 };

  it('is average daily demand × lead time plus z × σ × √lead time, rounded up', () => {
    // Completed days 10 and 20: mean 15, σ 5. Lead time 4: 60 + 1.65 × 5 × 2 = 76.5 → 77.
    const state = { ...EMPTY_DEMAND, days: 2, sum: 30, sumOfSquares: 500 };
    expect(computedReorderPoint(state, 4, settings)).toBe(77);
  });

  it('needs a lead time and enough history', () => {
    const state = { ...EMPTY_DEMAND, days: 1, sum: 10, sumOfSquares: 100 };
    expect(computedReorderPoint(state, 4, settings)).toBeNull();
    expect(computedReorderPoint({ ...state, days: 2 }, null, settings)).toBeNull();
  });
});

describe(projectedRunOut.name, () => {
  it('projects when the available units run out and how many days they cover', () => {
    expect(projectedRunOut(48, 2, 1_000)).toBe(1_000 + 24 * HOUR_MS);
    expect(daysOfCover(48, 2)).toBe(1);
    expect(daysOfCover(-3, 2)).toBe(0);
    expect(projectedRunOut(10, 0, 0)).toBeNull();
  });
});

describe(forecastAt.name, () => {
  const settings = { decayMs: DECAY, defaultLeadTimeDays: null };
  const input: ForecastInput = {
    sku: 'A',
    location: 'main',
    name: 'Kettle',
    active: true,
    available: 48,
    rate: 2 * Math.E,
    rateAt: 0,
    historyDays: 9,
    explicitReorderPoint: null,
    computedReorderPoint: 31,
    supplierLeadTimeDays: 16.5,
  };

  it('decays the rate to the reading time and projects cover and run-out from there', () => {
    const sut = forecastAt(input, DECAY, settings);
    // One time constant later the rate is 2/h: 48 units last a day.
    expect(sut.forecast).toEqual({
      sku: 'A',
      location: 'main',
      name: 'Kettle',
      active: true,
      available: 48,
      sellRatePerHour: 2,
      lastSaleAt: '1970-01-01T00:00:00.000Z',
      daysOfCover: 1,
      projectedRunOutAt: new Date(DECAY + DAY_MS).toISOString(),
      reorderPoint: 31,
      reorderPointSource: 'computed',
      leadTimeDays: 16.5,
      historyDays: 9,
    });
    expect(sut.position).toEqual({ runOutAt: DECAY + DAY_MS, sku: 'A', location: 'main' });
  });

  it('prefers the explicit reorder point and falls back to the default lead time', () => {
    const sut = forecastAt({ ...input, explicitReorderPoint: 12, supplierLeadTimeDays: null }, 0, {
      ...settings,
      defaultLeadTimeDays: 16,
    });
    expect(sut.forecast).toMatchObject({ reorderPoint: 12, reorderPointSource: 'explicit', leadTimeDays: 16 });
    const none = forecastAt({ ...input, computedReorderPoint: null, supplierLeadTimeDays: null }, 0, settings);
    expect(none.forecast).toMatchObject({ reorderPoint: null, reorderPointSource: null, leadTimeDays: null });
  });

  it('has no cover nor run-out without sales, and a run-out now when nothing is available', () => {
    const unsold = forecastAt({ ...input, rate: 0, rateAt: null }, 5_000, settings);
    expect(unsold.forecast).toMatchObject({
      sellRatePerHour: 0,
      lastSaleAt: null,
      daysOfCover: null,
      projectedRunOutAt: null,
    });
    expect(unsold.position.runOutAt).toBeNull();
    const empty = forecastAt({ ...input, available: -2 }, 0, settings);
    expect(empty.forecast).toMatchObject({ daysOfCover: 0, projectedRunOutAt: new Date(0).toISOString() });
  });

  it('treats a run-out beyond any representable date as none', () => {
    // A single sale two years of event time ago: the decayed rate is about e^-730.
    const sut = forecastAt({ ...input, rate: 1, rateAt: 0 }, 730 * DAY_MS, settings);
    expect(sut.position.runOutAt).toBeNull();
    expect(sut.forecast.projectedRunOutAt).toBeNull();
  });
});

describe(pageByRunOut.name, () => {
  const ranked = (runOutAt: number | null, sku: string, location = 'main'): RankedForecast => ({
    forecast: { sku } as StockForecast,
    position: { runOutAt, sku, location },
  });
  const entries = [ranked(null, 'B'), ranked(500, 'Z'), ranked(null, 'A'), ranked(100, 'C', 'north'), ranked(100, 'C')];

  it('orders by soonest run-out, SKUs without sales last, ties by SKU then location', () => {
    const sut = pageByRunOut(entries, 10);
    expect(sut.page.map((entry) => `${entry.position.sku}@${entry.position.location}`)).toEqual([
      'C@main',
      'C@north',
      'Z@main',
      'A@main',
      'B@main',
    ]);
    expect(sut.next).toBeNull();
  });

  it('pages strictly after the previous page, without gaps or repeats', () => {
    const seen: string[] = [];
    let after: ForecastPosition | undefined;
    for (let pages = 1; ; pages++) {
      const sut = pageByRunOut(entries, 2, after);
      seen.push(...sut.page.map((entry) => `${entry.position.sku}@${entry.position.location}`));
      if (!sut.next) {
        expect(pages).toBe(3);
        break;
      }
      after = sut.next;
    }
    expect(seen).toEqual(['C@main', 'C@north', 'Z@main', 'A@main', 'B@main']);
    expect(
      compareForecastPositions({ runOutAt: 1, sku: 'A', location: 'x' }, { runOutAt: null, sku: 'A', location: 'x' }),
    ).toBeLessThan(0);
  });
});

describe(isLeadTimeDays.name, () => {
  it('accepts positive finite days up to the bound', () => {
    expect([0.5, 16, 16.5, MAX_LEAD_TIME_DAYS].map(isLeadTimeDays)).toEqual([true, true, true, true]);
    expect([0, -1, MAX_LEAD_TIME_DAYS + 1, Number.NaN, Infinity].map(isLeadTimeDays)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
