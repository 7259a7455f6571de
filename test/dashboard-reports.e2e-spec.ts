import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runReplay } from '../apps/cli/src/replay/replay-runner';
import { DATASETS_DIR } from './support/datasets';
import { eventually, TestStack } from './support/test-stack';
import { DASHBOARD_DIR, ensureDashboardBuilt, launchChromium, seriousAxeViolations } from './support/wall-browser';

// Browser globals of the page.evaluate callbacks below.
declare const document: any;
declare const innerWidth: number;
declare function requestAnimationFrame(callback: () => void): number;

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
  { width: 390, height: 844 },
];
const ARTIFACTS = path.resolve(__dirname, '..', 'dist', 'test-artifacts', 'reports');
const README_IMAGES = path.resolve(__dirname, '..', 'docs', 'images');
const PANELS = [
  'sales-trend',
  'stock-trend',
  'peak-hours',
  'top-products',
  'best-stores',
  'customer-segments',
  'slow-movers',
  'replenishment',
] as const;
/** The second week of January 2011 (the first is the previous period the trend overlays). */
const VIEW = '/reports?from=2011-01-10&to=2011-01-16&interval=1d&tz=Europe/London';

/**
 * The reports page in Debian's Chromium over two weeks of UCI Online Retail replayed through the
 * whole system: every chart and list is drawn from real data, the CSV buttons download the API's CSV,
 * axe-core finds nothing serious, and it is screenshot at four sizes (dist/test-artifacts/reports).
 */
describe('Reports page: charts and lists of real data, CSV downloads, accessibility, four screen sizes', () => {
  let stack: TestStack;
  let browser: Browser;

  const open = async (query: string, viewport = { width: 1920, height: 1080 }): Promise<Page> => {
    const page = await browser.newPage({ viewport, acceptDownloads: true, reducedMotion: 'reduce' });
    await page.goto(`${stack.apiUrl}${query}#token=${stack.token('viewer')}`);
    await page.locator('[data-testid="reports-page"][data-loading="false"] [data-testid="sales-trend"]').waitFor({
      timeout: 30_000,
    });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))));
    return page;
  };

  beforeAll(async () => {
    ensureDashboardBuilt();
    const bundle = readdirSync(path.join(DASHBOARD_DIR, 'assets')).filter((name) => name.endsWith('.js'));
    expect(
      bundle.some((name) => readFileSync(path.join(DASHBOARD_DIR, 'assets', name), 'utf8').includes('reports-page')),
    ).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await TestStack.start({
      shards: 1,
      env: { DASHBOARD_DIR, CUSTOMER_HASH_SALT: 'dashboard-reports-test-salt-1' },
    });
    const directory = path.join(DATASETS_DIR, 'online-retail/by-day');
    const files = readdirSync(directory)
      .filter((name) => name >= '2011-01-03' && name < '2011-01-17')
      .sort()
      .map((name) => path.join(directory, name));
    const summary = await runReplay({
      files,
      format: 'online-retail',
      publish: (batch) => stack.publish(...batch),
      options: { openingStock: 100, reorderPoint: 10, costPercent: 60 },
    });
    await eventually(
      async () => {
        const [{ count }] = await stack.infrastructure.dataSource.query(
          'SELECT COUNT(*) AS count FROM inventory_events',
        );
        return Number(count) === summary.eventsSent ? true : undefined;
      },
      240_000,
      `${summary.eventsSent} events stored`,
    );
    browser = await launchChromium();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('draws every report from the replayed data', async () => {
    const page = await open(VIEW);
    const api = (
      await stack.get(
        `/api/v1/kpis/history?from=2011-01-10T00:00:00Z&to=2011-01-17T00:00:00Z&interval=1d&tz=Europe/London`,
      )
    ).body;
    const revenue = api.items.reduce(
      (sum: number, item: { revenue: string }) => sum + Math.round(Number(item.revenue) * 100),
      0,
    );
    const orders = api.items.reduce((sum: number, item: { orders: number }) => sum + item.orders, 0);
    expect(orders).toBeGreaterThan(100);
    const headline = await page.getByTestId('sales-total').textContent();
    expect(headline).toContain(
      `${(revenue / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })} revenue · ${orders} orders`,
    );
    // The previous week is overlaid: a change against it is shown.
    expect(headline).toMatch(/[▲▼] [\d.]+ % on the previous period/);
    for (const chart of ['sales-trend-chart', 'stock-trend-chart']) {
      expect(await page.locator(`[data-testid="${chart}"] canvas`).count()).toBe(1);
    }
    const levels = await page
      .locator('[data-testid="peak-hours-grid"] td')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-level'))));
    expect(levels).toHaveLength(168);
    expect(levels.filter((level) => level > 0).length).toBeGreaterThan(20);
    expect(levels).toContain(100);
    const rows = async (panel: string) => page.locator(`[data-testid="${panel}"] tbody tr:not(:has(.empty))`).count();
    expect(await rows('top-products')).toBe(10);
    expect(await rows('best-stores')).toBeGreaterThan(3);
    expect(await rows('customer-segments')).toBeGreaterThan(2);
    expect(await rows('slow-movers')).toBeGreaterThan(0);
    expect(await rows('replenishment')).toBeGreaterThan(0);
    const topSku = (
      await stack.get(
        '/api/v1/reports/top-products?from=2011-01-10T00:00:00Z&to=2011-01-17T00:00:00Z&by=revenue&limit=1',
      )
    ).body.items[0];
    expect(await page.locator('[data-testid="top-products"] tbody tr').first().textContent()).toContain(topSku.revenue);
    await page.close();
  });

  it('downloads each report as the API’s CSV', async () => {
    const page = await open(VIEW);
    const headers: Record<string, string> = {};
    for (const panel of PANELS) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`csv-${panel}`).click()]);
      const text = readFileSync(await download.path(), 'utf8');
      headers[panel] = `${download.suggestedFilename()} ${text.split('\r\n')[0].split(',').slice(0, 3).join(',')}`;
    }
    expect(headers).toEqual({
      'sales-trend': 'sales-trend.csv from,to,orders',
      'stock-trend': 'stock-trend.csv from,to,orders',
      'peak-hours': 'peak-hours.csv weekday,hour,orders',
      'top-products': 'top-products.csv rank,sku,name',
      'best-stores': 'best-stores.csv source,orders,units',
      'customer-segments': 'customer-segments.csv segment,customers,customerShare',
      'slow-movers': 'slow-movers.csv sku,location,name',
      replenishment: 'replenishment.csv supplier,sku,location',
    });
    await page.close();
  });

  it('has no serious or critical accessibility violations, dark or light', async () => {
    for (const theme of ['dark', 'light']) {
      const page = await open(`${VIEW}&theme=${theme}`);
      expect({ theme, violations: await seriousAxeViolations(page) }).toEqual({ theme, violations: [] });
      await page.close();
    }
  }, 120_000);

  it('is screenshot at 1366×768, 1920×1080, 3840×2160 and 390×844 with no sideways scrolling', async () => {
    for (const size of SIZES) {
      const page = await open(VIEW, size);
      // Neither the page nor any panel scrolls sideways: every table fits its panel.
      const sideways = await page.evaluate(() => {
        const main = document.querySelector('[data-testid="reports-page"]');
        const panels = [...document.querySelectorAll('.report .body')].filter(
          (body: any) => body.scrollWidth > body.clientWidth + 1,
        );
        return main.scrollWidth > innerWidth + 1 || panels.length > 0;
      });
      expect({ size, sideways }).toEqual({ size, sideways: false });
      const file = `reports-${size.width}x${size.height}.png`;
      await page.screenshot({ path: path.join(ARTIFACTS, file), fullPage: size.width < 700 });
      await page.close();
    }
    mkdirSync(README_IMAGES, { recursive: true });
    for (const file of ['reports-1920x1080.png', 'reports-390x844.png']) {
      copyFileSync(path.join(ARTIFACTS, file), path.join(README_IMAGES, file));
    }
  }, 180_000);
});
