import { computeKpis, EMPTY_WINDOW } from '@stockwall/aggregation';
import type { KpisDelta, KpiWindow } from '@stockwall/contracts';
import { KPI_REFRESH_MS, KpiReading } from './kpi-delta-coalescer';
import { kpiRoomOf, KpiRooms } from './kpi-rooms';

const READ_LATENCY_MS = 20;

/**
 * A live state in memory standing in for Redis: `version` and `orders` move as the test applies
 * batches; each read resolves after READ_LATENCY_MS with the figures at the time it started.
 */
class Harness {
  version = 0;
  orders = 0;
  readonly reads: { window: KpiWindow; source: string | null; at: number }[] = [];
  readonly sent: { room: string; delta: KpisDelta; at: number }[] = [];
  readonly subscribed = new Set<string>();
  failures = 0;
  readonly sut = new KpiRooms({
    read: (window, source) => this.read(window, source),
    emit: (room, delta) => this.sent.push({ room, delta, at: Date.now() }),
    hasSubscribers: (room) => this.subscribed.has(room),
    onReadError: () => undefined,
  });

  open(window: KpiWindow, source: string | null): string {
    const room = this.sut.open(window, source, this.version);
    this.subscribed.add(room);
    return room;
  }

  /** One applied batch and its change notice. */
  apply(orders = 1): void {
    this.version += 1;
    this.orders += orders;
    this.sut.accept(this.version);
  }

  private read(window: KpiWindow, source: string | null): Promise<KpiReading> {
    this.reads.push({ window, source, at: Date.now() });
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('connection lost'));
    }
    const result: KpiReading = {
      version: this.version,
      kpis: computeKpis({
        window,
        source,
        watermark: Date.UTC(2024, 4, 2, 10, 0),
        sums: { ...EMPTY_WINDOW, orders: this.orders, revenueCents: this.orders * 250, units: this.orders },
        lateEvents: 0,
        overall: { units: 0, valueCents: 0, belowReorderPoint: 0, outOfStock: 0, active: 0 },
        locations: {},
      }),
    };
    return new Promise((resolve) => setTimeout(() => resolve(result), READ_LATENCY_MS));
  }
}

describe(KpiRooms.name, () => {
  let harness: Harness;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    harness = new Harness();
  });

  afterEach(() => {
    harness.sut.stop();
    jest.useRealTimers();
  });

  it('keys rooms by window and source', () => {
    expect(kpiRoomOf('15m', null)).toBe('kpis@15m@*');
    expect(kpiRoomOf('1h', 'web')).toBe('kpis@1h@web');
    expect(new Set([kpiRoomOf('1h', 'web'), kpiRoomOf('1h', null), kpiRoomOf('5m', 'web')]).size).toBe(3);
  });

  it('reads a room once per flush and sends one delta for all its clients, each room with its own filters', async () => {
    const all = harness.open('15m', null);
    // Two more clients of the same room, one of another.
    expect(harness.open('15m', null)).toBe(all);
    expect(harness.open('15m', null)).toBe(all);
    const web = harness.open('1h', 'web');
    expect(harness.sut.size).toBe(2);

    for (let batch = 0; batch < 20; batch++) harness.apply();
    await jest.advanceTimersByTimeAsync(READ_LATENCY_MS + 1);

    expect(harness.reads).toEqual([
      { window: '15m', source: null, at: 1_000_000 },
      { window: '1h', source: 'web', at: 1_000_000 },
    ]);
    expect(harness.sent.map((entry) => [entry.room, entry.delta.previousVersion, entry.delta.version])).toEqual([
      [all, 0, 20],
      [web, 0, 20],
    ]);
    expect(harness.sent[1].delta.kpis).toMatchObject({ window: '1h', source: 'web', orders: 20, revenue: '50.00' });
  });

  it('reads only rooms that still have subscribers and forgets the others', async () => {
    const room = harness.open('5m', null);
    harness.subscribed.delete(room);

    harness.apply();
    await jest.advanceTimersByTimeAsync(3 * KPI_REFRESH_MS);

    expect(harness.reads).toHaveLength(0);
    expect(harness.sent).toHaveLength(0);
    expect(harness.sut.size).toBe(0);
  });

  it('reads again as time passes without notices, sending only what changed', async () => {
    harness.open('15m', null);
    await jest.advanceTimersByTimeAsync(KPI_REFRESH_MS - 1);
    expect(harness.reads).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(1 + READ_LATENCY_MS);
    expect(harness.reads).toHaveLength(1);
    const sentBefore = harness.sent.length;
    await jest.advanceTimersByTimeAsync(2 * KPI_REFRESH_MS);
    expect(harness.reads).toHaveLength(3);
    expect(harness.sent).toHaveLength(sentBefore);

    // A batch the change feed never reported is found by the next timed read.
    harness.version += 1;
    harness.orders += 4;
    await jest.advanceTimersByTimeAsync(KPI_REFRESH_MS);
    expect(harness.sent.at(-1)!.delta).toMatchObject({ version: 1, kpis: { orders: 4 } });
  });

  it('sends a change to a quiet room at once and merges a burst into at most 4 deltas in any second', async () => {
    harness.open('15m', null);
    // Quiet: the last (timed) read was more than an interval ago.
    await jest.advanceTimersByTimeAsync(2 * KPI_REFRESH_MS + 300);
    const quietSince = harness.sent.length;

    harness.apply();
    await jest.advanceTimersByTimeAsync(READ_LATENCY_MS);
    expect(harness.sent).toHaveLength(quietSince + 1);

    for (let tick = 0; tick < 300; tick++) {
      harness.apply(2);
      await jest.advanceTimersByTimeAsync(10);
    }
    await jest.advanceTimersByTimeAsync(1_000);

    const times = harness.sent.slice(quietSince).map((entry) => entry.at);
    for (const start of times)
      expect(times.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(4);
    // 301 batches in 3 s became about 4 deltas a second, the last holding everything.
    expect(times.length).toBeGreaterThanOrEqual(10);
    expect(times.length).toBeLessThanOrEqual(14);
    expect(harness.sent.at(-1)!.delta).toMatchObject({ version: harness.version, kpis: { orders: 601 } });
    const versions = harness.sent.slice(quietSince).map((entry) => [entry.delta.previousVersion, entry.delta.version]);
    for (let index = 1; index < versions.length; index++) expect(versions[index][0]).toBe(versions[index - 1][1]);
  });

  it('restarts every room on reset, dropping the read under way, and names the rooms to resync', async () => {
    const room = harness.open('1m', 'store');
    harness.apply();
    await jest.advanceTimersByTimeAsync(READ_LATENCY_MS);
    harness.apply();
    await jest.advanceTimersByTimeAsync(300);
    harness.apply();
    // The read of version 3 starts 250 ms after the previous delta and is under way here.
    await jest.advanceTimersByTimeAsync(230);
    expect(harness.reads.at(-1)).toMatchObject({ at: 1_000_540 });

    harness.version = 1;
    expect(harness.sut.reset(1)).toEqual([room]);
    await jest.advanceTimersByTimeAsync(1_000);

    const afterReset = harness.sent.filter((entry) => entry.delta.previousVersion === 1 && entry.delta.version === 1);
    expect(afterReset).toHaveLength(1);
    expect(harness.sent.every((entry) => entry.delta.version !== 3)).toBe(true);
  });

  it('reports a failed read and tries again later', async () => {
    harness.open('24h', null);
    harness.failures = 1;
    harness.apply();
    await jest.advanceTimersByTimeAsync(READ_LATENCY_MS);
    expect(harness.sent).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(KPI_REFRESH_MS + READ_LATENCY_MS);

    expect(harness.reads).toHaveLength(2);
    expect(harness.sent.map((entry) => entry.delta.version)).toEqual([1]);
  });
});
