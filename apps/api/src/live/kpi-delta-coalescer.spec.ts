import { computeKpis, EMPTY_WINDOW } from '@stockwall/aggregation';
import { KPI_REFRESH_MS, KpiDeltaCoalescer, KpiReading } from './kpi-delta-coalescer';
import { IDLE_DELTA_MS, MIN_FLUSH_INTERVAL_MS } from './stock-delta-coalescer';

const WATERMARK = Date.UTC(2024, 4, 2, 10, 0);

function reading(version: number, orders: number, watermark = WATERMARK): KpiReading {
  return {
    version,
    kpis: computeKpis({
      window: '15m',
      source: null,
      watermark,
      sums: { ...EMPTY_WINDOW, orders, revenueCents: orders * 1_999, units: orders * 2 },
      lateEvents: 0,
      overall: { units: 0, valueCents: 0, belowReorderPoint: 0, outOfStock: 0, active: 0 },
      locations: {},
    }),
  };
}

/** Runs one read that is due at `now` and returns its delta (undefined when no read was due). */
function readAt(sut: KpiDeltaCoalescer, now: number, result: KpiReading, latencyMs = 0) {
  const ticket = sut.begin(now);
  if (ticket === null) return undefined;
  return sut.complete(ticket, now + latencyMs, result);
}

describe(KpiDeltaCoalescer.name, () => {
  it('reads nothing right after it opens (its clients read their snapshots then), but at once on a notice', () => {
    const sut = new KpiDeltaCoalescer(7, 1_000);

    expect(sut.dueAt()).toBe(1_000 + KPI_REFRESH_MS);
    expect(sut.begin(1_001)).toBeNull();
    sut.accept(7);
    expect(sut.begin(1_002)).toBeNull();
    sut.accept(8);
    expect(sut.begin(1_003)).not.toBeNull();
  });

  it('turns a reading into a delta with its version range, watermark, send time and the whole KPI object', () => {
    const sut = new KpiDeltaCoalescer(7, 0);
    sut.accept(8);
    sut.accept(9);

    const delta = readAt(sut, 1_000, reading(9, 3), 5);

    expect(delta).toEqual({
      version: 9,
      previousVersion: 7,
      watermark: '2024-05-02T10:00:00.000Z',
      serverTime: new Date(1_005).toISOString(),
      kpis: reading(9, 3).kpis,
    });
    expect(delta!.kpis).toMatchObject({ orders: 3, revenue: '59.97', units: 6 });
    expect(sut.version).toBe(9);
  });

  it('reads once for any number of notices and chains its deltas', () => {
    const sut = new KpiDeltaCoalescer(0, 0);
    for (let version = 1; version <= 500; version++) sut.accept(version);
    const first = readAt(sut, 1_000, reading(500, 1))!;
    for (let version = 501; version <= 900; version++) sut.accept(version);

    expect(readAt(sut, 1_000 + MIN_FLUSH_INTERVAL_MS - 1, reading(900, 2))).toBeUndefined();
    const second = readAt(sut, 1_000 + MIN_FLUSH_INTERVAL_MS, reading(900, 2))!;

    expect([first.previousVersion, first.version]).toEqual([0, 500]);
    expect([second.previousVersion, second.version]).toEqual([500, 900]);
    expect(sut.dueAt()).toBe(1_000 + MIN_FLUSH_INTERVAL_MS + KPI_REFRESH_MS);
  });

  it('never overlaps reads; a notice during a read brings another read once the interval has passed', () => {
    const sut = new KpiDeltaCoalescer(0, 0);
    sut.accept(1);
    const ticket = sut.begin(1_000)!;
    sut.accept(2);

    expect(sut.dueAt()).toBeNull();
    expect(sut.begin(1_100)).toBeNull();
    expect(sut.complete(ticket, 1_040, reading(1, 1))).toMatchObject({ version: 1 });
    // Read and delta are both at least an interval back before the next read starts.
    expect(sut.dueAt()).toBe(1_040 + MIN_FLUSH_INTERVAL_MS);
    expect(readAt(sut, 1_290, reading(2, 2))).toMatchObject({ previousVersion: 1, version: 2 });
  });

  it('sends nothing for unchanged figures, and a newer version with the same figures only after a quiet spell', () => {
    const sut = new KpiDeltaCoalescer(0, 0);
    sut.accept(1);
    expect(readAt(sut, 1_000, reading(1, 1))).toMatchObject({ version: 1 });
    sut.accept(2);
    expect(readAt(sut, 1_250, reading(2, 1))).toBeNull();
    sut.accept(3);
    expect(readAt(sut, 1_000 + IDLE_DELTA_MS - 1, reading(3, 1))).toBeNull();
    sut.accept(4);

    expect(readAt(sut, 1_000 + IDLE_DELTA_MS + MIN_FLUSH_INTERVAL_MS, reading(4, 1))).toMatchObject({
      previousVersion: 1,
      version: 4,
    });
  });

  it('reads again as time passes without notices and sends what changed', () => {
    const sut = new KpiDeltaCoalescer(4, 0);

    expect(readAt(sut, KPI_REFRESH_MS - 1, reading(4, 0))).toBeUndefined();
    expect(readAt(sut, KPI_REFRESH_MS, reading(4, 0))).toMatchObject({ previousVersion: 4, version: 4 });
    expect(readAt(sut, 2 * KPI_REFRESH_MS, reading(4, 0))).toBeNull();
    // The feed missed the batches behind version 6: the timed read still finds them.
    expect(readAt(sut, 3 * KPI_REFRESH_MS, reading(6, 5))).toMatchObject({ previousVersion: 4, version: 6 });
  });

  it('ignores a reading older than what it sent', () => {
    const sut = new KpiDeltaCoalescer(10, 0);
    sut.accept(11);

    expect(readAt(sut, 1_000, reading(9, 8))).toBeNull();
    expect(sut.version).toBe(10);
  });

  it('drops the read under way on reset and sends the next reading from the new version, even unchanged', () => {
    const sut = new KpiDeltaCoalescer(0, 0);
    sut.accept(50);
    expect(readAt(sut, 1_000, reading(50, 2))).toMatchObject({ version: 50 });
    sut.accept(51);
    const stale = sut.begin(1_250)!;

    sut.reset(3);

    expect(sut.complete(stale, 1_260, reading(51, 2))).toBeNull();
    expect(readAt(sut, 1_500, reading(3, 2))).toMatchObject({ previousVersion: 3, version: 3 });
  });

  it('tries a failed read again after the refresh interval', () => {
    const sut = new KpiDeltaCoalescer(0, 0);
    sut.accept(1);
    const ticket = sut.begin(1_000)!;

    sut.fail(ticket, 1_010);

    expect(sut.dueAt()).toBe(1_010 + KPI_REFRESH_MS);
    expect(readAt(sut, 1_010 + KPI_REFRESH_MS, reading(1, 1))).toMatchObject({ version: 1 });
  });

  it('never sends more than 4 deltas in any second, whatever the notice rate and read latency', () => {
    const sut = new KpiDeltaCoalescer(0, 0);
    const sentAt: number[] = [];
    let inFlight: { ticket: number; endsAt: number; version: number } | null = null;
    for (let now = 0, version = 1; now < 10_000; now++) {
      if (now % 7 === 0) sut.accept(version++);
      if (inFlight && now >= inFlight.endsAt) {
        if (sut.complete(inFlight.ticket, now, reading(inFlight.version, inFlight.version))) sentAt.push(now);
        inFlight = null;
      }
      const ticket = sut.begin(now);
      // Latencies from 0 to 180 ms, so some reads end just before the next is allowed to start.
      if (ticket !== null) inFlight = { ticket, endsAt: now + ((now * 37) % 181), version: version - 1 };
    }

    for (const start of sentAt) {
      expect(sentAt.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(4);
    }
    expect(sentAt.length).toBeGreaterThanOrEqual(25);
  });
});
