import { describe, expect, it } from '@jest/globals';
import { buildKpisDelta, buildLiveKpis } from '../testing/live-kpis.factory';
import { acceptKpisDelta, kpisFromAck, type HeldKpis } from './kpi-state';

function held(version: number, overrides: Parameters<typeof buildLiveKpis>[0] = {}): HeldKpis {
  const kpis = buildLiveKpis(overrides);
  return { version, watermark: kpis.watermark, kpis, receivedAt: 1_000 };
}

describe(acceptKpisDelta.name, () => {
  it('replaces what is held with a delta of the same or a later version', () => {
    const sut = acceptKpisDelta;
    const later = buildKpisDelta(12, { orders: 4, watermark: '2024-06-01T08:16:00.000Z' });

    expect(sut(held(10), later, 2_000)).toEqual({
      version: 12,
      watermark: '2024-06-01T08:16:00.000Z',
      kpis: later.kpis,
      receivedAt: 2_000,
    });
    expect(sut(held(12), buildKpisDelta(12, { orders: 5 }), 2_000)?.kpis.orders).toBe(5);
  });

  it('ignores an older delta, read before the snapshot and delivered after it', () => {
    const current = held(10);

    expect(acceptKpisDelta(current, buildKpisDelta(9, { orders: 1 }), 2_000)).toBe(current);
  });

  it('ignores a delta of another window or source (the previous room, before a new subscribe was answered)', () => {
    const current = held(10, { window: '1h', source: 'web' });

    expect(acceptKpisDelta(current, buildKpisDelta(11, { window: '15m', source: 'web' }), 2_000)).toBe(current);
    expect(acceptKpisDelta(current, buildKpisDelta(11, { window: '1h', source: null }), 2_000)).toBe(current);
    expect(acceptKpisDelta(current, buildKpisDelta(11, { window: '1h', source: 'web' }), 2_000)).not.toBe(current);
  });

  it('holds nothing before a snapshot', () => {
    expect(acceptKpisDelta(null, buildKpisDelta(3), 2_000)).toBeNull();
  });
});

describe(kpisFromAck.name, () => {
  it('takes the KPI snapshot with its own version', () => {
    const kpis = buildLiveKpis();
    const ack = {
      ok: true as const,
      version: 40,
      watermark: null,
      serverTime: '2024-06-01T08:15:01.000Z',
      snapshot: { stock: [], kpis: { version: 38, watermark: kpis.watermark, kpis } },
    };

    expect(kpisFromAck(ack, 5)).toEqual({ version: 38, watermark: kpis.watermark, kpis, receivedAt: 5 });
    expect(kpisFromAck({ ...ack, snapshot: { stock: [] } }, 5)).toBeNull();
  });
});
