import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '@stockwall/contracts';
import { anOrder } from '../factories/wire-events';
import { eventually, TestStack } from './test-stack';
import { DASHBOARD_DIR, ensureDashboardBuilt, launchChromium, wallTraffic } from './wall-browser';

// Browser globals of the page.evaluate callbacks below.
declare function requestAnimationFrame(callback: () => void): number;

export const DESK = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'dist', 'test-artifacts', 'console');
export const PASSWORD = 'correct horse battery staple';
export const email = (role: Role) => `${role}@console.test`;

/**
 * The ops console's browser tests' world: a stack serving the built dashboard with the wall's
 * catalogue, three open alerts and a user of each role, and Chromium to open pages signed in as them.
 */
export class ConsoleBrowser {
  stack!: TestStack;
  browser!: Browser;

  /** Starts it before the file's tests (up to 4 minutes) and stops it after them. */
  static forThisFile(): ConsoleBrowser {
    const world = new ConsoleBrowser();
    beforeAll(() => world.start(), 240_000);
    afterAll(() => world.stop());
    return world;
  }

  async start(): Promise<void> {
    ensureDashboardBuilt();
    const bundle = readdirSync(path.join(DASHBOARD_DIR, 'assets')).filter((name) => name.endsWith('.js'));
    expect(
      bundle.some((name) => readFileSync(path.join(DASHBOARD_DIR, 'assets', name), 'utf8').includes('inventory-row')),
    ).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const stack = await TestStack.start({ shards: 1, env: { DASHBOARD_DIR } });
    this.stack = stack;
    const { events } = wallTraffic(Date.now());
    await stack.publish(...events);
    await eventually(
      async () => ((await stack.get('/api/v1/stock?limit=100')).body.rows?.length === 24 ? true : undefined),
      60_000,
      'the catalogue in live stock',
    );
    // Alerts to show and acknowledge: WALL-01 at main was left 4 above its reorder point (10), so
    // 5 more sold make it low; WALL-02 at north counted down to 5 is low; WALL-04 at north counted to 0 is out.
    await stack.publish(
      anOrder({
        id: 'WO-LOW-placed',
        orderId: 'WO-LOW',
        occurredAt: new Date().toISOString(),
        source: 'web',
        location: 'main',
        lines: [{ sku: 'WALL-01', quantity: 5, unit_price: '9.50' }],
      }),
    );
    for (const [sku, countedQuantity] of [
      ['WALL-02', 5],
      ['WALL-04', 0],
    ] as const) {
      const response = await fetch(`${stack.apiUrl}/api/v1/adjustments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.token('warehouse')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sku, location: 'north', countedQuantity, reason: 'test set-up' }),
      });
      if (response.status !== 202) throw new Error(`adjusting ${sku}: ${response.status} ${await response.text()}`);
    }
    await eventually(
      async () => ((await stack.get('/api/v1/alerts?status=open')).body.items?.length >= 3 ? true : undefined),
      60_000,
      'three stored open alerts',
    );
    for (const role of ['viewer', 'warehouse', 'admin'] as const) {
      const response = await fetch(`${stack.apiUrl}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: email(role), role, password: PASSWORD }),
      });
      if (response.status !== 201) throw new Error(`creating ${role}: ${response.status} ${await response.text()}`);
    }
    this.browser = await launchChromium();
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.stack?.stop();
  }

  /** A page signed in as a user of that role, through /login, on `view`. */
  async signedIn(role: Role, view: string, viewport = DESK): Promise<Page> {
    const page = await this.browser.newPage({ viewport, reducedMotion: 'reduce', acceptDownloads: true });
    await page.goto(`${this.stack.apiUrl}/${view}`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('E-mail').fill(email(role));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/${view}`);
    await page.locator('[data-testid="console"][data-session="signed-in"]').waitFor();
    return page;
  }
}

/** Waits a frame and 400 ms more, for the page to settle after its data came. */
export const settle = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 400))));
