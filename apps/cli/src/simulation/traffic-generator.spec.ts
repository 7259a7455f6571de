import { decodeEventRecord } from '@stockwall/ingest';
import { applyStockOps, EMPTY_STOCK, foldStock, StockState } from '@stockwall/aggregation';
import type { InventoryEvent, WireEvent } from '@stockwall/contracts';
import { SIMULATED_SUPPLIERS, TrafficGenerator } from './traffic-generator';
import { seededRandom } from '../../../../test/support/seeded-random';

describe(TrafficGenerator.name, () => {
  it('produces only valid events, and never drives available stock below zero', () => {
    const sut = new TrafficGenerator({
      skus: 12,
      locations: ['main', 'north'],
      sources: ['web'],
      random: seededRandom(7),
    });
    const events: InventoryEvent[] = [];
    for (let index = 0; index < 5_000; index++) {
      const bytes = new TextEncoder().encode(JSON.stringify(sut.next()));
      const decoded = decodeEventRecord(
        bytes,
        { shardId: 's', position: { sequenceNumber: String(index + 1), subSequence: 0 }, arrivalTime: 0 },
        { maxEventBytes: 65_536 },
      );
      if (!decoded.ok) throw new Error(`${decoded.reason}: ${decoded.detail}`);
      events.push(decoded.event);
    }
    const states = new Map<string, StockState>();
    for (const event of events) {
      for (const change of foldStock([event]).changes) {
        const key = `${change.location}/${change.sku}`;
        const next = applyStockOps(states.get(key) ?? EMPTY_STOCK, change.ops, change.lastEventAt);
        states.set(key, next);
        expect(next.onHand - next.committed).toBeGreaterThanOrEqual(0);
      }
    }
    expect(states.size).toBe(24);
    expect(new Set(events.map((event) => event.type)).size).toBeGreaterThanOrEqual(7);
    // Restocks name the purchasing sample's vendors, every one of them over a long run.
    const suppliers = events.flatMap((event) => (event.type === 'restock_received' ? [event.supplierId] : []));
    expect(new Set(suppliers)).toEqual(new Set(SIMULATED_SUPPLIERS));
  });

  it.each([1, 2, 3, 4, 5])(
    'at the demo rate (20 events/s, 40 SKUs, 2 locations) a SKU crosses its reorder point within two minutes (seed %i)',
    (seed) => {
      const sut = new TrafficGenerator({
        skus: 40,
        locations: ['main', 'north'],
        sources: ['web', 'app', 'marketplace', 'store-leeds'],
        random: seededRandom(seed),
      });
      const reorderPoints = new Map<string, number>();
      const available = new Map<string, number>();
      const crossedAt: number[] = [];
      const twoMinutes = 20 * 120;
      for (let index = 0; index < twoMinutes; index++) {
        const event: WireEvent = sut.next();
        const location = (event as { location?: string }).location ?? 'main';
        const change = (sku: string, delta: number) => {
          const key = `${location}/${sku}`;
          const before = available.get(key) ?? 0;
          const after = before + delta;
          available.set(key, after);
          const reorderPoint = reorderPoints.get(sku)!;
          if (before > reorderPoint && after <= reorderPoint) crossedAt.push(index);
        };
        if (event.event_type === 'product_added') {
          reorderPoints.set(event.product.product_id, event.product.reorder_point!);
          available.set(`${location}/${event.product.product_id}`, event.product.quantity);
        } else if (event.event_type === 'order_placed') {
          for (const line of event.lines) change(line.sku, -line.quantity);
        }
      }
      // Every SKU starts above its reorder point, and orders (not shrinkage) take one below it.
      expect(crossedAt.length).toBeGreaterThan(0);
      expect(crossedAt[0]).toBeLessThan(twoMinutes);
    },
  );
});
