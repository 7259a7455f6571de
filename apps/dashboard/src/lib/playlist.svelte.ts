import type { WallView } from './kiosk';

/**
 * The view on screen: the first of the playlist, then the next one every `rotateMs` when set.
 * Choosing a view by hand shows it and restarts the count (rotation goes on from there).
 */
export class Playlist {
  view = $state<WallView>('overview');
  /** Epoch ms when the current view came on screen. */
  since = $state(Date.now());
  readonly views: readonly WallView[];
  readonly rotateMs: number | null;

  constructor(views: readonly WallView[], rotateMs: number | null) {
    this.views = views.length > 0 ? views : ['overview'];
    this.rotateMs = rotateMs;
    this.view = this.views[0];
  }

  /** Starts rotating (when asked to); the returned function stops. */
  start(): () => void {
    const rotateMs = this.rotateMs;
    if (rotateMs === null) return () => {};
    const timer = setInterval(() => {
      if (Date.now() - this.since < rotateMs) return;
      const at = this.views.indexOf(this.view);
      this.show(this.views[(at + 1) % this.views.length]);
    }, 200);
    return () => clearInterval(timer);
  }

  show(view: WallView): void {
    this.view = view;
    this.since = Date.now();
  }
}
