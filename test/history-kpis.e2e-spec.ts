import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { ANALYTICS_CUSTOMERS, analyticsWeek } from './support/analytics-events';
import { ReportsRepository } from '@stockwall/persistence';
import { TestStack } from './support/test-stack';

const rate = (numerator: number, denominator: number) => Math.round((numerator / denominator) * 1e6) / 1e6;
const RANGE = 'from=2024-06-30T00:00:00Z&to=2024-07-03T00:00:00Z';

describe('History KPIs: time zones, week and month, location, stock over time and customers', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { CUSTOMER_HASH_SALT: 'history-kpis-test-salt-0001' } });
    await stack.publish(...analyticsWeek('K'));
    const report = await reconcile(stack.config, 30);
    expect(report.drift).toEqual([]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const day = async (query: string) => {
    const response = await stack.get(`/api/v1/kpis/history?${RANGE}&interval=1d&${query}`);
    expect(response.status).toBe(200);
    return response.body.items as Record<string, any>[];
  };

  it('buckets UTC days with every figure, stock weighted by time', async () => {
    const [, first, second] = await day('tz=UTC');
    expect(first).toMatchObject({
      from: '2024-07-01T00:00:00.000Z',
      to: '2024-07-02T00:00:00.000Z',
      orders: 2,
      units: 11,
      revenue: '53.00',
      averageOrderValue: '26.50',
      cogs: '21.00',
      grossMargin: '32.00',
      grossMarginRate: rate(3200, 5300),
      cogsToRevenue: rate(2100, 5300),
      // A: 20.00 for 10 h, then 0; B: 4.00 for 23.5 h, 3.00 for 0.5 h → 295.50 / 24 h.
      averageInventoryValue: '12.31',
      inventoryTurnover: rate(2100, 1231),
      // A out of stock 14 h of 48 SKU-hours.
      stockoutRate: rate(14, 48),
      newCustomers: 2,
      returningCustomers: 0,
    });
    expect(second).toMatchObject({
      orders: 1,
      revenue: '10.00',
      cogs: '4.00',
      // A: 0 for 6 h, 20.00 for 6 h, 16.00 for 12 h; B: 3.00 all day → 384.00 / 24 h.
      averageInventoryValue: '16.00',
      inventoryTurnover: 0.25,
      stockoutRate: rate(6, 48),
      newCustomers: 0,
      returningCustomers: 1,
    });
  });

  it('follows the London calendar: the 23:30 UTC sale is on 2 July there', async () => {
    const days = await day('tz=Europe/London');
    expect(
      days.map((item) => [item.from, item.orders, item.revenue, item.newCustomers, item.returningCustomers]),
    ).toEqual([
      ['2024-06-29T23:00:00.000Z', 0, '0.00', 0, 0],
      ['2024-06-30T23:00:00.000Z', 1, '50.00', 1, 0],
      ['2024-07-01T23:00:00.000Z', 2, '13.00', 1, 1],
      ['2024-07-02T23:00:00.000Z', 0, '0.00', 0, 0],
    ]);
    // Before the first product there is no stock to weigh.
    expect(days[0]).toMatchObject({ averageInventoryValue: '0.00', stockoutRate: null, inventoryTurnover: null });
  });

  it('adds hours up to days, days to the week and the month, in the zone', async () => {
    const hours = (await stack.get(`/api/v1/kpis/history?${RANGE}&interval=1h&tz=Europe/London`)).body.items;
    const week = (await stack.get(`/api/v1/kpis/history?${RANGE}&interval=1w&tz=Europe/London`)).body.items;
    const month = (await stack.get(`/api/v1/kpis/history?${RANGE}&interval=1mo&tz=Europe/London`)).body.items;
    const revenue = (items: { revenue: string }[]) =>
      items.reduce((sum, item) => sum + Math.round(Number(item.revenue) * 100), 0);
    expect(revenue(hours)).toBe(6300);
    expect(week.map((item: any) => [item.from, item.to, item.orders, item.revenue, item.newCustomers])).toEqual([
      ['2024-06-23T23:00:00.000Z', '2024-06-30T23:00:00.000Z', 0, '0.00', 0],
      ['2024-06-30T23:00:00.000Z', '2024-07-07T23:00:00.000Z', 3, '63.00', 2],
    ]);
    expect(month.map((item: any) => [item.from, item.to, item.orders, item.returningCustomers])).toEqual([
      ['2024-05-31T23:00:00.000Z', '2024-06-30T23:00:00.000Z', 0, 0],
      ['2024-06-30T23:00:00.000Z', '2024-07-31T23:00:00.000Z', 3, 0],
    ]);
  });

  it('filters by location: sales, customers and stock of that store only', async () => {
    const [, first] = await day('location=leeds');
    expect(first).toMatchObject({
      orders: 1,
      revenue: '50.00',
      averageInventoryValue: '8.33',
      inventoryTurnover: rate(2000, 833),
      stockoutRate: rate(14, 24),
      newCustomers: 1,
    });
    const [, york] = await day('source=york');
    expect(york).toMatchObject({ orders: 1, revenue: '3.00', newCustomers: 1 });
  });

  it('keeps only salted hashes of customer ids', async () => {
    const data = stack.infrastructure.dataSource;
    const [{ hashed }] = await data.query('SELECT COUNT(DISTINCT customer_hash) AS hashed FROM inventory_events');
    expect(Number(hashed)).toBe(2);
    const [{ dead }] = await data.query('SELECT COUNT(*) AS dead FROM dead_letters');
    expect(Number(dead)).toBe(0);
    for (const customer of ANALYTICS_CUSTOMERS) {
      const [{ found }] = await data.query('SELECT COUNT(*) AS found FROM inventory_events WHERE payload LIKE ?', [
        `%${customer}%`,
      ]);
      expect(Number(found)).toBe(0);
    }
  });

  it('answers CSV with the new columns, and 400 naming the parameter for bad input', async () => {
    const csv = await fetch(`${stack.apiUrl}/api/v1/kpis/history?${RANGE}&interval=1d`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}`, accept: 'text/csv' },
    });
    const [header, , july] = (await csv.text()).split('\r\n');
    expect(header).toBe(
      'from,to,orders,units,revenue,averageOrderValue,cogs,grossMargin,grossMarginRate,cogsToRevenue,' +
        'averageInventoryValue,inventoryTurnover,stockoutRate,newCustomers,returningCustomers',
    );
    expect(july).toMatch(/^2024-07-01T00:00:00.000Z,2024-07-02T00:00:00.000Z,2,11,53.00,26.50,21.00,32.00,/);
    for (const [query, message] of [
      ['tz=Mars/Olympus', 'tz: must be an IANA time zone name like Europe/London or UTC'],
      ['interval=2d', 'interval: must be one of 1m, 1h, 1d, 1w, 1mo'],
      ['location=%20', 'location: must be a location code'],
    ]) {
      const response = await stack.get(`/api/v1/kpis/history?${RANGE}&${query}`);
      expect({ query, status: response.status, message: response.body.message }).toEqual({
        query,
        status: 400,
        message: [message],
      });
    }
  });
});

describe('Reports: peak hours in a zone, customer segments, stock on a date, slow movers, replenishment', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { CUSTOMER_HASH_SALT: 'history-kpis-test-salt-0002' } });
    await stack.publish(...analyticsWeek('R'));
    expect((await reconcile(stack.config, 30)).drift).toEqual([]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const report = async (path: string) => {
    const response = await stack.get(`/api/v1/reports/${path}`);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return response.body;
  };

  it('draws peak hours as a weekday × hour grid in the zone', async () => {
    const grid = await report(`peak-hours?${RANGE}&tz=Europe/London`);
    expect(grid.items).toHaveLength(168);
    const busy = grid.items
      .filter((cell: any) => cell.orders > 0)
      .map((cell: any) => [cell.weekday, cell.hour, cell.orders, cell.revenue]);
    // 1 July 2024 was a Monday: 10:00 and 23:30 UTC are 11:00 Monday and 00:30 Tuesday in London.
    expect(busy).toEqual([
      ['Monday', 11, 1, '50.00'],
      ['Tuesday', 0, 1, '3.00'],
      ['Tuesday', 13, 1, '10.00'],
    ]);
    const utc = await report(`peak-hours?${RANGE}&location=york`);
    expect(utc.items.filter((cell: any) => cell.orders > 0).map((cell: any) => [cell.weekday, cell.hour])).toEqual([
      ['Monday', 23],
    ]);
  });

  it('scores customers by recency, frequency and money and names their segments', async () => {
    const segments = await report(`customer-segments?${RANGE}`);
    expect(segments).toMatchObject({ customers: 2, revenue: '63.00' });
    const named = Object.fromEntries(
      segments.items.map((item: any) => [item.segment, [item.customers, item.revenue, item.revenueShare]]),
    );
    // Customer 1: last order later, 2 orders, 60.00 → 3/3/3; customer 2: 1/1/1.
    expect(named['needs-attention']).toEqual([1, '60.00', rate(6000, 6300)]);
    expect(named.hibernating).toEqual([1, '3.00', rate(300, 6300)]);
    expect(segments.items.reduce((sum: number, item: any) => sum + item.customers, 0)).toBe(2);
    expect(segments.highValue).toMatchObject({ customers: 0, revenue: '0.00' });
  });

  it('gives every SKU’s stock as of a moment', async () => {
    const noon = await report('stock-on-date?date=2024-07-01T12:00:00Z');
    expect(noon.items.map((item: any) => [item.sku, item.location, item.onHand, item.stockValue])).toEqual([
      ['R-A', 'leeds', 0, '0.00'],
      ['R-B', 'york', 4, '4.00'],
    ]);
    const later = await report('stock-on-date?date=2024-07-02T13:00:00Z&location=leeds');
    expect(later.items).toEqual([
      expect.objectContaining({ sku: 'R-A', onHand: 8, unitCost: '2.00', stockValue: '16.00' }),
    ]);
  });

  it('lists slow movers with the value they tie up', async () => {
    const slow = await report('slow-movers?to=2024-07-03T00:00:00Z&days=1&coverDays=3');
    expect(
      slow.items.map((item: any) => [item.sku, item.reason, item.unitsSold, item.daysOfCover, item.valueTiedUp]),
    ).toEqual([
      ['R-A', 'excess_cover', 2, 4, '16.00'],
      ['R-B', 'no_sales', 0, null, '3.00'],
    ]);
    expect(slow.valueTiedUp).toBe('19.00');
    const quick = await report('slow-movers?to=2024-07-03T00:00:00Z&days=1&coverDays=5');
    expect(quick.items.map((item: any) => item.sku)).toEqual(['R-B']);
  });

  it('counts each SKU’s units shipped and its latest sale as the raw lines do, whole days or not', async () => {
    const data = stack.infrastructure.dataSource;
    const reports = new ReportsRepository(data);
    const HOUR = 3_600_000;
    const ends = [0, 7, 13.5, 24, 30, 48].map((hours) => Date.parse('2024-07-01T00:00:00Z') + hours * HOUR);
    let compared = 0;
    for (const to of ends) {
      for (const hours of [1, 20, 24, 36]) {
        const range = { from: to - hours * HOUR, to };
        const expected = await data.query<{ sku: string; location: string; shipped: string; last_sale: Date | null }[]>(
          `SELECT sku, location, SUM(IF(occurred_at >= ?, shipped, 0)) AS shipped,
             MAX(IF(shipped > 0, occurred_at, NULL)) AS last_sale
           FROM inventory_event_lines WHERE occurred_at < ? GROUP BY sku, location`,
          [new Date(range.from), new Date(range.to)],
        );
        // A SKU with neither counts as one without an entry (no units shipped, no sale).
        const moved = (row: { shipped: number; lastSaleAt: number | null }) =>
          row.shipped !== 0 || row.lastSaleAt !== null;
        const order = (a: { sku: string; location: string }, b: { sku: string; location: string }) =>
          a.sku + a.location < b.sku + b.location ? -1 : 1;
        const movements = [...(await reports.movements(range, null)).values()].filter(moved).sort(order);
        const fromLines = expected
          .map((row) => ({
            sku: row.sku,
            location: row.location,
            shipped: Number(row.shipped),
            lastSaleAt: row.last_sale === null ? null : new Date(row.last_sale).getTime(),
          }))
          .filter(moved)
          .sort(order);
        expect({ to, hours, movements }).toEqual({ to, hours, movements: fromLines });
        compared += movements.filter((row) => row.shipped !== 0).length;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('suggests what to order by supplier from the forecast and the reorder point', async () => {
    const plan = await report('replenishment?coverDays=14');
    const forecast = (await stack.get('/api/v1/forecasts?location=leeds')).body.items.find(
      (item: any) => item.sku === 'R-A',
    );
    const expected = Math.max(1, Math.ceil(9 - 8 + forecast.sellRatePerHour * 24 * 14));
    expect(plan.items).toEqual([
      expect.objectContaining({
        supplier: 'acme',
        sku: 'R-A',
        available: 8,
        reorderPoint: 9,
        suggestedQuantity: expected,
      }),
    ]);
    expect(plan.suppliers).toEqual([
      { supplier: 'acme', skus: 1, units: expected, orderValue: (expected * 2).toFixed(2) },
    ]);
    const csv = await fetch(`${stack.apiUrl}/api/v1/reports/replenishment`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}`, accept: 'text/csv' },
    });
    expect((await csv.text()).split('\r\n')[1]).toMatch(/^acme,R-A,leeds,Mug,8,9,explicit,/);
  });

  it('answers 400 naming the parameter for bad report input, never 500', async () => {
    for (const [path, name] of [
      ['slow-movers?days=1e3', 'days'],
      ['slow-movers?coverDays=0', 'coverDays'],
      ['stock-on-date?date=yesterday', 'date'],
      ['replenishment?coverDays=-1', 'coverDays'],
      ['peak-hours?tz=Nowhere/Else', 'tz'],
      ['customer-segments?from=2024-13-01T00:00:00Z', 'from'],
      ['top-products?location=', 'location'],
      ['replenishment?supplier=acme', 'input'],
    ]) {
      const response = await stack.get(`/api/v1/reports/${path}`);
      expect({ path, status: response.status, named: String(response.body.message).startsWith(`${name}:`) }).toEqual({
        path,
        status: 400,
        named: true,
      });
    }
  });
});
