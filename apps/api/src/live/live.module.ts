import { Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { Registry } from 'prom-client';
import { AlertOutboxRepository, KpiRepository, LiveSnapshotReader, LiveStateRepository } from '@stockwall/aggregation';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { AuthModule } from '../auth/auth.module';
import { KpisModule } from '../kpis/kpis.module';
import { MetricsModule } from '../metrics/metrics.module';
import { API_METRICS } from '../metrics/metrics.tokens';
import { CHANGE_FEED_CONNECTION, CHANGE_FEED_READER, ChangeFeedService } from './change-feed.service';
import { ChangeFeedPosition } from './change-feed-position';
import { KpiRooms } from './kpi-rooms';
import { LiveAdmission } from './live-admission';
import { LiveBackpressure } from './live-backpressure';
import { LiveBroadcaster } from './live-broadcaster';
import { LiveHeartbeats } from './live-heartbeats';
import { LiveHousekeeping } from './live-housekeeping';
import { LiveMetrics } from './live-metrics';
import { LiveServer } from './live-server';
import { LiveSubscriptions } from './live-subscriptions';
import { LiveTokenSweep } from './live-token-sweep';
import { LiveGateway } from './live.gateway';
import { StockRooms } from './stock-rooms';

/**
 * `/live` and the change feed behind it: the gateway, the services it hands the work to and the
 * Redis repositories they read. Besides those they need the caller check, the deny-list, the display
 * token records and both revocation signals (AuthModule), the KPI repository (KpisModule) and the
 * metrics registry (MetricsModule).
 */
@Module({
  imports: [AuthModule, KpisModule, MetricsModule],
  providers: [
    {
      provide: LiveSnapshotReader,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new LiveSnapshotReader(redis, config.redis.prefix),
    },
    {
      provide: AlertOutboxRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new AlertOutboxRepository(redis, config.redis.prefix),
    },
    // XREAD BLOCK holds its connection, so the feed gets one of its own (opened by its first read).
    {
      provide: CHANGE_FEED_CONNECTION,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis }: Infrastructure) => redis.duplicate({ lazyConnect: true }),
    },
    {
      provide: CHANGE_FEED_READER,
      inject: [CHANGE_FEED_CONNECTION, INFRASTRUCTURE],
      useFactory: (connection: Redis, { config }: Infrastructure) =>
        new LiveStateRepository(connection, config.redis.prefix),
    },
    {
      provide: LiveMetrics,
      inject: [API_METRICS, LiveServer, ChangeFeedPosition],
      useFactory: (registry: Registry, server: LiveServer, position: ChangeFeedPosition) =>
        new LiveMetrics(registry, { connections: () => server.connections(), feedReadAt: () => position.readAt }),
    },
    {
      provide: KpiRooms,
      inject: [LiveServer, KpiRepository, LiveHeartbeats, LiveMetrics, STOCKWALL_CONFIG],
      useFactory: kpiRoomsOf,
    },
    LiveServer,
    ChangeFeedPosition,
    LiveHeartbeats,
    StockRooms,
    LiveBroadcaster,
    LiveAdmission,
    LiveSubscriptions,
    LiveBackpressure,
    LiveTokenSweep,
    LiveHousekeeping,
    LiveGateway,
    ChangeFeedService,
  ],
})
export class LiveModule {}

/** The `kpis` rooms: each read once per flush and sent to all its clients (kpi-rooms.ts). */
function kpiRoomsOf(
  server: LiveServer,
  kpis: KpiRepository,
  heartbeats: LiveHeartbeats,
  metrics: LiveMetrics,
  config: StockwallConfig,
): KpiRooms {
  const logger = new Logger(KpiRooms.name);
  return new KpiRooms({
    read: (window, source) => kpis.readLiveWithVersion(window, source),
    emit: (room, delta) => {
      server.namespace.to(room).emit('kpis.delta', delta);
      metrics.broadcast('kpis.delta');
      heartbeats.roomSent(room, Date.now());
    },
    hasSubscribers: (room) => server.hasRoom(room),
    onReadError: (room, error) => logger.warn(`KPI read for ${room} failed: ${error.message}`),
    minIntervalMs: config.live.flushIntervalMs,
  });
}
