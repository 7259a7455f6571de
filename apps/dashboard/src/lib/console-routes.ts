/** The console's pages and the wall's, as the browser's path names them. */
export type ConsoleRoute =
  | { name: 'wall' }
  | { name: 'reports' }
  | { name: 'login' }
  | { name: 'inventory' }
  | { name: 'sku'; sku: string }
  | { name: 'alerts' }
  | { name: 'admin' }
  | { name: 'not-found'; path: string };

/** The route of a path ("/inventory/ABC-1/" → the SKU page of ABC-1). */
export function matchRoute(pathname: string): ConsoleRoute {
  const path = pathname.replace(/\/+$/, '') || '/';
  switch (path) {
    case '/':
      return { name: 'wall' };
    case '/reports':
      return { name: 'reports' };
    case '/login':
      return { name: 'login' };
    case '/inventory':
      return { name: 'inventory' };
    case '/alerts':
      return { name: 'alerts' };
    case '/admin':
      return { name: 'admin' };
  }
  const sku = /^\/inventory\/([^/]+)$/.exec(path)?.[1];
  if (sku) {
    try {
      return { name: 'sku', sku: decodeURIComponent(sku) };
    } catch {
      return { name: 'not-found', path };
    }
  }
  return { name: 'not-found', path };
}

/** The path of a SKU's page. */
export function skuPath(sku: string): string {
  return `/inventory/${encodeURIComponent(sku)}`;
}

/**
 * The wall and the reports are whole pages of their own: links to them load the page. Any other
 * path the server answers with the app shows the wall, as it always has.
 */
export function isConsoleRoute(route: ConsoleRoute): boolean {
  return route.name !== 'wall' && route.name !== 'reports' && route.name !== 'not-found';
}

/** Where `/login?next=…` may send the user back to: a console page on this origin, else /inventory. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/inventory';
  const route = matchRoute(next.split(/[?#]/)[0]);
  return isConsoleRoute(route) && route.name !== 'login' ? next : '/inventory';
}

export interface LinkClick {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

/**
 * The path a click on a link should route to inside the console, or null when the browser should
 * follow it itself (another origin, a new tab, a download, the wall or the reports).
 */
export function routedPath(
  click: LinkClick,
  link: { href: string; target: string; download: boolean },
  origin: string,
): string | null {
  if (click.defaultPrevented || click.button !== 0) return null;
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return null;
  if ((link.target && link.target !== '_self') || link.download) return null;
  let url: URL;
  try {
    url = new URL(link.href, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  if (!isConsoleRoute(matchRoute(url.pathname))) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
