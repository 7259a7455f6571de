import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, ConsoleBrowser, DESK, email, PASSWORD, PHONE, settle } from './support/console-browser';
import { eventually } from './support/test-stack';
import { seriousAxeViolations } from './support/wall-browser';

// Browser globals of the page.evaluate callbacks below.
declare const document: any;

const SIZES = [DESK, { width: 1920, height: 1080 }, { width: 3840, height: 2160 }, PHONE];
/** `CONSOLE_README_IMAGES=docs/images` also refreshes the README's screenshots. */
const README_IMAGES = process.env.CONSOLE_README_IMAGES;
const VIEWS = ['inventory', 'inventory/WALL-03', 'alerts', 'admin'] as const;

/**
 * The ops console in Debian's Chromium against the whole system: an admin manages users and display
 * tokens, a phone scans a barcode, the inventory exports as CSV; axe-core finds nothing serious on
 * any view; every view is screenshot at four sizes (dist/test-artifacts/console).
 */
describe('Ops console: admin, barcode, export, accessibility and screenshots, on a desk and a phone', () => {
  const world = ConsoleBrowser.forThisFile();

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

  it('admin adds a user, changes the role, disables them and their open page signs out; makes and revokes a display token', async () => {
    const admin = await world.signedIn('admin', 'admin');
    const users = admin.getByRole('form', { name: 'New user' });
    await users.getByLabel('E-mail').fill('picker@console.test');
    await users.getByLabel('Role').selectOption('viewer');
    await users.getByLabel('Password').fill(PASSWORD);
    await users.getByRole('button', { name: 'Add user' }).click();
    await admin.locator('[data-testid="user"][data-email="picker@console.test"]').waitFor();
    await admin.getByLabel('Role of picker@console.test').selectOption('warehouse');
    await eventually(
      async () => {
        const { body } = await world.stack.get('/api/v1/users', 'admin');
        const user = body.users.find((entry: { email: string }) => entry.email === 'picker@console.test');
        return user?.role === 'warehouse' ? true : undefined;
      },
      15_000,
      'the new role stored',
    );

    const picker = await world.browser.newPage({ viewport: PHONE });
    await picker.goto(`${world.stack.apiUrl}/login`);
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
      (await fetch(`${world.stack.apiUrl}/api/v1/stock?limit=1`, { headers: { authorization: `Bearer ${token}` } }))
        .status;
    expect(await wallRead()).toBe(200);
    await admin.getByRole('button', { name: 'Revoke dock-tv' }).click();
    await admin.getByTestId('display-token').filter({ hasText: 'dock-tv' }).waitFor({ state: 'detached' });
    expect(await eventually(async () => ((await wallRead()) === 401 ? 401 : undefined), 15_000, 'revoked')).toBe(401);
    await picker.close();
    await admin.close();
  }, 90_000);

  it('scans a barcode into the search where the browser has a BarcodeDetector, and hides the button where not', async () => {
    const plain = await world.signedIn('viewer', 'inventory', PHONE);
    await plain.getByTestId('inventory-row').first().waitFor();
    expect(await plain.getByRole('button', { name: 'Scan barcode' }).count()).toBe(0);
    await plain.close();

    const page = await world.browser.newPage({ viewport: PHONE });
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
    await page.goto(`${world.stack.apiUrl}/login?next=%2Finventory`);
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
    const page = await world.signedIn('viewer', 'inventory');
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
    const { body } = await world.stack.get('/api/v1/stock?limit=1000');
    expect(lines).toHaveLength(body.rows.length + 1);
    await page.close();
  }, 60_000);

  it('has no serious or critical accessibility violations on any view, desk or phone', async () => {
    const login = await world.browser.newPage({ viewport: DESK });
    await login.goto(`${world.stack.apiUrl}/login`);
    await login.getByLabel('E-mail').waitFor();
    expect({ view: 'login', violations: await seriousAxeViolations(login) }).toEqual({ view: 'login', violations: [] });
    await login.close();
    for (const viewport of [DESK, PHONE]) {
      const page = await world.signedIn('admin', 'inventory', viewport);
      for (const view of VIEWS) {
        await page.goto(`${world.stack.apiUrl}/${view}`);
        await readyView(page, view);
        const found = { view, width: viewport.width, violations: await seriousAxeViolations(page) };
        expect(found).toEqual({ ...found, violations: [] });
      }
      await page.close();
    }
  }, 180_000);

  it('is screenshot at 1366×768, 1920×1080, 3840×2160 and 390×844 with nothing scrolling sideways', async () => {
    for (const size of SIZES) {
      const login = await world.browser.newPage({ viewport: size });
      await login.goto(`${world.stack.apiUrl}/login`);
      await login.getByLabel('E-mail').waitFor();
      await login.screenshot({ path: path.join(ARTIFACTS, `login-${size.width}x${size.height}.png`) });
      await login.close();
      const page = await world.signedIn('admin', 'inventory', size);
      for (const view of VIEWS) {
        await page.goto(`${world.stack.apiUrl}/${view}`);
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
