import type { KpiHistoryBucket, ReplenishmentReport } from '@stockwall/persistence';
import { compareFigures, type DigestContent } from './digest-content';
import { periodOfDate } from './digest-period';
import { escapeHtml, renderDigest } from './digest-render';

const bucket = (overrides: Partial<KpiHistoryBucket>): KpiHistoryBucket => ({
  from: '2024-07-01T23:00:00.000Z',
  to: '2024-07-02T23:00:00.000Z',
  orders: 0,
  units: 0,
  revenue: '0.00',
  averageOrderValue: null,
  cogs: '0.00',
  grossMargin: '0.00',
  grossMarginRate: null,
  cogsToRevenue: null,
  averageInventoryValue: null,
  inventoryTurnover: null,
  stockoutRate: null,
  newCustomers: 0,
  returningCustomers: 0,
  ...overrides,
});

const replenishment: ReplenishmentReport = {
  asOf: null,
  location: null,
  coverDays: 14,
  suppliers: [{ supplier: 'Acme <"&">', skus: 1, units: 12, orderValue: '24.00' }],
  items: [
    {
      supplier: 'Acme <"&">',
      sku: 'A-1',
      location: 'main',
      name: '=HYPERLINK("x")',
      available: 0,
      reorderPoint: 9,
      reorderPointSource: 'explicit',
      leadTimeDays: null,
      sellRatePerDay: 0,
      projectedRunOutAt: null,
      suggestedQuantity: 12,
      unitCost: '2.00',
      orderValue: '24.00',
    },
  ],
};

function content(): DigestContent {
  const current = bucket({
    orders: 2,
    units: 3,
    revenue: '13.00',
    averageOrderValue: '6.50',
    grossMarginRate: 0.5,
    stockoutRate: 0.25,
    newCustomers: 1,
    returningCustomers: 1,
  });
  const previous = bucket({
    orders: 1,
    units: 10,
    revenue: '50.00',
    averageOrderValue: '50.00',
    grossMarginRate: 0.6,
    stockoutRate: 0.25,
    newCustomers: 0,
  });
  return {
    period: periodOfDate('daily', '2024-07-02', 'Europe/London'),
    figures: compareFigures(current, previous),
    current,
    previous,
    topProducts: [{ sku: '<script>alert(1)</script>', name: 'Tea & "Biscuits"', units: 2, revenue: '10.00' }],
    alerts: [
      {
        occurredAt: '2024-07-02T05:00:00.000Z',
        kind: 'out_of_stock',
        sku: "O'Brien<b>",
        location: 'leeds',
        available: 0,
        reorderPoint: 9,
        status: 'open',
        acknowledgedAt: null,
        alertId: 'a,1',
      },
    ],
    replenishment,
  };
}

describe(renderDigest.name, () => {
  it('escapes every value taken from the data in the HTML', () => {
    const { html } = renderDigest(content());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Tea &amp; &quot;Biscuits&quot;');
    expect(html).toContain('O&#39;Brien&lt;b&gt;');
    expect(html).toContain('Acme &lt;&quot;&amp;&quot;&gt;');
    // Only the template's own tags remain.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((match) => match[1].toLowerCase()));
    expect([...tags].sort()).toEqual(
      ['body', 'h1', 'h2', 'head', 'html', 'li', 'meta', 'p', 'table', 'td', 'th', 'title', 'tr', 'ul'].sort(),
    );
  });

  it('shows each figure with the previous period and an arrow; the text alternative says the same', () => {
    const { subject, html, text } = renderDigest(content());
    expect(subject).toBe('[Stockwall] Daily digest 2024-07-02');
    expect(text).toContain(
      '2024-07-02 00:00 – 2024-07-03 00:00 Europe/London, compared with 2024-07-01 00:00 – 2024-07-02 00:00 Europe/London',
    );
    expect(text).toContain('Orders: 2 (previous 1, ▲ +100.0%)');
    expect(text).toContain('Revenue: 13.00 (previous 50.00, ▼ −74.0%)');
    expect(text).toContain('Gross margin rate: 50.0% (previous 60.0%, ▼ −10.0 pts)');
    expect(text).toContain('Stockout rate: 25.0% (previous 25.0%, = 0 pts)');
    expect(text).toContain('New customers: 1 (previous 0, ▲ new)');
    expect(text).toContain('Inventory turnover: – (previous –, –)');
    expect(text).toContain('1 alert raised: 1 out of stock.');
    // Alert times on the zone's wall clock (05:00 UTC is 06:00 in London in July).
    expect(text).toContain("2024-07-02 06:00 Out of stock O'Brien<b> (leeds), 0 available");
    expect(html).toContain('2024-07-02 06:00</td>');
    expect(html).toContain('▼ −74.0%');
    expect(html).toMatch(/style="[^"]*color:#D55E00;">▼ −74\.0%/);
  });

  it('attaches the alerts and the replenishment list as CSV, formulas defused, with a header even when empty', () => {
    const rendered = renderDigest(content());
    const [alerts, replenishmentCsv] = rendered.attachments;
    expect(alerts.filename).toBe('alerts-daily-2024-07-02.csv');
    expect(alerts.content).toBe(
      'occurredAt,kind,sku,location,available,reorderPoint,status,acknowledgedAt,alertId\r\n' +
        `2024-07-02T05:00:00.000Z,out_of_stock,O'Brien<b>,leeds,0,9,open,,"a,1"\r\n`,
    );
    expect(replenishmentCsv.content.split('\r\n')[1]).toContain(`"Acme <""&"">",A-1,main,"'=HYPERLINK(""x"")"`);
    const empty = renderDigest({ ...content(), alerts: [] });
    expect(empty.attachments[0].content).toBe(
      'occurredAt,kind,sku,location,available,reorderPoint,status,acknowledgedAt,alertId\r\n',
    );
    expect(empty.text).toContain('No alerts were raised.');
  });
});

describe(escapeHtml.name, () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});
