import { scoreCustomers, segmentOf, summariseSegments } from './customer-segments';

const DAY = 86_400_000;
const order = (customerHash: string, day: number, revenueCents: number) => ({
  customerHash,
  at: day * DAY,
  revenueCents,
});

describe(scoreCustomers.name, () => {
  it('scores by rank, equal values sharing a score, and measures recency in whole days', () => {
    const sut = scoreCustomers(
      [
        order('a', 1, 100),
        order('b', 2, 100),
        order('c', 3, 500),
        order('c', 9, 500),
        order('d', 9, 50),
        order('e', 10, 10_000),
      ],
      11 * DAY,
    );
    const byCustomer = Object.fromEntries(sut.map((score) => [score.customerHash, score]));
    // Last orders 1, 2, 9, 9, 10: c and d share the recency score 1 + floor(5 × 2 / 5) = 3.
    expect(sut.map((score) => [score.customerHash, score.recency, score.frequency, score.monetary])).toEqual([
      ['a', 1, 1, 2],
      ['b', 2, 1, 2],
      ['c', 3, 5, 4],
      ['d', 3, 1, 1],
      ['e', 5, 1, 5],
    ]);
    expect(byCustomer.c).toMatchObject({ orders: 2, revenueCents: 1_000, recencyDays: 2, segment: 'loyal' });
  });
});

describe(segmentOf.name, () => {
  it('names every corner of the score space', () => {
    expect(segmentOf(5, 5, 1)).toBe('champions');
    expect(segmentOf(3, 4, 1)).toBe('loyal');
    expect(segmentOf(2, 5, 5)).toBe('at-risk');
    expect(segmentOf(3, 1, 5)).toBe('big-spenders');
    expect(segmentOf(5, 1, 1)).toBe('promising');
    expect(segmentOf(1, 1, 1)).toBe('hibernating');
    expect(segmentOf(3, 2, 2)).toBe('needs-attention');
  });
});

describe(summariseSegments.name, () => {
  it('lists every segment with shares, and the high-value group', () => {
    const sut = summariseSegments(scoreCustomers([order('a', 1, 100), order('b', 2, 300)], 3 * DAY));
    expect(sut.segments).toHaveLength(7);
    expect(sut.highValue).toEqual({ customers: 0, customerShare: 0, revenueCents: 0, revenueShare: 0 });
    expect(sut.segments.find((segment) => segment.segment === 'hibernating')).toEqual({
      segment: 'hibernating',
      customers: 1,
      customerShare: 0.5,
      revenueCents: 100,
      revenueShare: 0.25,
    });
  });
});
