import { describe, expect, it } from '@jest/globals';
import { matchRoute, routedPath, safeNext, skuPath } from './console-routes';

const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
const link = (href: string) => ({ href, target: '', download: false });
const ORIGIN = 'http://stockwall.test';

describe(matchRoute.name, () => {
  it.each([
    ['/', { name: 'wall' }],
    ['/reports/', { name: 'reports' }],
    ['/login', { name: 'login' }],
    ['/inventory', { name: 'inventory' }],
    ['/inventory/', { name: 'inventory' }],
    ['/inventory/SKU-1', { name: 'sku', sku: 'SKU-1' }],
    ['/inventory/A%2FB%20C', { name: 'sku', sku: 'A/B C' }],
    ['/alerts', { name: 'alerts' }],
    ['/admin', { name: 'admin' }],
    ['/inventory/a/b', { name: 'not-found', path: '/inventory/a/b' }],
    ['/inventory/%E0%A4%A', { name: 'not-found', path: '/inventory/%E0%A4%A' }],
    ['/elsewhere', { name: 'not-found', path: '/elsewhere' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it('reads back the path skuPath writes', () => {
    expect(matchRoute(skuPath('A/B #1'))).toEqual({ name: 'sku', sku: 'A/B #1' });
  });
});

describe(safeNext.name, () => {
  it.each([
    [null, '/inventory'],
    ['/alerts', '/alerts'],
    ['/inventory/X?tab=1', '/inventory/X?tab=1'],
    ['//evil.test/alerts', '/inventory'],
    ['https://evil.test/', '/inventory'],
    ['/login', '/inventory'],
    ['/', '/inventory'],
  ])('%s → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe(routedPath.name, () => {
  it('routes a plain click on a console link', () => {
    expect(routedPath(click, link('/inventory/X?q=1'), ORIGIN)).toBe('/inventory/X?q=1');
    expect(routedPath(click, link(`${ORIGIN}/alerts`), ORIGIN)).toBe('/alerts');
  });

  it('leaves new tabs, other origins, downloads, the wall and the reports to the browser', () => {
    expect(routedPath({ ...click, ctrlKey: true }, link('/alerts'), ORIGIN)).toBeNull();
    expect(routedPath({ ...click, button: 1 }, link('/alerts'), ORIGIN)).toBeNull();
    expect(routedPath({ ...click, defaultPrevented: true }, link('/alerts'), ORIGIN)).toBeNull();
    expect(routedPath(click, { href: '/alerts', target: '_blank', download: false }, ORIGIN)).toBeNull();
    expect(routedPath(click, { href: '/alerts', target: '', download: true }, ORIGIN)).toBeNull();
    expect(routedPath(click, link('https://elsewhere.test/alerts'), ORIGIN)).toBeNull();
    expect(routedPath(click, link('/'), ORIGIN)).toBeNull();
    expect(routedPath(click, link('/reports'), ORIGIN)).toBeNull();
    expect(routedPath(click, link('/elsewhere'), ORIGIN)).toBeNull();
  });
});
