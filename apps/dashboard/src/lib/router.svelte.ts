import { matchRoute, routedPath, type ConsoleRoute } from './console-routes';

/**
 * The console's client-side router on the History API: the route follows the address bar, links
 * to console pages are followed without loading the page again, Back and Forward work.
 */
export class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  readonly route: ConsoleRoute = $derived(matchRoute(this.path));

  navigate(to: string, options: { replace?: boolean } = {}): void {
    const url = new URL(to, location.origin);
    const target = `${url.pathname}${url.search}${url.hash}`;
    if (options.replace) history.replaceState(history.state, '', target);
    else history.pushState(null, '', target);
    this.#sync();
    if (!options.replace) document.getElementById('console-main')?.scrollTo(0, 0);
  }

  /** Follows the address bar and intercepts clicks on console links; returns the function that stops it. */
  listen(): () => void {
    const onPopState = () => this.#sync();
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!link) return;
      const path = routedPath(
        event,
        { href: link.getAttribute('href') ?? '', target: link.target, download: link.hasAttribute('download') },
        location.origin,
      );
      if (path === null) return;
      event.preventDefault();
      this.navigate(path);
    };
    window.addEventListener('popstate', onPopState);
    document.addEventListener('click', onClick);
    return () => {
      window.removeEventListener('popstate', onPopState);
      document.removeEventListener('click', onClick);
    };
  }

  #sync(): void {
    this.path = location.pathname;
    this.search = location.search;
  }
}
