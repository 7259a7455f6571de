import { describe, expect, it } from '@jest/globals';
import { buildStockAlert } from '../testing/live-kpis.factory';
import { addAlert, ALERT_FEED_LIMIT } from './alert-feed';

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
