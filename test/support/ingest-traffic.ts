import type { WireEvent } from '@stockwall/contracts';
import { aProductAdded, aQuantityChange } from '../factories/wire-events';
import type { IngestCluster } from './ingest-cluster';
import { eventually } from './test-stack';

const TIMESTAMP = '2024-05-01T10:00:00Z';

/** A deterministic stream of stock events for many SKUs, with the exact on-hand it must end in. */
export class IngestTraffic {
  readonly expected = new Map<string, number>();
  readonly uniqueIds = new Set<string>();
  private readonly sent: WireEvent[] = [];
  private seed: number;
  private counter = 0;

  constructor(
    readonly prefix: string,
    readonly skuCount: number,
    seed = 42,
  ) {
    this.seed = seed;
  }

  get skus(): string[] {
    return Array.from({ length: this.skuCount }, (_, index) => `${this.prefix}-${index}`);
  }

  /** One product_added per SKU: must go out before any change to it. */
  opening(): WireEvent[] {
    return this.skus.map((sku) => {
      this.expected.set(sku, 1_000);
      return this.record(aProductAdded({ id: `${sku}-open`, sku, name: sku, quantity: 1_000, at: TIMESTAMP }));
    });
  }

  /** `count` quantity changes on random SKUs, with about `duplicateShare` producer retries of earlier events mixed in. */
  next(count: number, duplicateShare = 0): WireEvent[] {
    const events: WireEvent[] = [];
    for (let index = 0; index < count; index++) {
      if (duplicateShare > 0 && this.sent.length > 0 && this.random() < duplicateShare) {
        // A producer retry: the same event (same event_id) sent again under a new sequence number.
        events.push(this.sent[Math.floor(this.random() * this.sent.length)]);
        continue;
      }
      const sku = this.skus[Math.floor(this.random() * this.skuCount)];
      const delta = Math.floor(this.random() * 21) - 10;
      this.expected.set(sku, (this.expected.get(sku) ?? 0) + delta);
      events.push(this.record(aQuantityChange({ id: `${this.prefix}-e${this.counter++}`, sku, delta, at: TIMESTAMP })));
    }
    return events;
  }

  expectedOnHand(): Record<string, number> {
    return Object.fromEntries(this.expected);
  }

  private record(event: WireEvent): WireEvent {
    this.sent.push(event);
    this.uniqueIds.add(event.event_id!);
    return event;
  }

  private random(): number {
    // mulberry32: reproducible traffic for a given seed.
    let value = (this.seed = (this.seed + 0x6d2b79f5) | 0);
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }
}

/** Waits until the cluster's Redis holds the on-hand the traffic implies; a failure names the SKUs that are off. */
export async function onHandInRedis(
  cluster: IngestCluster,
  traffic: IngestTraffic,
  timeoutMs: number,
): Promise<Record<string, number | null>> {
  const expected = traffic.expectedOnHand();
  return eventually(
    async () => {
      const onHand = await cluster.onHand(traffic.skus);
      return JSON.stringify(onHand) === JSON.stringify(expected) ? onHand : undefined;
    },
    timeoutMs,
    'the exact expected on-hand in Redis',
  ).catch(async (error: Error) => {
    const onHand = await cluster.onHand(traffic.skus);
    const off = traffic.skus
      .filter((sku) => onHand[sku] !== expected[sku])
      .map((sku) => [sku, onHand[sku], expected[sku]]);
    throw new Error(`${error.message}; off: ${JSON.stringify(off)}`);
  });
}
