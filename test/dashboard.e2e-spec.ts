import type { Browser, Locator, Page } from 'playwright-core';
import type { WireEvent } from '@stockwall/contracts';
import { aFulfilment, anOrder, aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';
import { DASHBOARD_DIR, ensureDashboardBuilt, launchChromium } from './support/wall-browser';

const timestamp = '2024-06-01T08:00:00Z';
const at = (minute: number, second: number) => new Date(Date.UTC(2024, 5, 1, 8, minute, second)).toISOString();

/** Waits until the element shows exactly `text`; on timeout says what it showed instead. */
async function waitForText(locator: Locator, text: string, what: string): Promise<void> {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const exact = new RegExp(`^${escaped}$`);
  try {
    await locator.filter({ hasText: exact }).waitFor({ timeout: 15_000 });
  } catch {
    throw new Error(`${what}: expected "${text}", the page shows "${await locator.first().textContent()}"`);
  }
}

const tile = (page: Page, id: string) => page.locator(`[data-testid="kpi-${id}"] .value`);
const tileHint = (page: Page, id: string) => page.locator(`[data-testid="kpi-${id}"] .hint`);

describe('Wall dashboard in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    ensureDashboardBuilt();
    stack = await TestStack.start({ shards: 1, env: { DASHBOARD_DIR } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in from the URL, shows live stock and updates it without a reload', async () => {
    const page = await browser.newPage();
    // The stock table is the wall's stock view (a kiosk URL picks it).
    await page.goto(`${stack.apiUrl}/?view=stock#token=${stack.token('viewer')}`);
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 15_000 });
    // The token leaves the address bar once stored.
    expect(new URL(page.url()).hash).toBe('');

    const sentAt = Date.now();
    await stack.publish(
      aProductAdded({
        id: 'wall-1-added',
        sku: 'WALL-1',
        name: 'Wall Clock',
        quantity: 7,
        at: timestamp,
        reorderPoint: 3,
      }),
    );
    const row = page.locator('[data-testid="stock-row"][data-sku="WALL-1"][data-location="main"]');
    await row.getByTestId('on-hand').filter({ hasText: /^7$/ }).waitFor({ timeout: 15_000 });
    const latencyMs = Date.now() - sentAt;
    console.log(`dashboard: event put → visible on the page in ${latencyMs} ms`);

    const reloads: string[] = [];
    page.on('framenavigated', (frame) => reloads.push(frame.url()));
    await stack.publish(aQuantityChange({ id: 'wall-1-sold', sku: 'WALL-1', delta: -5, at: timestamp }));
    await row.getByTestId('available').filter({ hasText: /^2$/ }).waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('on-hand').textContent()).toBe('2');
    expect(reloads).toEqual([]);
    const version = Number(await page.getByTestId('version').textContent());
    expect(version).toBeGreaterThanOrEqual(2);
    if (process.env.DASHBOARD_SCREENSHOT)
      await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
  });

  it('shows the KPIs of the events put, live, per window and source, and the SKUs running out', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${stack.apiUrl}/#token=${stack.token('viewer')}&window=1h`);
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 15_000 });
    // The token leaves the fragment; the window asked for stays and is followed.
    expect(new URL(page.url()).hash).toBe('#window=1h');
    await waitForText(page.locator('[data-testid="kpi-window"] [aria-pressed="true"]'), '1h', 'selected window');
    await page.locator('[data-testid="kpis"][data-window="1h"][data-state="current"]').waitFor({ timeout: 15_000 });
    // Nothing has sold yet: the run-out list says so rather than listing stock that does not move.
    await page.getByTestId('run-out-empty').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('run-out-row').count()).toBe(0);

    // Three orders in two minutes: 24.68 (web), 61.70 + 999.99 (store), 37.05 (web), all shipped.
    const orders: {
      id: string;
      time: string;
      source: string;
      lines: { sku: string; quantity: number; price: string }[];
    }[] = [
      { id: 'KO-1', time: at(1, 10), source: 'web', lines: [{ sku: 'KPI-CLOCK', quantity: 2, price: '12.34' }] },
      {
        id: 'KO-2',
        time: at(2, 10),
        source: 'store',
        lines: [
          { sku: 'KPI-CLOCK', quantity: 5, price: '12.34' },
          { sku: 'KPI-LAMP', quantity: 1, price: '999.99' },
        ],
      },
      { id: 'KO-3', time: at(2, 20), source: 'web', lines: [{ sku: 'KPI-CLOCK', quantity: 3, price: '12.35' }] },
    ];
    const added = { occurredAt: at(1, 0), at: at(1, 0) };
    const events: WireEvent[] = [
      aProductAdded({
        id: 'kpi-clock-added',
        ...added,
        sku: 'KPI-CLOCK',
        name: 'Kitchen Clock',
        quantity: 15,
        unitPrice: '12.34',
        unitCost: '7.25',
        reorderPoint: 10,
      }),
      aProductAdded({
        id: 'kpi-lamp-added',
        ...added,
        sku: 'KPI-LAMP',
        name: 'Floor Lamp',
        quantity: 3,
        unitPrice: '999.99',
        unitCost: '400.00',
        reorderPoint: 1,
      }),
    ];
    for (const order of orders) {
      const common = { orderId: order.id, occurredAt: order.time, source: order.source };
      events.push(
        anOrder({
          id: `${order.id}-placed`,
          ...common,
          lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unit_price: line.price })),
        }),
        aFulfilment({
          id: `${order.id}-shipped`,
          ...common,
          lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        }),
      );
    }
    await stack.publish(...events);

    // 1h: every order. Revenue 1,123.42; AOV 374.47; COGS 10 × 7.25 + 400.00 = 472.50, margin 650.92.
    await waitForText(tile(page, 'orders'), '3', 'orders (1h)');
    await waitForText(tile(page, 'revenue'), '1,123.42', 'revenue (1h)');
    await waitForText(tile(page, 'units'), '11', 'units (1h)');
    await waitForText(tile(page, 'aov'), '374.47', 'average order value (1h)');
    await waitForText(tileHint(page, 'revenue'), 'COGS 472.50', 'COGS (1h)');
    await waitForText(tileHint(page, 'margin'), '650.92', 'gross margin (1h)');
    await waitForText(tile(page, 'margin'), '57.9%', 'gross margin rate (1h)');
    await waitForText(tile(page, 'late'), '0', 'late events');
    const topByUnits = page.locator('[data-testid="top-by-units"] [data-testid="top-seller"]');
    const topByRevenue = page.locator('[data-testid="top-by-revenue"] [data-testid="top-seller"]');
    await waitForText(topByUnits.first().getByTestId('top-seller-value'), '10', 'top seller by units');
    expect(await topByUnits.first().getAttribute('data-sku')).toBe('KPI-CLOCK');
    expect(await topByRevenue.first().getAttribute('data-sku')).toBe('KPI-LAMP');
    expect(await topByRevenue.first().getByTestId('top-seller-value').textContent()).toBe('999.99');
    expect(await topByRevenue.nth(1).getByTestId('top-seller-value').textContent()).toBe('123.43');
    expect(await page.getByTestId('kpi-freshness').textContent()).toMatch(/^updated \d+s ago$/);
    // KPI-CLOCK: 15 on hand, 10 sold, reorder point 10.
    await page
      .locator('[data-testid="alert-item"][data-kind="low_stock"][data-sku="KPI-CLOCK"]')
      .waitFor({ timeout: 15_000 });

    // 1m ends with the watermark's minute (08:02): the store order and the last web order.
    await page.locator('[data-testid="kpi-window"] button[data-window="1m"]').click();
    await waitForText(tile(page, 'orders'), '2', 'orders (1m)');
    await waitForText(tile(page, 'revenue'), '1,098.74', 'revenue (1m)');
    expect(new URL(page.url()).hash).toBe('#window=1m');

    // A reload keeps the token and the window, and reads the run-out list again.
    await page.reload();
    await waitForText(page.locator('[data-testid="kpi-window"] [aria-pressed="true"]'), '1m', 'window after reload');
    await waitForText(tile(page, 'revenue'), '1,098.74', 'revenue (1m) after reload');
    const runOut = page.getByTestId('run-out-row');
    await runOut.first().waitFor({ timeout: 15_000 });
    // KPI-CLOCK: 5 left at 10 a day runs out first; KPI-LAMP: 2 left at 1 a day; WALL-1 never sold.
    expect(await runOut.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-sku')))).toEqual([
      'KPI-CLOCK',
      'KPI-LAMP',
    ]);
    expect(await runOut.first().getByTestId('run-out-available').textContent()).toBe('5');
    expect(await runOut.first().getByTestId('run-out-cover').textContent()).toBe('12.0 h');

    // One source: in 08:02, web sold only the last order.
    await page.getByTestId('kpi-source').fill('web');
    await page.getByTestId('kpi-source').press('Enter');
    await waitForText(tile(page, 'orders'), '1', 'orders (1m, web)');
    await waitForText(tile(page, 'revenue'), '37.05', 'revenue (1m, web)');
    expect(new URL(page.url()).hash).toBe('#window=1m&source=web');
    const screenshot = process.env.DASHBOARD_SCREENSHOT;
    if (screenshot) {
      await page.screenshot({ path: screenshot.replace(/(\.png)?$/, '-kpis.png') });
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.screenshot({ path: screenshot.replace(/(\.png)?$/, '-laptop.png') });
    }
  });

  it('shows a rejected token instead of retrying forever', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.apiUrl}/#token=not-a-valid-token`);
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^unauthorized$/ })
      .waitFor({ timeout: 15_000 });
    const rows = await eventually(async () => page.locator('[data-testid="stock-row"]').count(), 1_000, 'row count');
    expect(rows).toBe(0);
  });
});
