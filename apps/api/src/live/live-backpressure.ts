import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResyncNotice } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { escapeForLog } from '@stockwall/platform';
import { ChangeFeedPosition } from './change-feed-position';
import { backpressureAction, LiveFlowLimits } from './live-flow-policy';
import { LiveServer } from './live-server';
import type { LiveSocket } from './live-socket';

/**
 * A socket whose send queue grows past its limits leaves its rooms (no more deltas) and is told
 * to resync once it has drained; what is queued drains or the ping timeout ends it.
 */
@Injectable()
export class LiveBackpressure {
  private readonly logger = new Logger(LiveBackpressure.name);
  private readonly limits: LiveFlowLimits;

  constructor(
    private readonly server: LiveServer,
    private readonly position: ChangeFeedPosition,
    @Inject(STOCKWALL_CONFIG) config: StockwallConfig,
  ) {
    this.limits = { ...config.live };
  }

  apply(): void {
    for (const socket of this.server.namespace.sockets.values()) {
      const { stockRoom, kpisRoom } = socket.data;
      if (!stockRoom && !kpisRoom) continue;
      const { packets, bytes } = queuedOf(socket);
      const action = backpressureAction(this.limits, socket.data.paused === true, packets, bytes);
      if (action === 'pause') {
        // Leaving the rooms stops new deltas at once.
        socket.data.paused = true;
        if (stockRoom) void socket.leave(stockRoom);
        if (kpisRoom) void socket.leave(kpisRoom);
        this.logger.warn(
          `Socket ${escapeForLog(socket.id)} is slow (${packets} packets, ${bytes} bytes queued): paused`,
        );
      } else if (action === 'resume') {
        socket.data.paused = false;
        const notice: ResyncNotice = { reason: 'slow_consumer', version: this.position.version };
        if (stockRoom) socket.emit('stock.resync', notice);
        if (kpisRoom) socket.emit('kpis.resync', notice);
      }
    }
  }
}

/** Packets waiting in engine.io plus bytes waiting in the WebSocket (not yet taken by the kernel). */
function queuedOf(socket: LiveSocket): { packets: number; bytes: number } {
  const connection = socket.conn as unknown as {
    writeBuffer?: unknown[];
    transport?: { socket?: { bufferedAmount?: number } };
  };
  return {
    packets: connection.writeBuffer?.length ?? 0,
    bytes: connection.transport?.socket?.bufferedAmount ?? 0,
  };
}
