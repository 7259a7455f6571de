import { describe, expect, it } from '@jest/globals';
import { buildStockAlert } from '../testing/live-kpis.factory';
import { addAlert, ALERT_FEED_LIMIT, mergeAlerts } from './alert-feed';

const at = (minute: number) => new Date(Date.UTC(2024, 5, 1, 8, minute)).toISOString();

describe(addAlert.name, () => {
  it('puts the newest event first, whatever the arrival order', () => {
    let sut = addAlert([], buildStockAlert({ id: 'a', occurredAt: at(5) }), 1);
    sut = addAlert(sut, buildStockAlert({ id: 'b', occurredAt: at(7) }), 2);
    sut = addAlert(sut, buildStockAlert({ id: 'c', occurredAt: at(6) }), 3);
    sut = addAlert(sut, buildStockAlert({ id: 'd', occurredAt: at(1) }), 4);

    expect(sut.map((alert) => alert.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(sut[1].receivedAt).toBe(3);
  });

  it('puts the one received last first among alerts of the same time', () => {
    let sut = addAlert([], buildStockAlert({ id: 'low', kind: 'low_stock', occurredAt: at(5) }), 1);
    sut = addAlert(sut, buildStockAlert({ id: 'out', kind: 'out_of_stock', occurredAt: at(5) }), 2);

    expect(sut.map((alert) => alert.id)).toEqual(['out', 'low']);
  });

  it('does not add an alert it already holds', () => {
    const once = addAlert([], buildStockAlert({ id: 'a' }), 1);

    expect(addAlert(once, buildStockAlert({ id: 'a' }), 2)).toBe(once);
  });

  it('keeps at most the limit, dropping the oldest', () => {
    let sut = addAlert([], buildStockAlert({ id: 'first', occurredAt: at(0) }), 0);
    for (let index = 1; index <= ALERT_FEED_LIMIT; index++) {
      sut = addAlert(sut, buildStockAlert({ id: `n${index}`, occurredAt: at(index) }), index);
    }

    expect(sut).toHaveLength(ALERT_FEED_LIMIT);
    expect(sut[0].id).toBe(`n${ALERT_FEED_LIMIT}`);
    expect(sut.some((alert) => alert.id === 'first')).toBe(false);
    expect(addAlert(sut, buildStockAlert({ id: 'old', occurredAt: at(0) }), 99)).toHaveLength(ALERT_FEED_LIMIT);
  });
});

describe(mergeAlerts.name, () => {
  it('adds the alerts raised while away and keeps one of each id', () => {
    let held = addAlert([], buildStockAlert({ id: 'z', occurredAt: at(0) }), 0);
    held = addAlert(held, buildStockAlert({ id: 'a', occurredAt: at(2) }), 1);
    held = addAlert(held, buildStockAlert({ id: 'b', occurredAt: at(4) }), 1);
    const snapshot = [
      buildStockAlert({ id: 'd', occurredAt: at(9) }),
      buildStockAlert({ id: 'c', occurredAt: at(7) }),
      buildStockAlert({ id: 'b', occurredAt: at(4) }),
      buildStockAlert({ id: 'a', occurredAt: at(2) }),
    ];

    const sut = mergeAlerts(held, snapshot, 50);

    expect(sut.map((alert) => alert.id)).toEqual(['d', 'c', 'b', 'a', 'z']);
    expect(sut.find((alert) => alert.id === 'b')?.receivedAt).toBe(1);
    expect(sut.find((alert) => alert.id === 'd')?.receivedAt).toBe(50);
  });

  it('keeps the server order of alerts with the same event time', () => {
    const sut = mergeAlerts(
      [],
      [
        buildStockAlert({ id: 'out', kind: 'out_of_stock', occurredAt: at(5) }),
        buildStockAlert({ id: 'low', kind: 'low_stock', occurredAt: at(5) }),
      ],
      1,
    );

    expect(sut.map((alert) => alert.id)).toEqual(['out', 'low']);
  });

  it('returns the feed itself when the snapshot brings nothing new, and stays within the limit', () => {
    const held = addAlert([], buildStockAlert({ id: 'a' }), 1);
    expect(mergeAlerts(held, [buildStockAlert({ id: 'a' })], 2)).toBe(held);
    expect(mergeAlerts(held, [], 2)).toBe(held);

    const many = Array.from({ length: ALERT_FEED_LIMIT + 5 }, (_unused, index) =>
      buildStockAlert({ id: `n${index}`, occurredAt: at(ALERT_FEED_LIMIT + 5 - index) }),
    );
    const sut = mergeAlerts(held, many, 3);
    expect(sut).toHaveLength(ALERT_FEED_LIMIT);
    expect(sut[0].id).toBe('n0');
  });
});
