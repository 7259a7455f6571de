import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { INFRASTRUCTURE, Infrastructure, revocationChannel } from '@stockwall/platform';
import { LiveGateway } from '../live/live.gateway';

/**
 * Closes, at once, the sockets of credentials revoked on any API process or by the CLI (tokens put
 * on the deny-list, sessions of a disabled user): each revocation is published on one Redis
 * channel. The gateway's periodic sweep of the deny-list catches what a process missed.
 */
@Injectable()
export class RevocationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationListener.name);
  private connection: Redis | null = null;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly gateway: LiveGateway,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A subscribed connection can do nothing else: it gets one of its own.
    this.connection = this.infrastructure.redis.duplicate();
    this.connection.on('error', () => undefined);
    const channel = revocationChannel(this.infrastructure.config.redis.prefix);
    this.connection.on('message', (from: string, message: string) => {
      if (from === channel) this.apply(message);
    });
    await this.connection.subscribe(channel);
  }

  onApplicationShutdown(): void {
    this.connection?.disconnect();
  }

  private apply(message: string): void {
    let ids: unknown;
    try {
      ids = JSON.parse(message);
    } catch {
      this.logger.warn('Ignored a revocation message that is not JSON');
      return;
    }
    if (!Array.isArray(ids)) return;
    for (const id of ids) if (typeof id === 'string') this.gateway.disconnectRevoked(id);
  }
}
