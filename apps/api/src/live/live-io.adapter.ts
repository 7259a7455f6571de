import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import type { StockwallConfig } from '@stockwall/config';
import { LIVE_OVERLOADED } from '@stockwall/contracts';
import { admitTransport } from './live-flow-policy';

/** Client messages are a few hundred bytes; anything near this is not a Stockwall client. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
/** A client sends its namespace handshake as soon as the transport opens; one that has not by now never will. */
const NAMESPACE_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Socket.IO server options from the config: CORS as for REST, small inbound messages, no
 * per-message compression (it costs ~300 KB per socket in zlib state) and no connection-state
 * recovery, which does not survive a restart: clients resubscribe for a snapshot instead.
 *
 * Every transport counts against MAX_CONNECTIONS, whatever namespace it asks for, or none: the
 * gateway's handshake check (token and limit) runs on every namespace and counts open transports;
 * here a flood of transports past the limit and its headroom is refused before it costs more than
 * the HTTP request, and a transport that never completes a namespace handshake is closed soon.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: StockwallConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const origins = this.config.http.corsOrigins;
    // IoAdapter types its result as any.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
    const server: Server = super.createIOServer(port, {
      ...options,
      connectTimeout: NAMESPACE_HANDSHAKE_TIMEOUT_MS,
      allowRequest: (_request: unknown, answer: (message: string, success: boolean) => void) =>
        answer(LIVE_OVERLOADED, admitTransport(this.config.live, server.engine.clientsCount)),
      cors: origins.length === 0 ? undefined : { origin: origins.includes('*') ? true : origins, credentials: true },
      maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
      perMessageDeflate: false,
      httpCompression: false,
    });
    return server;
  }
}
