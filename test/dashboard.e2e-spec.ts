import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { eventually, TestStack } from './support/test-stack';

const CHROMIUM = '/usr/bin/chromium';
const DASHBOARD_DIR = path.resolve(__dirname, '..', 'dist', 'dashboard');
const timestamp = '2024-06-01T08:00:00Z';

describe('Wall dashboard in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
    if (!existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
      // A plain `npm test` without a build still gets a dashboard to serve.
      execFileSync(
        process.execPath,
        [require.resolve('vite/bin/vite.js'), 'build', '--config', 'apps/dashboard/vite.config.ts'],
        {
          cwd: path.resolve(__dirname, '..'),
          stdio: 'ignore',
        },
      );
    }
    stack = await TestStack.start({ shards: 1, env: { DASHBOARD_DIR } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in from the URL, shows live stock and updates it without a reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.apiUrl}/#token=${stack.token('viewer')}`);
    await page
      .getByTestId('connection-status')
      .filter({ hasText: /^live$/ })
      .waitFor({ timeout: 15_000 });
    // The token leaves the address bar once stored.
    expect(new URL(page.url()).hash).toBe('');

    const sentAt = Date.now();
    await stack.publish({
      event_type: 'product_added',
      event_id: 'wall-1-added',
      product: { product_id: 'WALL-1', product_name: 'Wall Clock', quantity: 7, timestamp, reorder_point: 3 },
    });
    const row = page.locator('[data-testid="stock-row"][data-sku="WALL-1"][data-location="main"]');
    await row.getByTestId('on-hand').filter({ hasText: /^7$/ }).waitFor({ timeout: 15_000 });
    const latencyMs = Date.now() - sentAt;
    console.log(`dashboard: event put → visible on the page in ${latencyMs} ms`);

    const reloads: string[] = [];
    page.on('framenavigated', (frame) => reloads.push(frame.url()));
    await stack.publish({
      event_type: 'quantity_changed',
      event_id: 'wall-1-sold',
      product: { product_id: 'WALL-1', quantity_delta: -5, timestamp },
    });
    await row.getByTestId('available').filter({ hasText: /^2$/ }).waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('on-hand').textContent()).toBe('2');
    expect(reloads).toEqual([]);
    const version = Number(await page.getByTestId('version').textContent());
    expect(version).toBeGreaterThanOrEqual(2);
    if (process.env.DASHBOARD_SCREENSHOT)
      await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
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
