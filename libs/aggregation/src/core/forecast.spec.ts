import {
  computedReorderPoint,
  DAY_MS,
  daysOfCover,
  EMPTY_DEMAND,
  HOUR_MS,
  projectedRunOut,
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
