import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  AggregationSettings,
  AlertState,
  ARMED,
  computedReorderPoint,
  DemandState,
  EMPTY_DEMAND,
  evaluateAlerts,
  foldStock,
  LiveStateRepository,
  parseEncodedAlerts,
  recordDemand,
} from '@stockwall/aggregation';
import { InventoryEvent, RedisKeys } from '@stockwall/contracts';
import { seededRandom } from './support/seeded-random';

/**
 * The live rules run in the Lua apply; their TypeScript twins (alert-rules.ts evaluateAlerts,
 * forecast.ts recordDemand and computedReorderPoint) rebuild the live state from MySQL
 * (`rebuild-live`). This runs seeded random batches through the Lua apply on the real Redis and,
 * after every batch, requires the TypeScript rules fed the same inputs to give the same demand
 * statistics, computed reorder point, alert state and alerts — so the two cannot drift apart.
 */
const STREAM = 'rules-differential';
const SHARD = 'shardId-000000000000';
const OWNER = 'worker-rules';
const SKUS = ['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6'];
const BATCHES = 120;
const SETTINGS: AggregationSettings = {
  allowedLatenessMs: 365 * 86_400_000,
  sellRateDecayMs: 6 * 3_600_000,
  safetyStockZ: 1.65,
  defaultLeadTimeDays: 2,
  minHistoryDays: 2,
};

interface SkuModel {
  demand: DemandState;
  alerts: AlertState;
}

describe('live rules: the Lua apply and the TypeScript rules agree', () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    prefix = `test:rules-${randomBytes(4).toString('hex')}:`;
  });

  afterAll(async () => {
    const found = await redis.keys(`${prefix}*`);
    if (found.length > 0) await redis.del(...found);
    await redis.quit();
  });

  it.each([7, 11, 23])(
    `agrees batch by batch over ${BATCHES} random batches (seed %i)`,
    async (seed) => {
      const keys = new RedisKeys(`${prefix}${seed}:`);
      const live = new LiveStateRepository(redis, `${prefix}${seed}:`, SETTINGS);
      await redis.hset(keys.lease(STREAM, SHARD), 'owner', OWNER, 'epoch', '1');
      const events = randomEvents(seededRandom(seed));
      const models = new Map<string, SkuModel>(SKUS.map((sku) => [sku, { demand: EMPTY_DEMAND, alerts: ARMED }]));
      let sequence = 0;
      let alertsSeen = 0;
      let reorderPointsComputed = 0;
      const kinds = new Set<string>();

      for (const batch of events) {
        const folded = foldStock(batch);
        const after = sequence === 0 ? null : { sequenceNumber: String(sequence), subSequence: 0 };
        sequence += batch.length;
        const outcome = await live.applyBatch({
          streamName: STREAM,
          shardId: SHARD,
          lease: { owner: OWNER, epoch: 1 },
          after,
          last: { sequenceNumber: String(sequence), subSequence: 0 },
          shardEnd: false,
          changes: folded.changes,
          maxEventTime: folded.maxEventTime,
          sales: folded.sales,
          deadLetters: [],
        });
        expect(outcome.status).toBe('applied');
        const [[, fields]] = (await redis.xrevrange(keys.changes(), '+', '-', 'COUNT', 1)) as [string, string[]][];
        const luaAlerts = parseEncodedAlerts(fields[fields.indexOf('alerts') + 1]);

        for (const change of folded.changes) {
          const model = models.get(change.sku) as SkuModel;
          for (const [minute, units] of Object.entries(change.demand).sort(([a], [b]) => Number(a) - Number(b))) {
            model.demand = recordDemand(model.demand, Number(minute), units, SETTINGS.sellRateDecayMs);
          }
          const computed = computedReorderPoint(model.demand, SETTINGS.defaultLeadTimeDays, {
            safetyZ: SETTINGS.safetyStockZ,
            minHistoryDays: SETTINGS.minHistoryDays,
          });
          const stored = await redis.hgetall(keys.stock(change.location, change.sku));
          const where = `seed ${seed}, ${change.sku} after sequence ${sequence}`;
          // Demand statistics and the computed reorder point.
          if (model.demand.rateAt !== null) {
            expect({
              where,
              st: stored.st,
              dd: stored.dd,
              dq: stored.dq,
              dn: stored.dn,
              ds: stored.ds,
              d2: stored.d2,
            }).toEqual({
              where,
              st: String(model.demand.rateAt),
              dd: String(model.demand.day),
              dq: String(model.demand.dayUnits),
              dn: String(model.demand.days),
              ds: String(model.demand.sum),
              d2: String(model.demand.sumOfSquares),
            });
            expect(Math.abs(Number(stored.sr) - model.demand.rate)).toBeLessThanOrEqual(1e-9 * model.demand.rate);
          }
          expect({ where, rc: stored.rc ?? null }).toEqual({ where, rc: computed === null ? null : String(computed) });
          if (computed !== null) reorderPointsComputed++;
          // Alerts, from the same figures the apply stored.
          const explicit = stored.rp === undefined || stored.rp === '' ? null : Number(stored.rp);
          const evaluated = evaluateAlerts(model.alerts, {
            available: Number(stored.on) - Number(stored.cm ?? 0),
            reorderPoint: explicit ?? computed,
            active: stored.ac !== '0',
            at: change.lastEventAt,
          });
          model.alerts = evaluated.state;
          const fromLua = luaAlerts.filter((alert) => alert.sku === change.sku);
          expect({ where, alerts: fromLua.map((alert) => [alert.kind, alert.stockoutMs]) }).toEqual({
            where,
            alerts: evaluated.crossings.map((crossing) => [crossing.kind, crossing.stockoutMs]),
          });
          expect({ where, la: stored.la, os: stored.os }).toEqual({
            where,
            la: evaluated.state.lowStockRaised ? '1' : '0',
            os: evaluated.state.outOfStockSince === null ? '' : String(evaluated.state.outOfStockSince),
          });
          alertsSeen += fromLua.length;
          for (const alert of fromLua) kinds.add(alert.kind);
        }
      }
      // The run reaches every rule: alerts of each kind and computed reorder points.
      expect(alertsSeen).toBeGreaterThan(20);
      expect([...kinds].sort()).toEqual(['back_in_stock', 'low_stock', 'out_of_stock']);
      expect(reorderPointsComputed).toBeGreaterThan(100);
    },
    180_000,
  );
});

/** BATCHES batches of 1–8 events over a few weeks: every SKU added first, then sales, counts and restocks. */
function randomEvents(random: () => number): InventoryEvent[][] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  let time = Date.parse('2024-03-01T08:00:00Z');
  let id = 0;
  const meta = () => {
    time += between(0, 40) * 60_000;
    return { eventId: `rules-${++id}`, occurredAt: time, location: 'main', source: pick(['web', 'store']) };
  };
  const batches: InventoryEvent[][] = [
    SKUS.map((sku, index) => ({
      ...meta(),
      type: 'product_added',
      sku,
      name: sku,
      quantity: between(10, 40),
      unitCostCents: 250,
      unitPriceCents: 499,
      ...(index % 2 === 0 ? { reorderPoint: between(3, 12) } : {}),
    })),
  ];
  const open: { orderId: string; lines: { sku: string; quantity: number; unitPriceCents: number }[] }[] = [];
  for (let index = 1; index < BATCHES; index++) {
    const batch: InventoryEvent[] = [];
    for (let count = between(1, 8); count > 0; count--) {
      const sku = pick(SKUS);
      const roll = random();
      if (roll < 0.4) {
        // Placed orders commit stock; most are fulfilled (shipped: demand) a few batches later.
        const order = { orderId: `o-${id}`, lines: [{ sku, quantity: between(1, 6), unitPriceCents: 499 }] };
        batch.push({ ...meta(), type: 'order_placed', ...order });
        open.push(order);
      } else if (roll < 0.74 && open.length > 0) {
        const order = open.splice(Math.floor(random() * open.length), 1)[0];
        batch.push({ ...meta(), type: random() < 0.9 ? 'order_fulfilled' : 'order_cancelled', ...order });
      } else if (roll < 0.82) {
        batch.push({ ...meta(), type: 'restock_received', sku, quantity: between(5, 30), unitCostCents: 260 });
      } else if (roll < 0.88) {
        batch.push({ ...meta(), type: 'quantity_changed', sku, delta: between(-8, 8) });
      } else if (roll < 0.93) {
        batch.push({ ...meta(), type: 'stock_adjusted', sku, quantity: between(0, 25), reason: 'count' });
      } else if (roll < 0.97) {
        batch.push({ ...meta(), type: 'reorder_point_set', sku, reorderPoint: between(0, 15) });
      } else {
        batch.push({ ...meta(), type: 'product_removed', sku, quantity: between(1, 3) });
      }
    }
    // Now and then a quiet day, so completed days without sales count as zeros.
    if (random() < 0.1) time += 86_400_000;
    batches.push(batch);
  }
  return batches;
}
