import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import type { StockwallConfig } from '@stockwall/config';

/** Client messages are a few hundred bytes; anything near this is not a Stockwall client. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/**
 * Socket.IO server options from the config: CORS as for REST, small inbound messages, no
 * per-message compression (it costs ~300 KB per socket in zlib state) and no connection-state
 * recovery, which does not survive a restart: clients resubscribe for a snapshot instead.
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
      cors: origins.length === 0 ? undefined : { origin: origins.includes('*') ? true : origins, credentials: true },
      maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
      perMessageDeflate: false,
      httpCompression: false,
    });
    return server;
  }
}
