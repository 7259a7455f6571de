import type { KpisDelta, LiveKpis } from '@stockwall/contracts';
import type { FollowerLink, LiveFollower, SubscribedAck } from './live-connection.svelte';
import type { LiveSocket } from './live-socket';
import { alignDown, every, getJson, MINUTE_MS, type KpiHistoryPage } from './rest-api';
import {
  mergeHistory,
  pruneBefore,
  salesColumns,
  withLiveMinute,
  type MinuteSales,
  type SalesColumns,
} from './sales-series';

/** Minutes the chart shows. */
export const SALES_CHART_MINUTES = 60;
/** How often the per-minute history is read again (late events, minutes the socket missed). */
const HISTORY_REFRESH_MS = 60_000;

/**
 * Orders and revenue per minute for the last hour: seeded from `GET /api/v1/kpis/history?interval=1m`
 * and kept live by the `kpis` channel's `1m` window, which is the watermark's minute. It follows
 * its own `/live` subscription (window `1m`), so the tiles' window can be anything.
 */
export class SalesPerMinute implements LiveFollower {
  readonly channel = 'kpis';
  columns = $state.raw<SalesColumns>({ minutes: [], orders: [], revenue: [] });
  /** When history was last read (epoch ms); null before the first read. */
  historyAt = $state<number | null>(null);
  error = $state<string | null>(null);

  #held = new Map<number, MinuteSales>();
  #version = -1;
  #watermark: string | null = null;

  attach(socket: LiveSocket, link: FollowerLink): void {
    socket.on(
      'kpis.delta',
      link.ordered((delta: KpisDelta) => {
        if (delta.version < this.#version || delta.kpis.window !== '1m') return;
        this.#version = delta.version;
        this.#live(delta.watermark, delta.kpis);
      }),
    );
    socket.on('kpis.resync', () => link.resubscribe());
  }

  acknowledge(ack: SubscribedAck): void {
    const snapshot = ack.snapshot.kpis;
    if (!snapshot) return;
    this.#version = snapshot.version;
    this.#live(snapshot.watermark, snapshot.kpis);
  }

  publish(): void {}

  /** Reads the last hour's history now and every minute; the returned function stops. */
  start(token: string, source: string | undefined): () => void {
    return every(HISTORY_REFRESH_MS, async (signal) => {
      const end = this.#lastMinute() + MINUTE_MS;
      try {
        const page = await getJson<KpiHistoryPage>(
          token,
          '/api/v1/kpis/history',
          {
            interval: '1m',
            from: new Date(end - SALES_CHART_MINUTES * MINUTE_MS).toISOString(),
            to: new Date(end).toISOString(),
            source,
            limit: SALES_CHART_MINUTES,
          },
          signal,
        );
        this.#held = mergeHistory(this.#held, page.items);
        this.historyAt = Date.now();
        this.error = null;
        this.#show();
      } catch (error) {
        if (!signal.aborted) this.error = (error as Error).message;
        throw error;
      }
    });
  }

  #live(watermark: string | null, kpis: LiveKpis): void {
    if (watermark !== null) this.#watermark = watermark;
    this.#held = withLiveMinute(this.#held, watermark, kpis);
    this.#show();
  }

  /** The chart ends at the watermark's minute (event time), or the clock's before any event. */
  #lastMinute(): number {
    const at = this.#watermark === null ? Number.NaN : Date.parse(this.#watermark);
    return alignDown(Number.isNaN(at) ? Date.now() : at, MINUTE_MS);
  }

  #show(): void {
    const last = this.#lastMinute();
    pruneBefore(this.#held, last - 2 * SALES_CHART_MINUTES * MINUTE_MS);
    this.columns = salesColumns(this.#held, last, SALES_CHART_MINUTES);
  }
}
