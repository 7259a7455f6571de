import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import type { WireEvent } from '@stockwall/contracts';
import { aFulfilment, anOrder, aProductAdded } from '../factories/wire-events';

// Browser globals of the page.evaluate callbacks below: they run in Chromium, while the tests
// compile without the DOM library.
declare const document: any;
declare const window: any;
declare const innerWidth: number;
declare const innerHeight: number;
declare function getComputedStyle(element: any): any;
type Element = any;
type Document = any;

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');
export const DASHBOARD_DIR = path.join(ROOT, 'dist', 'dashboard');

/** Debian's Chromium, headless, never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
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
}

/** Builds the dashboard when no build is there, so a plain `npm test` has one to serve. */
export function ensureDashboardBuilt(): void {
  if (existsSync(path.join(DASHBOARD_DIR, 'index.html'))) return;
  execFileSync(
    process.execPath,
    // vite's package exports do not list its bin; find it beside its package.json.
    [
      path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
      'build',
      '--config',
      'apps/dashboard/vite.config.ts',
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
}

export interface FitProblems {
  /** The page scrolls (a TV cannot). */
  pageScroll: { scrollWidth: number; scrollHeight: number; innerWidth: number; innerHeight: number } | null;
  /** Elements whose text is wider than their box. */
  clipped: string[];
  /** Elements drawn (partly) outside the screen, and rows cut off by their panel. */
  offscreen: string[];
}

/**
 * What does not fit on the wall as shown: the page scrolling, text cut in tiles, cells, headers,
 * alerts and labels (`scrollWidth > clientWidth`), and marked elements hanging off the screen.
 */
export async function fitProblems(page: Page, options: { checkClipping?: boolean } = {}): Promise<FitProblems> {
  return page.evaluate((checkClipping) => {
    const root = document.scrollingElement ?? document.documentElement;
    const scrolls = root.scrollWidth > innerWidth || root.scrollHeight > innerHeight;
    const describe = (element: Element) => {
      const testid = element.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
      return `${testid} ${element.tagName.toLowerCase()}.${[...element.classList].filter((name) => !name.startsWith('svelte-')).join('.')} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
    };
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    };
    const textual = [
      '.tile .value',
      '.tile .label',
      '.tile .trend',
      '.tile .hint',
      '[role="cell"]',
      '[role="columnheader"]',
      '[data-testid="alert-item"] > span',
      '[data-testid="alert-item"] > time',
      '[data-testid="top-seller"] > span',
      '.panel-title',
      'header h1',
      'header button',
      'header dd',
      '[data-testid="freshness"]',
      '[data-testid="kpi-range"]',
      '[data-testid="stale-banner"] .text',
      '[data-testid="stock-page"]',
    ];
    const clipped = checkClipping
      ? [...document.querySelectorAll(textual.join(','))]
          .filter((element) => visible(element) && element.scrollWidth > element.clientWidth + 1)
          .map((element) => `${describe(element)} (${element.scrollWidth} > ${element.clientWidth})`)
      : [];
    const offscreen = [...document.querySelectorAll('[data-testid], [role="row"], canvas')]
      .filter(visible)
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.right > innerWidth + 1 || box.bottom > innerHeight + 1 || box.left < -1 || box.top < -1;
      })
      .map((element) => {
        const box = element.getBoundingClientRect();
        return `${describe(element)} (${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)})`;
      });
    // Rows and alerts cut off at the bottom of a panel that hides its overflow (a table page too long).
    const cutRows = [...document.querySelectorAll('[role="row"], [data-testid="alert-item"]')]
      .filter(visible)
      .filter((element) => {
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
          const style = getComputedStyle(parent);
          if (style.overflowY === 'visible' && style.overflowX === 'visible') continue;
          return element.getBoundingClientRect().bottom > parent.getBoundingClientRect().bottom + 1;
        }
        return false;
      })
      .map((element) => `${describe(element)} is cut off at the bottom of its panel`);
    return {
      pageScroll: scrolls
        ? { scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight, innerWidth, innerHeight }
        : null,
      clipped,
      offscreen: [...offscreen, ...cutRows],
    };
  }, options.checkClipping ?? true);
}

/** The serious and critical accessibility violations axe-core finds on the page as shown. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<any> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map(
      (violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
      }),
    );
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.targets.join(', ')})`);
}

export const WALL_SOURCES = ['web', 'app', 'marketplace', 'store-leeds'] as const;
const NAMES = ['Enamel Teapot', 'Linen Blanket', 'Travel Mug', 'Bamboo Lamp', 'Copper Kettle', 'Retro Clock'];

/**
 * A believable last 40 minutes for the wall: a catalogue at two locations and orders from four
 * sources, placed and shipped, every event before `now`. WALL-01 at main sells fastest and ends
 * `headroom` units above its reorder point (10). Returns the events and how many orders they hold.
 */
export function wallTraffic(
  now: number,
  options: { skus?: number; headroom?: number } = {},
): { events: WireEvent[]; orders: number } {
  const skus = options.skus ?? 12;
  const headroom = options.headroom ?? 4;
  const start = now - 40 * 60_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const sku = (index: number) => `WALL-${String(index + 1).padStart(2, '0')}`;
  const sales: WireEvent[] = [];
  const sold = new Map<string, number>();
  let orders = 0;
  for (let minute = 1; minute < 40; minute++) {
    // Busier towards now, so the chart has a shape.
    const count = 1 + (minute % 3) + Math.floor(minute / 15);
    for (let index = 0; index < count; index++) {
      const time = start + minute * 60_000 + index * 7_000;
      const source = WALL_SOURCES[(minute + index) % WALL_SOURCES.length];
      const location = index % 3 === 2 ? 'north' : 'main';
      const lines = [
        { sku: sku(0), quantity: 1, unit_price: '9.50' },
        ...(index % 2 === 0
          ? [{ sku: sku(1 + ((minute + index) % (skus - 1))), quantity: 2, unit_price: '12.75' }]
          : []),
      ];
      for (const line of lines)
        sold.set(`${line.sku}@${location}`, (sold.get(`${line.sku}@${location}`) ?? 0) + line.quantity);
      const common = { orderId: `WO-${minute}-${index}`, source, location };
      sales.push(
        anOrder({ id: `WO-${minute}-${index}-placed`, ...common, occurredAt: at(time), lines }),
        aFulfilment({
          id: `WO-${minute}-${index}-shipped`,
          ...common,
          occurredAt: at(time + 2_000),
          lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        }),
      );
      orders++;
    }
  }
  const catalogue: WireEvent[] = [];
  for (let index = 0; index < skus; index++) {
    for (const location of ['main', 'north']) {
      const spare = index === 0 && location === 'main' ? 10 + headroom : 60 + index * 7;
      catalogue.push(
        aProductAdded({
          id: `wall-${sku(index)}-${location}`,
          location,
          source: 'catalog',
          sku: sku(index),
          name: NAMES[index % NAMES.length],
          quantity: (sold.get(`${sku(index)}@${location}`) ?? 0) + spare,
          at: at(start),
          unitPrice: (9.5 + index * 3.25).toFixed(2),
          unitCost: (5 + index * 1.5).toFixed(2),
          reorderPoint: 10,
        }),
      );
    }
  }
  return { events: [...catalogue, ...sales], orders };
}

/** Renders the page as a person with deuteranopia sees it (Machado et al. 2009, severity 1). */
export async function simulateDeuteranopia(page: Page): Promise<void> {
  await page.evaluate(() => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('style', 'position:absolute;width:0;height:0');
    svg.innerHTML =
      '<filter id="deuteranopia" color-interpolation-filters="linearRGB"><feColorMatrix type="matrix" values="' +
      '0.367322 0.860646 -0.227968 0 0 0.280085 0.672501 0.047413 0 0 -0.011820 0.042940 0.968881 0 0 0 0 0 1 0"/></filter>';
    document.body.appendChild(svg);
    document.documentElement.style.filter = 'url(#deuteranopia)';
  });
}
