import type { KpisDelta } from '@stockwall/contracts';
import { acceptKpisDelta, kpisFromAck, type HeldKpis } from './kpi-state';
import type { FollowerLink, LiveFollower, SubscribedAck } from './live-connection.svelte';
import type { LiveSocket } from './live-socket';

/**
 * The KPIs of the subscribed window and source from the `/live` `kpis` channel: the snapshot of
 * each subscribe, then every `kpis.delta` (each one whole) whose version is not below the held
 * one. A `kpis.resync` asks the connection for a fresh subscribe.
 */
export class LiveKpiFeed implements LiveFollower {
  readonly channel = 'kpis';
  /** What the tiles show; null until the first snapshot. */
  current = $state.raw<HeldKpis | null>(null);

  #held: HeldKpis | null = null;

  attach(socket: LiveSocket, link: FollowerLink): void {
    socket.on(
      'kpis.delta',
      link.ordered((delta: KpisDelta, now) => {
        const next = acceptKpisDelta(this.#held, delta, now);
        if (next === this.#held) return;
        this.#held = next;
        // At most four a second per room: shown as they come.
        this.current = next;
      }),
    );
    socket.on('kpis.resync', () => link.resubscribe());
  }

  acknowledge(ack: SubscribedAck, now: number): void {
    this.#held = kpisFromAck(ack, now);
  }

  publish(): void {
    this.current = this.#held;
  }
}
