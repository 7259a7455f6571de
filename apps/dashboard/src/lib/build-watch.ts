/** The build this page runs, written into the bundle and into index.html by the Vite config. */
declare const __STOCKWALL_BUILD__: string;
export const RUNNING_BUILD: string = typeof __STOCKWALL_BUILD__ === 'string' ? __STOCKWALL_BUILD__ : '';

const BUILD_META = /<meta\s+name="stockwall-build"\s+content="([^"]*)"/;
const CHECK_EVERY_MS = 5 * 60_000;

/** The build id a served index.html names; null when it names none. */
export function buildOf(html: string): string | null {
  return BUILD_META.exec(html)?.[1] || null;
}

/** Reads the served page (never from cache) and reloads this one when it names another build. */
export async function reloadIfNewBuild(reload: () => void = () => location.reload()): Promise<boolean> {
  if (!RUNNING_BUILD) return false;
  try {
    const response = await fetch('/', { cache: 'no-store', headers: { accept: 'text/html' } });
    if (!response.ok) return false;
    const served = buildOf(await response.text());
    if (served === null || served === RUNNING_BUILD) return false;
    reload();
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks now and then every few minutes; `reconnected` is called by the page each time the
 * socket comes back (a deploy restarts the API, so that is when a new build appears).
 */
export function watchBuild(): { reconnected(): void; stop(): void } {
  const timer = setInterval(() => void reloadIfNewBuild(), CHECK_EVERY_MS);
  return {
    reconnected: () => void reloadIfNewBuild(),
    stop: () => clearInterval(timer),
  };
}
