import type { StockAlert, StockDelta, StockRow, WireEvent } from '@stockwall/contracts';
import { aFulfilment, anOrder, aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

/**
 * Stock rows carry the reorder point in force — the explicit one, else the one computed from
 * demand and lead time — the same one the low-stock alert and the below-reorder-point total use.
 * With a default lead time of 10 days and 2 days of history needed, 10 units sold on each of
 * three days give a computed reorder point of ceil(10 × 10 + z × 0 × √10) = 100.
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1);
const iso = (time: number) => new Date(time).toISOString();

function added(sku: string, quantity: number, reorderPoint?: number): WireEvent {
  return aProductAdded({
    id: `${sku}-added`,
    sku,
    name: `Reorder ${sku}`,
    quantity,
    at: iso(T0),
    unitCost: '2.00',
    reorderPoint,
  });
}

function soldOnDays(sku: string, units: number, days: number): WireEvent[] {
  return Array.from({ length: days }, (_, day) => {
    const order = {
      occurredAt: iso(T0 + day * DAY + 10 * 3_600_000),
      orderId: `${sku}-O${day}`,
      lines: [{ sku, quantity: units, unit_price: '5.00' }],
    };
    return [anOrder({ id: `${sku}-O${day}-p`, ...order }), aFulfilment({ id: `${sku}-O${day}-f`, ...order })];
  }).flat();
}

describe('Stock rows: the reorder point in force and its source', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      shards: 1,
      env: { DEFAULT_LEAD_TIME_DAYS: '10', FORECAST_MIN_HISTORY_DAYS: '2' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists, shows and streams the computed reorder point the low-stock alert used', async () => {
    const socket = await stack.connectLive();
    const subscribed = await socket.emitWithAck('subscribe', { channels: ['stock', 'alerts'] });
    expect(subscribed.ok).toBe(true);
    const alerts: StockAlert[] = [];
    socket.on('alert', (message) => alerts.push(message.alert));

    await stack.publish(added('RC-1', 130), added('RC-2', 50, 5), added('RC-3', 40));
    await stack.publish(...soldOnDays('RC-1', 10, 3), ...soldOnDays('RC-2', 10, 3));

    const below = await eventually(
      async () => {
        const response = await stack.get('/api/v1/stock?belowReorderPoint=true');
        const rows = response.body.rows as StockRow[];
        return rows.length > 0 && rows.every((row) => row.available === 100) ? rows : undefined;
      },
      30_000,
      'RC-1 below its computed reorder point',
    );
    expect(below).toEqual([
      expect.objectContaining({
        sku: 'RC-1',
        available: 100,
        reorderPoint: 100,
        reorderPointSource: 'computed',
        belowReorderPoint: true,
      }),
    ]);
    const lowStock = await eventually(async () => alerts.find((alert) => alert.kind === 'low_stock'));
    expect(lowStock).toMatchObject({ sku: 'RC-1', available: 100, reorderPoint: 100 });
    expect(alerts.filter((alert) => alert.kind === 'low_stock')).toHaveLength(1);

    // The explicit point wins over the computed one; without history there is neither.
    const rc2 = (await eventually(async () => {
      const response = await stack.get('/api/v1/stock/RC-2');
      return response.body.locations?.[0]?.available === 20 ? response.body.locations[0] : undefined;
    })) as StockRow;
    expect(rc2).toMatchObject({ reorderPoint: 5, reorderPointSource: 'explicit', belowReorderPoint: false });
    expect((await stack.get('/api/v1/stock/RC-3')).body.locations[0]).toMatchObject({
      reorderPoint: null,
      reorderPointSource: null,
      belowReorderPoint: false,
    });

    // The total counts the same SKUs the filter lists.
    const kpis = await stack.get('/api/v1/kpis/live');
    expect(kpis.body.stock.overall.skusBelowReorderPoint).toBe(1);

    // A fresh snapshot and the next delta carry the computed point too.
    const snapshot = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    expect(snapshot.snapshot.stock.find((row) => row.sku === 'RC-1')).toMatchObject({
      reorderPoint: 100,
      reorderPointSource: 'computed',
      belowReorderPoint: true,
    });
    const deltas: StockDelta[] = [];
    socket.on('stock.delta', (delta) => deltas.push(delta));
    await stack.publish(aQuantityChange({ id: 'RC-1-found', sku: 'RC-1', delta: 1, at: iso(T0 + 3 * DAY) }));
    const streamed = await eventually(async () =>
      deltas.flatMap((delta) => delta.rows).find((row) => row.sku === 'RC-1' && row.available === 101),
    );
    expect(streamed).toMatchObject({ reorderPoint: 100, reorderPointSource: 'computed', belowReorderPoint: false });
    expect((await stack.get('/api/v1/stock?belowReorderPoint=true')).body.rows).toEqual([]);
    socket.disconnect();
  });
});
