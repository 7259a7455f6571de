import { decodeEventRecord } from '@stockwall/ingest';
import { applyStockOps, EMPTY_STOCK, foldStock, StockState } from '@stockwall/aggregation';
import type { InventoryEvent } from '@stockwall/contracts';
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
});
