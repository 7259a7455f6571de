import type { KpiWindow } from '@stockwall/contracts';
import { isKpiWindow, isSourceCode } from './kpi-filters';

/** The wall's views, in playlist order. */
export const WALL_VIEWS = ['overview', 'stock', 'alerts', 'sources'] as const;
export type WallView = (typeof WALL_VIEWS)[number];

export type WallTheme = 'dark' | 'light';

/** What a kiosk URL asks for: `?location=&source=&window=&theme=&view=&rotate=&page=`. */
export interface KioskOptions {
  location?: string;
  source?: string;
  window?: KpiWindow;
  theme: WallTheme;
  /** The views the screen shows, in turn when `rotateMs` is set; the first one is shown first. */
  playlist: WallView[];
  /** How long each view stays before the next; null: no rotation. */
  rotateMs: number | null;
  /** How long each page of the stock table stays before the next. */
  pageMs: number;
}

export const DEFAULT_PAGE_MS = 10_000;
/** Shorter rotations would not leave a view on screen long enough to read. */
const MIN_ROTATE_MS = 3_000;

function isWallView(value: string): value is WallView {
  return (WALL_VIEWS as readonly string[]).includes(value);
}

/** "30s", "2m", "1500ms", "45" (seconds) → ms; null when unreadable. */
export function parseDuration(text: string | null): number | null {
  if (text === null) return null;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim().toLowerCase());
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1_000;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}

/**
 * Reads the kiosk parameters; anything unreadable falls back to the default. `view` is one view
 * or a comma list; with `rotate` and a single view the playlist is every view, starting there.
 */
export function readKioskOptions(search: string): KioskOptions {
  const params = new URLSearchParams(search);
  const location = params.get('location')?.trim() || undefined;
  const source = params.get('source')?.trim();
  const window = params.get('window');
  const theme = params.get('theme') === 'light' ? 'light' : 'dark';
  const rotate = parseDuration(params.get('rotate'));
  const rotateMs = rotate === null ? null : Math.max(MIN_ROTATE_MS, rotate);
  const views = (params.get('view') ?? '')
    .split(',')
    .map((view) => view.trim().toLowerCase())
    .filter(isWallView);
  const unique = [...new Set(views)];
  let playlist: WallView[];
  if (unique.length === 0) playlist = rotateMs === null ? ['overview'] : [...WALL_VIEWS];
  else if (unique.length === 1 && rotateMs !== null) {
    const start = WALL_VIEWS.indexOf(unique[0]);
    playlist = [...WALL_VIEWS.slice(start), ...WALL_VIEWS.slice(0, start)];
  } else playlist = unique;
  return {
    location,
    source: source && isSourceCode(source) ? source : undefined,
    window: isKpiWindow(window) ? window : undefined,
    theme,
    playlist,
    rotateMs: playlist.length > 1 ? rotateMs : null,
    pageMs: Math.max(MIN_ROTATE_MS, parseDuration(params.get('page')) ?? DEFAULT_PAGE_MS),
  };
}

/** The search string with `view` set (other parameters kept), for links between views. */
export function searchWithView(search: string, view: WallView): string {
  const params = new URLSearchParams(search);
  params.set('view', view);
  return `?${params.toString()}`;
}
