import type { AlertMessage } from '@stockwall/contracts';
import { addAlert, type FeedAlert } from './alert-feed';
import type { FollowerLink, LiveFollower } from './live-connection.svelte';
import type { LiveSocket } from './live-socket';

/**
 * Stock alerts (low stock, out of stock, back in stock) from the `/live` `alerts` channel, newest
 * first and bounded. Alerts are events, not state: a snapshot does not carry them, so the feed
 * holds what arrived while this screen was connected.
 */
export class LiveAlerts implements LiveFollower {
  readonly channel = 'alerts';
  items = $state.raw<FeedAlert[]>([]);

  attach(socket: LiveSocket, link: FollowerLink): void {
    socket.on(
      'alert',
      link.immediate((message: AlertMessage, now) => {
        this.items = addAlert(this.items, message.alert, now);
      }),
    );
  }

  acknowledge(): void {}

  publish(): void {}
}
