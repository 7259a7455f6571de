import { Injectable } from '@nestjs/common';
import { LIVE_HEARTBEAT_MS } from '@stockwall/contracts';
import { ChangeFeedPosition } from './change-feed-position';
import { LiveMetrics } from './live-metrics';
import { LiveServer } from './live-server';

/**
 * A heartbeat to every subscribed socket that was sent nothing (ack, delta, alert, heartbeat) for
 * LIVE_HEARTBEAT_MS, encoded once for all of them. What a socket was sent is read from its rooms'
 * last sends, so a socket that gets deltas or alerts gets no heartbeat and no channel exceeds its
 * rate; the state kept is one time per room and one per socket. Paused (slow) sockets get none.
 */
@Injectable()
export class LiveHeartbeats {
  /** Epoch ms each followed room last sent something (a delta, an alert, a heartbeat): one entry per room. */
  private readonly roomSentAt = new Map<string, number>();

  constructor(
    private readonly server: LiveServer,
    private readonly position: ChangeFeedPosition,
    private readonly metrics: LiveMetrics,
  ) {}

  /** A room sent its clients something: none of them needs a heartbeat for a while. */
  roomSent(room: string, at: number): void {
    this.roomSentAt.set(room, at);
  }

  send(): void {
    const now = Date.now();
    const namespace = this.server.namespace;
    const rooms = namespace.adapter.rooms;
    for (const room of this.roomSentAt.keys()) if (!rooms.has(room)) this.roomSentAt.delete(room);
    const due: string[] = [];
    for (const socket of namespace.sockets.values()) {
      const { heartbeatAt, paused } = socket.data;
      if (heartbeatAt === undefined || paused) continue;
      let lastSentAt = heartbeatAt;
      for (const room of socket.rooms) lastSentAt = Math.max(lastSentAt, this.roomSentAt.get(room) ?? 0);
      if (now - lastSentAt < LIVE_HEARTBEAT_MS) continue;
      socket.data.heartbeatAt = now;
      due.push(socket.id);
    }
    if (due.length === 0) return;
    // Every socket is in a room named by its id: one broadcast, one encoding.
    this.metrics.broadcast('live.heartbeat');
    const feedReadAt = this.position.readAt;
    namespace.to(due).emit('live.heartbeat', {
      version: this.position.version,
      serverTime: new Date(now).toISOString(),
      feedReadAt: feedReadAt === null ? null : new Date(feedReadAt).toISOString(),
    });
  }
}
