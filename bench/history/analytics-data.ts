import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { RedisKeys, STOCK_INDEX_SEPARATOR } from '@stockwall/contracts';
import { BENCH_LOCATIONS } from './bench-traffic';

/** Distinct customers of the generated orders (about 10 orders each over 5,000,000 events). */
export const BENCH_CUSTOMERS = 250_000;
export const BENCH_SUPPLIERS = 40;

const quoted = (names: readonly string[]) => names.map((name) => `'${name}'`).join(', ');

/**
 * What the analytics read besides the sales: every SKU at every location defined by a
 * `product_added` just before the data starts and restocked weekly by one of 40 suppliers (events
 * and their lines, in the catalog stream so the sales count stays the requested one), the current
 * `stock_levels` of each, all in SQL. `days` and `skus` are the sales data's.
 */
export async function loadCatalog(dataSource: DataSource, skus: number, days: number): Promise<void> {
  const sku = `CONCAT('SKU-', LPAD(skus.seq, 5, '0'))`;
  const location = `ELT(1 + locations.seq, ${quoted(BENCH_LOCATIONS)})`;
  const [{ maxId }] = await dataSource.query<{ maxId: string | null }[]>(
    'SELECT MAX(id) AS maxId FROM inventory_events',
  );
  // Tick 0: the definition, one hour before the data; ticks 1…: a restock every 7 days.
  await dataSource.query(
    `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
       occurred_at, location, source, sku, order_id, payload)
     SELECT CONCAT('cat-', ticks.seq, '-', locations.seq, '-', skus.seq),
       IF(ticks.seq = 0, 'product_added', 'restock_received'), 'bench-catalog', 'shardId-000000000001',
       (ticks.seq * 100000 + locations.seq * 10000 + skus.seq), 0,
       IF(ticks.seq = 0, '2024-12-31 23:00:00', TIMESTAMPADD(DAY, 7 * ticks.seq - 3, '2025-01-01 00:00:00')),
       ${location}, 'erp', ${sku}, NULL,
       IF(ticks.seq = 0,
         JSON_OBJECT('sku', ${sku}, 'name', CONCAT('Product ', skus.seq), 'unitCostCents', 110, 'unitPriceCents', 250),
         JSON_OBJECT('sku', ${sku}, 'quantity', 50, 'unitCostCents', 100 + ticks.seq * 5,
           'supplierId', CONCAT('SUP-', LPAD(1 + skus.seq % ${BENCH_SUPPLIERS}, 3, '0'))))
     FROM seq_0_to_${Math.floor(days / 7)} ticks, seq_1_to_${skus} skus,
       seq_0_to_${BENCH_LOCATIONS.length - 1} locations`,
  );
  await dataSource.query(
    `INSERT INTO inventory_event_lines (event_id, line_no, event_type, occurred_at, minute_at, source, location, sku,
       orders, units, revenue_cents, shipped, cogs_cents, on_hand_after, committed_after)
     SELECT event_id, 0, event_type, occurred_at, DATE_FORMAT(occurred_at, '%Y-%m-%d %H:%i:00'), source, location, sku,
       0, 0, 0, 0, 0, IF(event_type = 'product_added', 100, 150), 5
     FROM inventory_events WHERE id > ?`,
    [maxId ?? 0],
  );
  // Today's stock: a spread of on-hand figures, a tenth of the SKUs out of stock.
  await dataSource.query(
    `INSERT INTO stock_levels (sku, location, name, on_hand, committed, unit_cost_cents, unit_price_cents,
       reorder_point, active, last_event_at, live_version)
     SELECT ${sku}, ${location}, CONCAT('Product ', skus.seq), IF(skus.seq % 10 = 0, 0, (skus.seq * 37) % 600), 5,
       110, 250, NULL, 1, '2025-02-01 00:00:00', 1
     FROM seq_1_to_${skus} skus, seq_0_to_${BENCH_LOCATIONS.length - 1} locations`,
  );
}

/**
 * The live forecast inputs the replenishment report reads from Redis: each SKU's stock hash (on
 * hand, committed, active, name, decayed sell rate and its time, demand days, computed reorder
 * point, lead time), the stock index and the watermark, as the apply script keeps them.
 */
export async function loadForecasts(redis: Redis, prefix: string, skus: number, watermark: number): Promise<void> {
  const keys = new RedisKeys(prefix);
  for (let first = 1; first <= skus; first += 500) {
    const pipeline = redis.pipeline();
    for (let index = first; index < Math.min(skus + 1, first + 500); index++) {
      const sku = `SKU-${String(index).padStart(5, '0')}`;
      BENCH_LOCATIONS.forEach((location, place) => {
        const onHand = index % 10 === 0 ? 0 : (index * 37 + place * 11) % 600;
        pipeline.hset(keys.stock(location, sku), {
          on: onHand,
          cm: 5,
          ac: 1,
          nm: `Product ${index}`,
          sr: ((index % 17) + 1) / 4,
          st: watermark,
          dn: 30,
          rp: '',
          rc: 40 + (index % 60),
          lt: 3 + (index % 5),
        });
        pipeline.zadd(keys.stockIndex(), 0, `${sku}${STOCK_INDEX_SEPARATOR}${location}`);
      });
    }
    await pipeline.exec();
  }
  await redis.set(keys.watermark(), String(watermark));
}

/** Removes what loadForecasts wrote. */
export async function dropForecasts(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    if (found.length > 0) await redis.unlink(...found);
    cursor = next;
  } while (cursor !== '0');
}
