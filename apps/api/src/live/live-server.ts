import { Injectable } from '@nestjs/common';
import type { LiveNamespace, LiveSocket } from './live-socket';

/**
 * The `/live` namespace, once the gateway has it, for the room and housekeeping services: they
 * send and read sockets through here rather than through the gateway.
 */
@Injectable()
export class LiveServer {
  private live: LiveNamespace | null = null;
  /** The namespaces whose handshake checks a token: their sockets are swept when it expires or is revoked. */
  private guarded: LiveNamespace[] = [];

  attach(live: LiveNamespace, guarded: LiveNamespace[]): void {
    this.live = live;
    this.guarded = guarded;
  }

  get namespace(): LiveNamespace {
    if (!this.live) throw new Error('The /live namespace is not attached yet');
    return this.live;
  }

  /** Open transports of this process, on any namespace (0 before the server starts). */
  connections(): number {
    return this.live?.server.engine.clientsCount ?? 0;
  }

  hasRoom(room: string): boolean {
    return this.namespace.adapter.rooms.has(room);
  }

  /** The sockets of every namespace whose handshake checked a token. */
  *authenticatedSockets(): Generator<LiveSocket> {
    for (const namespace of this.guarded) yield* namespace.sockets.values();
  }
}
