import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { ANALYTICS_CUSTOMERS, analyticsWeek } from './support/analytics-events';
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
