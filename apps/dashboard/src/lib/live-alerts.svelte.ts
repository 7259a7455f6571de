import type { AlertMessage } from '@stockwall/contracts';
import { addAlert, mergeAlerts, type FeedAlert } from './alert-feed';
import type { FollowerLink, LiveFollower, SubscribedAck } from './live-connection.svelte';
import type { LiveSocket } from './live-socket';

/**
 * Stock alerts (low stock, out of stock, back in stock) from the `/live` `alerts` channel, newest
 * first and bounded. Each subscribe's snapshot carries the latest alerts, so those raised while
 * this screen was disconnected join the feed on reconnect; an alert is held once, by id.
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

  acknowledge(ack: SubscribedAck, now: number): void {
    const merged = mergeAlerts(this.items, ack.snapshot.alerts ?? [], now);
    if (merged !== this.items) this.items = merged;
  }

  publish(): void {}
}
