import { Counter, Gauge, Registry } from 'prom-client';

/** Why a connection or a subscribe was refused. */
export type LiveRefusal = 'overloaded' | 'unauthorized' | 'rate_limited' | 'busy';
export type LiveBroadcast = 'stock.delta' | 'kpis.delta' | 'alert' | 'live.heartbeat' | 'stock.resync' | 'kpis.resync';

export interface LiveMetricsSource {
  /** Open transports of this process, on any namespace. */
  connections(): number;
  /** Epoch ms of the change feed's last successful read; null before the first. */
  feedReadAt(): number | null;
}

/**
 * The `/live` figures on the API's `/metrics`: open connections, refused handshakes by reason,
 * room broadcasts by message type (one per room, whatever its size) and how long ago the change
 * feed was last read (a stalled pipeline shows here before a wall turns amber).
 */
export class LiveMetrics {
  private readonly refused: Counter<'reason'>;
  private readonly broadcasts: Counter<'type'>;

  constructor(registry: Registry, source: LiveMetricsSource) {
    new Gauge({
      name: 'stockwall_api_live_connections',
      help: 'Open Socket.IO connections of this API process',
      registers: [registry],
      collect() {
        this.set(source.connections());
      },
    });
    new Gauge({
      name: 'stockwall_api_live_feed_read_age_seconds',
      help: 'Seconds since the change feed was last read from Redis (-1 before the first read)',
      registers: [registry],
      collect() {
        const at = source.feedReadAt();
        this.set(at === null ? -1 : (Date.now() - at) / 1000);
      },
    });
    this.refused = new Counter({
      name: 'stockwall_api_live_refused_total',
      help: 'Socket.IO handshakes and subscribes refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.broadcasts = new Counter({
      name: 'stockwall_api_live_broadcasts_total',
      help: 'Messages sent to a room (one per room and message, not per socket), by type',
      labelNames: ['type'],
      registers: [registry],
    });
  }

  refusal(reason: LiveRefusal): void {
    this.refused.inc({ reason });
  }

  broadcast(type: LiveBroadcast, rooms = 1): void {
    this.broadcasts.inc({ type }, rooms);
  }
}
