import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApiApplication } from '../apps/api/src/api-application';
import { aFulfilment, anOrder } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';
import {
  DASHBOARD_DIR,
  ensureDashboardBuilt,
  fitProblems,
  launchChromium,
  seriousAxeViolations,
  simulateDeuteranopia,
  wallTraffic,
} from './support/wall-browser';

// Browser globals of the page.evaluate callbacks below: they run in Chromium, while the tests
// compile without the DOM library.
declare const document: any;
declare const innerWidth: number;
declare function getComputedStyle(element: any): any;
declare function requestAnimationFrame(callback: () => void): number;

const VIEWS = ['overview', 'stock', 'alerts', 'sources'] as const;
const TV_SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 2560, height: 1440 },
  { width: 3840, height: 2160 },
];
/** Screenshots of every view at every size are kept here (test artifacts); the README's come from a run. */
const ARTIFACTS = path.resolve(__dirname, '..', 'dist', 'test-artifacts', 'wall');
/** Set to docs/images to refresh the README's screenshots from this run. */
const README_IMAGES = process.env.WALL_README_IMAGES;

describe('Wall screen: fits every screen, charts, trends, alerts, kiosk views, stale banner', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let dashboardDir: string;
  let orders: number;

  const open = async (query = '', viewport = { width: 1920, height: 1080 }): Promise<Page> => {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${stack.apiUrl}/${query}#token=${stack.token('viewer')}`);
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 15_000 });
    return page;
  };
  const showView = async (page: Page, view: string) => {
    await page.locator(`[data-testid="view-tab"][data-view="${view}"]`).click();
    await page.locator(`.wall[data-view="${view}"]`).waitFor();
  };
  /** Lets the charts and figures settle at a new size (resize observers, one frame). */
  const settle = (page: Page) =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 250))));

  beforeAll(async () => {
    ensureDashboardBuilt();
    // A copy the test can redeploy (a new build id) while the wall is open.
    dashboardDir = mkdtempSync(path.join(tmpdir(), 'stockwall-wall-'));
    cpSync(DASHBOARD_DIR, dashboardDir, { recursive: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await TestStack.start({ shards: 1, env: { DASHBOARD_DIR: dashboardDir } });
    browser = await launchChromium();
    context = await browser.newContext({ reducedMotion: 'reduce' });

    const traffic = wallTraffic(Date.now());
    orders = traffic.orders;
    await stack.publish(...traffic.events);
    // The chart is seeded from the per-minute history: wait until every order is persisted.
    const from = new Date(Date.now() - 60 * 60_000).toISOString();
    let persisted = 0;
    await eventually(
      async () => {
        const { body } = await stack.get(`/api/v1/kpis/history?interval=1m&from=${from}&limit=120`);
        persisted = (body.items as { orders: number }[]).reduce((sum, item) => sum + item.orders, 0);
        return persisted === orders ? persisted : undefined;
      },
      60_000,
      `the ${orders} seeded orders in the history (last read: ${persisted})`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; persisted ${persisted}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('changes a tile, the chart and the table when an event is put on the stream, without a reload', async () => {
    // 24h: the whole seeded traffic is in the window, however far the watermark moves.
    const page = await open('?page=120s&window=24h');
    const reloads: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloads.push(frame.url());
    });
    const ordersTile = page.locator('[data-testid="kpi-orders"]');
    await page.locator('[data-testid="kpis"][data-window="24h"][data-state="current"]').waitFor();
    await page.locator('[data-testid="sales-chart"][data-summary*="total-orders="]').waitFor();
    const ordersBefore = Number(await ordersTile.getAttribute('data-raw'));
    const chartBefore = await page.getByTestId('sales-chart').getAttribute('data-summary');
    const chartOrdersBefore = Number(/total-orders=(\d+)/.exec(chartBefore ?? '')?.[1]);
    const { body: stockBefore } = await stack.get('/api/v1/stock/WALL-03');
    const availableBefore = (stockBefore.locations as { location: string; available: number }[]).find(
      (row) => row.location === 'main',
    )?.available;
    if (typeof availableBefore !== 'number') throw new Error('WALL-03 has no stock at main');

    const now = new Date().toISOString();
    const common = { orderId: 'WO-LIVE', occurredAt: now, source: 'web', location: 'main' };
    await stack.publish(
      anOrder({ id: 'WO-LIVE-placed', ...common, lines: [{ sku: 'WALL-03', quantity: 2, unit_price: '16.00' }] }),
      aFulfilment({ id: 'WO-LIVE-shipped', ...common, lines: [{ sku: 'WALL-03', quantity: 2 }] }),
    );

    await page.locator(`[data-testid="kpi-orders"][data-raw="${ordersBefore + 1}"]`).waitFor({ timeout: 15_000 });
    await page
      .locator(`[data-testid="sales-chart"][data-summary*="total-orders=${chartOrdersBefore + 1}"]`)
      .waitFor({ timeout: 15_000 });
    await showView(page, 'stock');
    const row = page.locator('[data-testid="stock-row"][data-sku="WALL-03"][data-location="main"]');
    await row
      .getByTestId('available')
      .filter({ hasText: new RegExp(`^${availableBefore - 2}$`) })
      .waitFor({ timeout: 15_000 });
    expect(reloads).toEqual([]);
    await page.close();
  });

  it('puts a low-stock alert in the ticker with the name, the reorder point and the projected run-out', async () => {
    const page = await open('?view=alerts');
    // WALL-01 at main was left 4 above its reorder point (10): 5 more sold takes it to 9.
    const now = new Date().toISOString();
    await stack.publish(
      anOrder({
        id: 'WO-LOW-placed',
        orderId: 'WO-LOW',
        occurredAt: now,
        source: 'store-leeds',
        location: 'main',
        lines: [{ sku: 'WALL-01', quantity: 5, unit_price: '9.50' }],
      }),
    );
    const alert = page.locator(
      '[data-testid="alert-ticker"] [data-testid="alert-item"][data-kind="low_stock"][data-sku="WALL-01"][data-location="main"]',
    );
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.locator('.badge').textContent()).toMatch(/Low/);
    expect(await alert.locator('.name').textContent()).toBe('Enamel Teapot');
    await alert
      .getByTestId('alert-detail')
      .filter({ hasText: /^9 left · reorder at 10 · out in ~\d+ (min|h)$/ })
      .waitFor({ timeout: 15_000 });
    await page.close();
  });

  it('fits each view at 1366×768, 1920×1080, 2560×1440 and 3840×2160: no scrolling, nothing cut or off screen', async () => {
    const page = await open();
    // Charts drawn from history, trends against the previous window, the run-out list read.
    await page.locator('[data-testid="sales-chart"] canvas').waitFor();
    await page.locator('[data-testid="at-risk-chart"] canvas').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="kpi-orders"] [data-testid="tile-trend"]:not([data-direction="none"])').waitFor();
    // The figures are really there, not empty boxes that trivially fit.
    expect(Number(await page.locator('[data-testid="kpi-orders"]').getAttribute('data-raw'))).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const size of TV_SIZES) {
      await page.setViewportSize(size);
      for (const view of VIEWS) {
        await showView(page, view);
        if (view === 'sources') await page.locator('[data-testid="source-chart"] canvas').waitFor({ timeout: 15_000 });
        await settle(page);
        const found = await fitProblems(page);
        const where = `${view} at ${size.width}×${size.height}`;
        if (found.pageScroll) problems.push(`${where}: the page scrolls ${JSON.stringify(found.pageScroll)}`);
        for (const line of [...found.clipped, ...found.offscreen]) problems.push(`${where}: ${line}`);
        // Screenshots (slow at 4K) where people look: a laptop, full HD and 4K.
        if (size.width === 2560) continue;
        const file = `wall-${view}-${size.width}x${size.height}.png`;
        await page.screenshot({ path: path.join(ARTIFACTS, file) });
        if (README_IMAGES && size.width !== 1366)
          copyFileSync(path.join(ARTIFACTS, file), path.join(README_IMAGES, file));
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('gives a phone (390×844) one readable column with no sideways scrolling', async () => {
    const page = await open('', { width: 390, height: 844 });
    for (const view of VIEWS) {
      await showView(page, view);
      await settle(page);
      await page.screenshot({ path: path.join(ARTIFACTS, `wall-${view}-390x844.png`), fullPage: true });
      const layout = await page.evaluate(() => ({
        scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
        fontSize: parseFloat(getComputedStyle(document.documentElement).fontSize),
        sticksOut: [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > innerWidth + 1)
          .map(
            (element) =>
              `${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? '').slice(0, 30)}"`,
          )
          .slice(0, 5),
      }));
      // Nothing wider than the phone, text no smaller than 15 px, and none of it cut.
      expect({ view, ...layout }).toEqual({ view, scrollWidth: 390, fontSize: 15, sticksOut: [] });
      expect({ view, clipped: (await fitProblems(page)).clipped }).toEqual({ view, clipped: [] });
    }
    await page.close();
  });

  it('has no serious or critical accessibility violations in any view, dark or light', async () => {
    for (const theme of ['dark', 'light']) {
      const page = await open(`?theme=${theme}`);
      for (const view of VIEWS) {
        await showView(page, view);
        await settle(page);
        expect({ theme, view, violations: await seriousAxeViolations(page) }).toEqual({ theme, view, violations: [] });
      }
      if (theme === 'dark') {
        // How the palette reads with deuteranopia (the most common colour blindness), for a look.
        await showView(page, 'overview');
        await simulateDeuteranopia(page);
        await page.screenshot({ path: path.join(ARTIFACTS, 'wall-overview-deuteranopia-1920x1080.png') });
        if (README_IMAGES)
          await page.screenshot({ path: path.join(README_IMAGES, 'wall-overview-deuteranopia-1920x1080.png') });
      }
      await page.close();
    }
  }, 120_000);

  it('follows ?theme=light&view=alerts&rotate=5s: light colours, the alerts view first, the next view after 5 s', async () => {
    const page = await open('?theme=light&view=alerts&rotate=5s');
    await page.locator('.wall[data-view="alerts"]').waitFor({ timeout: 1_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [red, green, blue] = (background.match(/\d+/g) ?? []).map(Number);
    expect(Math.min(red, green, blue)).toBeGreaterThan(200);
    expect(await page.getByTestId('rotation').textContent()).toMatch(/^next: Sources in \d+s$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'wall-alerts-light-1920x1080.png') });
    if (README_IMAGES) {
      const file = 'wall-alerts-light-1920x1080.png';
      copyFileSync(path.join(ARTIFACTS, file), path.join(README_IMAGES, file));
    }
    await page.locator('.wall[data-view="sources"]').waitFor({ timeout: 10_000 });
    // The next turn, timed from one change of view to the next: 5 s (polling and a busy machine add a little).
    const sourcesAt = Date.now();
    await page.locator('.wall[data-view="overview"]').waitFor({ timeout: 10_000 });
    expect(Date.now() - sourcesAt).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - sourcesAt).toBeLessThan(9_000);
    await page.close();
  });

  it('shows the disconnected banner while the API is down, clears it when it is back, and reloads for a new build', async () => {
    const page = await open();
    const reloads: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloads.push(frame.url());
    });
    expect(await page.getByTestId('stale-banner').count()).toBe(0);
    const port = Number(new URL(stack.apiUrl).port);
    const restartApi = async () => {
      await stack.api?.close();
      stack.api = null;
      await page.locator('[data-testid="stale-banner"][data-kind="disconnected"]').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('connection-status').getAttribute('data-status')).toMatch(/reconnecting|offline/);
      const api = await createApiApplication(stack.infrastructure);
      await api.listen(port, '127.0.0.1');
      expect((api.getHttpServer().address() as AddressInfo).port).toBe(port);
      stack.api = api;
    };

    await restartApi();
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('stale-banner').waitFor({ state: 'detached', timeout: 5_000 });
    expect(reloads).toEqual([]);

    // A deploy: the served index.html names another build; the wall reloads itself once it is back.
    const indexFile = path.join(dashboardDir, 'index.html');
    writeFileSync(
      indexFile,
      readFileSync(indexFile, 'utf8').replace(
        /name="stockwall-build" content="[^"]*"/,
        'name="stockwall-build" content="next-build"',
      ),
    );
    await restartApi();
    await eventually(async () => (reloads.length > 0 ? reloads : undefined), 30_000, 'the wall to reload');
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 15_000 });
    await page.close();
  }, 150_000); // two API restarts, each waiting out the socket's reconnection backoff (up to 10 s)
});
