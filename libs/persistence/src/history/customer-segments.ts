import type { CustomerOrder } from './analytics.repository';

const DAY_MS = 86_400_000;

/** RFM segments, best first. */
export const CUSTOMER_SEGMENTS = [
  'champions',
  'loyal',
  'big-spenders',
  'promising',
  'needs-attention',
  'at-risk',
  'hibernating',
] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

/** One customer's recency, frequency and monetary figures and their 1-5 scores. */
export interface CustomerScore {
  customerHash: string;
  lastOrderAt: number;
  recencyDays: number;
  orders: number;
  revenueCents: number;
  recency: number;
  frequency: number;
  monetary: number;
  segment: CustomerSegment;
}

/**
 * Scores each customer 1-5 on recency (later last order is better), frequency (orders) and monetary
 * (revenue): score = 1 + floor(5 × customers with a strictly worse value / customers), so equal
 * values always share a score and the scores are what `RANK()` gives in SQL. Orders are those of
 * the range; `asOf` is its end.
 */
export function scoreCustomers(orders: readonly CustomerOrder[], asOf: number): CustomerScore[] {
  const byCustomer = new Map<string, { lastOrderAt: number; orders: number; revenueCents: number }>();
  for (const order of orders) {
    const entry = byCustomer.get(order.customerHash);
    if (entry) {
      entry.orders++;
      entry.revenueCents += order.revenueCents;
      entry.lastOrderAt = Math.max(entry.lastOrderAt, order.at);
    } else {
      byCustomer.set(order.customerHash, { lastOrderAt: order.at, orders: 1, revenueCents: order.revenueCents });
    }
  }
  const customers = [...byCustomer].map(([customerHash, figures]) => ({ customerHash, ...figures }));
  const recency = scoresBy(customers.map((customer) => customer.lastOrderAt));
  const frequency = scoresBy(customers.map((customer) => customer.orders));
  const monetary = scoresBy(customers.map((customer) => customer.revenueCents));
  return customers.map((customer, index) => ({
    ...customer,
    recencyDays: Math.floor((asOf - customer.lastOrderAt) / DAY_MS),
    recency: recency[index],
    frequency: frequency[index],
    monetary: monetary[index],
    segment: segmentOf(recency[index], frequency[index], monetary[index]),
  }));
}

/** 1 + floor(5 × (values strictly smaller) / n), for each value. */
function scoresBy(values: readonly number[]): number[] {
  const sorted = [...values].sort((left, right) => left - right);
  return values.map((value) => 1 + Math.floor((5 * lowerBound(sorted, value)) / values.length));
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The named segment of a score triple. */
export function segmentOf(recency: number, frequency: number, monetary: number): CustomerSegment {
  if (recency >= 4 && frequency >= 4) return 'champions';
  if (frequency >= 4) return recency >= 3 ? 'loyal' : 'at-risk';
  if (monetary >= 4) return recency >= 3 ? 'big-spenders' : 'at-risk';
  if (recency >= 4) return 'promising';
  if (recency <= 2) return 'hibernating';
  return 'needs-attention';
}

/** Customers, their share and revenue per segment (every segment listed), and the high-value group (monetary 5). */
export function summariseSegments(scores: readonly CustomerScore[]) {
  const totalRevenue = scores.reduce((sum, score) => sum + score.revenueCents, 0);
  const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : null);
  const group = (members: readonly CustomerScore[]) => {
    const revenueCents = members.reduce((sum, score) => sum + score.revenueCents, 0);
    return {
      customers: members.length,
      customerShare: share(members.length, scores.length),
      revenueCents,
      revenueShare: share(revenueCents, totalRevenue),
    };
  };
  return {
    customers: scores.length,
    revenueCents: totalRevenue,
    segments: CUSTOMER_SEGMENTS.map((segment) => ({
      segment,
      ...group(scores.filter((score) => score.segment === segment)),
    })),
    highValue: group(scores.filter((score) => score.monetary === 5)),
  };
}
