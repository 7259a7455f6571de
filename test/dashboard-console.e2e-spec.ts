import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '@stockwall/contracts';
import { eventually, TestStack } from './support/test-stack';
import {
  DASHBOARD_DIR,
  ensureDashboardBuilt,
  launchChromium,
  seriousAxeViolations,
  wallTraffic,
} from './support/wall-browser';

// Browser globals of the page.evaluate callbacks below.
declare const document: any;
declare function requestAnimationFrame(callback: () => void): number;

const DESK = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const SIZES = [DESK, { width: 1920, height: 1080 }, { width: 3840, height: 2160 }, PHONE];
const ARTIFACTS = path.resolve(__dirname, '..', 'dist', 'test-artifacts', 'console');
/** `CONSOLE_README_IMAGES=docs/images` also refreshes the README's screenshots. */
const README_IMAGES = process.env.CONSOLE_README_IMAGES;
const PASSWORD = 'correct horse battery staple';
const VIEWS = ['inventory', 'inventory/WALL-03', 'alerts', 'admin'] as const;

/**
 * The ops console in Debian's Chromium against the whole system: people sign in, find a SKU, fix
 * its stock and see it applied on the console and on the wall, edit a product, acknowledge an
 * alert that every open page then shows acknowledged; viewers get no forms; the same on a phone;
 * axe-core finds nothing serious; every view is screenshot at four sizes (dist/test-artifacts/console).
 */
describe('Ops console: sign-in, inventory, SKU page and its forms, alerts, admin, on a desk and a phone', () => {
  let stack: TestStack;
  let browser: Browser;
  const email = (role: Role) => `${role}@console.test`;

  /** A page signed in as a user of that role, through /login, on `view`. */
  const signedIn = async (role: Role, view: string, viewport = DESK): Promise<Page> => {
    const page = await browser.newPage({ viewport, reducedMotion: 'reduce', acceptDownloads: true });
    await page.goto(`${stack.apiUrl}/${view}`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('E-mail').fill(email(role));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/${view}`);
    await page.locator('[data-testid="console"][data-session="signed-in"]').waitFor();
    return page;
  };

  const settle = (page: Page) =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 400))));

  const readyView = async (page: Page, view: string) => {
    if (view === 'inventory') await page.getByTestId('inventory-row').first().waitFor();
    if (view.startsWith('inventory/')) {
      await page.getByTestId('sku-location').first().waitFor();
      await page.locator('[data-testid="sku-history-chart"] canvas').waitFor();
    }
    if (view === 'alerts') await page.locator('[data-testid="alerts-page"][data-loaded="true"]').waitFor();
    if (view === 'admin') await page.getByTestId('user').first().waitFor();
    await settle(page);
  };

  beforeAll(async () => {
    ensureDashboardBuilt();
    const bundle = readdirSync(path.join(DASHBOARD_DIR, 'assets')).filter((name) => name.endsWith('.js'));
    expect(
      bundle.some((name) => readFileSync(path.join(DASHBOARD_DIR, 'assets', name), 'utf8').includes('inventory-row')),
    ).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await TestStack.start({ shards: 1, env: { DASHBOARD_DIR } });
    const { events } = wallTraffic(Date.now());
    await stack.publish(...events);
    await eventually(
      async () => ((await stack.get('/api/v1/stock?limit=100')).body.rows?.length === 24 ? true : undefined),
      60_000,
      'the catalogue in live stock',
    );
    // Alerts to show and acknowledge: WALL-01 at main was left 4 above its reorder point (10), so
    // 5 more sold make it low; WALL-02 at north counted down to 5 is low; WALL-04 at north counted to 0 is out.
    const now = new Date().toISOString();
    await stack.publish({
      event_type: 'order_placed',
      event_id: 'WO-LOW-placed',
      order_id: 'WO-LOW',
      occurred_at: now,
      source: 'web',
      location: 'main',
      lines: [{ sku: 'WALL-01', quantity: 5, unit_price: '9.50' }],
    });
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
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a wrong password and sends an unsigned visitor to /login', async () => {
    const page = await browser.newPage({ viewport: DESK });
    await page.goto(`${stack.apiUrl}/inventory/WALL-03`);
    await page.waitForURL(/\/login\?next=%2Finventory%2FWALL-03/);
    await page.getByLabel('E-mail').fill(email('warehouse'));
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('Wrong e-mail or password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/inventory/WALL-03');
    await page.close();
  });

  it('works read-only with a kept token (a wall screen), and a person can still sign in on it', async () => {
    const page = await browser.newPage({ viewport: DESK });
    await page.goto(`${stack.apiUrl}/inventory#token=${stack.token('viewer')}`);
    await page.getByTestId('inventory-row').first().waitFor();
    await page.getByTestId('signed-in-role').filter({ hasText: 'viewer' }).waitFor();
    expect(await page.getByRole('button', { name: 'New product' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail').fill(email('warehouse'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/inventory');
    await page.getByTestId('signed-in-role').filter({ hasText: 'warehouse' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.close();
  }, 60_000);

  for (const viewport of [DESK, PHONE]) {
    const size = `${viewport.width}×${viewport.height}`;

    it(`warehouse at ${size}: searches a SKU, opens it, counts it, sees pending then applied, the table and the wall`, async () => {
      const counted = viewport === DESK ? 42 : 37;
      const page = await signedIn('warehouse', 'inventory', viewport);
      const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await wall.goto(`${stack.apiUrl}/?view=stock#token=${stack.token('viewer')}`);

      await page.getByRole('searchbox', { name: 'Search SKU or name' }).fill('wall-03');
      await page.locator('[data-testid="inventory-row"][data-sku="WALL-03"]').first().waitFor();
      expect(await page.getByTestId('inventory-row').count()).toBe(2);
      await page.getByRole('link', { name: 'WALL-03' }).first().click();
      await page.waitForURL((url) => url.pathname === '/inventory/WALL-03');

      const form = page.getByRole('form', { name: 'Adjust stock' });
      await form.getByLabel('Location').selectOption('main');
      await form.getByRole('radio', { name: 'Counted quantity' }).check();
      await form.getByRole('spinbutton', { name: 'Counted quantity' }).fill(String(counted));
      // A reason of spaces passes the browser's check; the server's 400 shows beside the field.
      await form.getByLabel('Reason').fill('   ');
      await form.getByRole('button', { name: 'Adjust stock' }).click();
      await form.getByLabel('Reason').and(form.locator('[aria-invalid="true"]')).waitFor();
      expect(await form.locator('.field-error').count()).toBe(1);
      await form.getByLabel('Reason').fill(`cycle count ${size}`);
      await form.getByRole('button', { name: 'Adjust stock' }).click();
      const status = form.getByTestId('write-status');
      await status.locator('xpath=self::*[@data-state="pending" or @data-state="applied"]').waitFor();
      await form.locator('[data-testid="write-status"][data-state="applied"]').waitFor({ timeout: 30_000 });
      await page
        .locator('[data-testid="sku-location"][data-location="main"] [data-testid="figure-on-hand"]')
        .filter({ hasText: new RegExp(`^${counted}$`) })
        .waitFor({ timeout: 15_000 });
      // The movement lists who and why.
      await page
        .getByTestId('movement')
        .filter({ hasText: `cycle count ${size}` })
        .filter({ hasText: email('warehouse') })
        .first()
        .waitFor({ timeout: 30_000 });

      await page.goBack();
      await page
        .locator('[data-testid="inventory-row"][data-sku="WALL-03"][data-location="main"] [data-testid="cell-on-hand"]')
        .filter({ hasText: new RegExp(`^${counted}$`) })
        .waitFor({ timeout: 15_000 });
      await wall
        .locator('[data-testid="stock-row"][data-sku="WALL-03"][data-location="main"] [data-testid="on-hand"]')
        .filter({ hasText: new RegExp(`^${counted}$`) })
        .waitFor({ timeout: 15_000 });
      const sideways = await page.evaluate(() => {
        const main = document.getElementById('console-main');
        return main.scrollWidth > main.clientWidth + 1;
      });
      expect(sideways).toBe(false);
      await wall.close();
      await page.close();
    }, 120_000);

    it(`viewer at ${size}: sees figures and alerts but no form and no acknowledge button`, async () => {
      const page = await signedIn('viewer', 'inventory/WALL-03', viewport);
      await page.getByTestId('sku-location').first().waitFor();
      await settle(page);
      expect(await page.getByRole('form').count()).toBe(0);
      expect(await page.getByRole('button', { name: /acknowledge/i }).count()).toBe(0);
      await page.getByRole('link', { name: /^Alerts/ }).click();
      await page.getByTestId('console-alert').first().waitFor();
      expect(await page.getByRole('button', { name: /acknowledge/i }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
      await page.close();
    }, 60_000);

    it(`admin at ${size}: edits a product's name and price, the stock stays as it was`, async () => {
      const sku = viewport === DESK ? 'WALL-05' : 'WALL-06';
      const name = `Renamed ${size}`;
      const before = (await stack.get(`/api/v1/stock/${sku}`)).body;
      const page = await signedIn('admin', `inventory/${sku}`, viewport);
      const form = page.getByRole('form', { name: 'Edit product' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Unit price').fill('19.95');
      await form.getByRole('button', { name: 'Save product' }).click();
      await form.locator('[data-testid="write-status"][data-state="applied"]').waitFor({ timeout: 30_000 });
      // The catalogue record is MySQL's, written by the persist job a moment after the live apply.
      await page.getByRole('heading', { level: 1 }).filter({ hasText: name }).waitFor({ timeout: 60_000 });
      await page.getByTestId('product-price').filter({ hasText: '19.95' }).waitFor({ timeout: 30_000 });
      // Reading the newer stored product keeps the form and the save's status.
      expect(await form.locator('[data-testid="write-status"][data-state="applied"]').count()).toBe(1);
      const after = (await stack.get(`/api/v1/stock/${sku}`)).body;
      const figures = (body: { locations: { location: string; onHand: number }[] }) =>
        body.locations.map((row) => `${row.location}=${row.onHand}`).sort();
      expect(figures(after)).toEqual(figures(before));

      const reorder = page.getByRole('form', { name: 'Set reorder point' });
      await reorder.getByLabel('Location').selectOption('north');
      await reorder.getByRole('spinbutton', { name: 'Reorder point' }).fill('25');
      await reorder.getByRole('button', { name: 'Set reorder point' }).click();
      await reorder.locator('[data-testid="write-status"][data-state="applied"]').waitFor({ timeout: 30_000 });
      await page
        .locator('[data-testid="sku-location"][data-location="north"] td')
        .filter({ hasText: /^25$/ })
        .waitFor({ timeout: 15_000 });

      await page.getByRole('link', { name: 'Inventory', exact: true }).first().click();
      await page.getByRole('button', { name: 'New product' }).click();
      const create = page.getByRole('form', { name: 'New product' });
      const newSku = `NEW-${viewport.width}`;
      await create.getByLabel('SKU').fill(newSku);
      await create.getByLabel('Name').fill('Console Kettle');
      await create.getByLabel('Unit price').fill('24.00');
      await create.getByLabel('Opening quantity').fill('12');
      await create.getByRole('combobox', { name: 'Location' }).fill('main');
      await create.getByRole('button', { name: 'Add product' }).click();
      await create.locator('[data-testid="write-status"][data-state="applied"]').waitFor({ timeout: 30_000 });
      await page
        .locator(`[data-testid="inventory-row"][data-sku="${newSku}"] [data-testid="cell-on-hand"]`)
        .filter({ hasText: /^12$/ })
        .waitFor({ timeout: 15_000 });
      await page.close();
    }, 150_000);
  }

  it('acknowledges an alert on /alerts and every open page shows it acknowledged', async () => {
    const alerts = await signedIn('warehouse', 'alerts');
    const first = alerts.locator('[data-testid="console-alert"][data-status="open"]').first();
    await first.waitFor();
    const id = await first.getAttribute('data-alert-id');
    // The other page: the SKU page of the alert, on a phone, signed in as someone else.
    const other = await signedIn('viewer', `inventory/${await first.getAttribute('data-sku')}`, PHONE);
    await other.locator(`[data-testid="console-alert"][data-alert-id="${id}"][data-status="open"]`).waitFor();
    await first.getByRole('button', { name: /^Acknowledge/ }).click();
    await alerts.locator(`[data-testid="console-alert"][data-alert-id="${id}"][data-status="acknowledged"]`).waitFor();
    await other
      .locator(`[data-testid="console-alert"][data-alert-id="${id}"][data-status="acknowledged"]`)
      .waitFor({ timeout: 15_000 });
    await alerts.close();
    await other.close();
  }, 60_000);

  it('admin adds a user, changes the role, disables them and their open page signs out; makes and revokes a display token', async () => {
    const admin = await signedIn('admin', 'admin');
    const users = admin.getByRole('form', { name: 'New user' });
    await users.getByLabel('E-mail').fill('picker@console.test');
    await users.getByLabel('Role').selectOption('viewer');
    await users.getByLabel('Password').fill(PASSWORD);
    await users.getByRole('button', { name: 'Add user' }).click();
    await admin.locator('[data-testid="user"][data-email="picker@console.test"]').waitFor();
    await admin.getByLabel('Role of picker@console.test').selectOption('warehouse');
    await eventually(
      async () => {
        const { body } = await stack.get('/api/v1/users', 'admin');
        const user = body.users.find((entry: { email: string }) => entry.email === 'picker@console.test');
        return user?.role === 'warehouse' ? true : undefined;
      },
      15_000,
      'the new role stored',
    );

    const picker = await browser.newPage({ viewport: PHONE });
    await picker.goto(`${stack.apiUrl}/login`);
    await picker.getByLabel('E-mail').fill('picker@console.test');
    await picker.getByLabel('Password').fill(PASSWORD);
    await picker.getByRole('button', { name: 'Sign in' }).click();
    await picker.waitForURL((url) => url.pathname === '/inventory');
    await picker.getByTestId('signed-in-role').filter({ hasText: 'warehouse' }).waitFor();

    await admin.getByRole('button', { name: 'Disable picker@console.test' }).click();
    await admin.locator('[data-testid="user"][data-email="picker@console.test"][data-disabled="true"]').waitFor();
    await picker.waitForURL(/\/login/, { timeout: 15_000 });
    await picker
      .getByRole('alert')
      .filter({ hasText: /sign in again|disabled|ended/i })
      .first()
      .waitFor();

    const tokens = admin.getByRole('form', { name: 'New display token' });
    await tokens.getByLabel('Screen name').fill('dock-tv');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const url = await admin.getByTestId('new-token-url').inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+\.[\w-]+\.[\w-]+$/);
    await admin.getByTestId('display-token').filter({ hasText: 'dock-tv' }).waitFor();
    const token = url.split('#token=')[1];
    const wallRead = async () =>
      (await fetch(`${stack.apiUrl}/api/v1/stock?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await wallRead()).toBe(200);
    await admin.getByRole('button', { name: 'Revoke dock-tv' }).click();
    await admin.getByTestId('display-token').filter({ hasText: 'dock-tv' }).waitFor({ state: 'detached' });
    expect(await eventually(async () => ((await wallRead()) === 401 ? 401 : undefined), 15_000, 'revoked')).toBe(401);
    await picker.close();
    await admin.close();
  }, 90_000);

  it('scans a barcode into the search where the browser has a BarcodeDetector, and hides the button where not', async () => {
    const plain = await signedIn('viewer', 'inventory', PHONE);
    await plain.getByTestId('inventory-row').first().waitFor();
    expect(await plain.getByRole('button', { name: 'Scan barcode' }).count()).toBe(0);
    await plain.close();

    const page = await browser.newPage({ viewport: PHONE });
    // A camera and a detector that reads WALL-07 off it, as a phone's would.
    await page.addInitScript(() => {
      const scope = globalThis as any;
      scope.BarcodeDetector = class {
        async detect() {
          return [{ rawValue: 'WALL-07', format: 'code_128' }];
        }
      };
      scope.navigator.mediaDevices.getUserMedia = async () => {
        const canvas = scope.document.createElement('canvas');
        canvas.getContext('2d').fillRect(0, 0, 10, 10);
        return canvas.captureStream(5);
      };
    });
    await page.goto(`${stack.apiUrl}/login?next=%2Finventory`);
    await page.getByLabel('E-mail').fill(email('viewer'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('inventory-row').first().waitFor();
    await page.getByRole('button', { name: 'Scan barcode' }).click();
    await page.waitForFunction(
      () => (document.querySelector('input[type="search"]') as { value: string } | null)?.value === 'WALL-07',
    );
    await page.locator('[data-testid="inventory-row"][data-sku="WALL-07"]').first().waitFor();
    expect(await page.getByTestId('inventory-row').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Scan barcode' }).getAttribute('aria-pressed')).toBe('false');
    await page.close();
  }, 60_000);

  it('exports the inventory as CSV', async () => {
    const page = await signedIn('viewer', 'inventory');
    await page.getByTestId('inventory-row').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'sku,name,location,onHand,committed,available,reorderPoint,belowReorderPoint,projectedRunOutAt',
    );
    const { body } = await stack.get('/api/v1/stock?limit=1000');
    expect(lines).toHaveLength(body.rows.length + 1);
    await page.close();
  }, 60_000);

  it('has no serious or critical accessibility violations on any view, desk or phone', async () => {
    const login = await browser.newPage({ viewport: DESK });
    await login.goto(`${stack.apiUrl}/login`);
    await login.getByLabel('E-mail').waitFor();
    expect({ view: 'login', violations: await seriousAxeViolations(login) }).toEqual({ view: 'login', violations: [] });
    await login.close();
    for (const viewport of [DESK, PHONE]) {
      const page = await signedIn('admin', 'inventory', viewport);
      for (const view of VIEWS) {
        await page.goto(`${stack.apiUrl}/${view}`);
        await readyView(page, view);
        const found = { view, width: viewport.width, violations: await seriousAxeViolations(page) };
        expect(found).toEqual({ ...found, violations: [] });
      }
      await page.close();
    }
  }, 180_000);

  it('is screenshot at 1366×768, 1920×1080, 3840×2160 and 390×844 with nothing scrolling sideways', async () => {
    for (const size of SIZES) {
      const login = await browser.newPage({ viewport: size });
      await login.goto(`${stack.apiUrl}/login`);
      await login.getByLabel('E-mail').waitFor();
      await login.screenshot({ path: path.join(ARTIFACTS, `login-${size.width}x${size.height}.png`) });
      await login.close();
      const page = await signedIn('admin', 'inventory', size);
      for (const view of VIEWS) {
        await page.goto(`${stack.apiUrl}/${view}`);
        await readyView(page, view);
        const sideways = await page.evaluate(() => {
          const main = document.getElementById('console-main');
          return main.scrollWidth > main.clientWidth + 1;
        });
        expect({ view, size, sideways }).toEqual({ view, size, sideways: false });
        const name = view.replace('/', '-');
        const file = path.join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`);
        await page.screenshot({ path: file });
        if (size.width < 700) {
          // The console scrolls inside its own box: the whole page too, in a viewport as tall as it.
          const height = await page.evaluate(() => document.getElementById('console-main').scrollHeight);
          await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 4000) });
          await settle(page);
          await page.screenshot({ path: file.replace('.png', '-full.png') });
          await page.setViewportSize(size);
        }
      }
      await page.close();
    }
    if (!README_IMAGES) return;
    mkdirSync(README_IMAGES, { recursive: true });
    for (const [file, name] of [
      ['inventory-1920x1080.png', 'console-inventory-1920x1080.png'],
      ['inventory-WALL-03-1920x1080.png', 'console-sku-1920x1080.png'],
      ['inventory-WALL-03-390x844.png', 'console-sku-390x844.png'],
    ]) {
      copyFileSync(path.join(ARTIFACTS, file), path.join(README_IMAGES, name));
    }
  }, 300_000);
});
