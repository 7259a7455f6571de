import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CredentialRevocations } from './credential-revocations';
import { RevokedTokensRepository } from './revoked-tokens.repository';

/**
 * Closes, at once, the sockets of credentials revoked on any API process or by the CLI (tokens put
 * on the deny-list, sessions of a disabled user): each revocation is published on one Redis
 * channel and passed on here as a CredentialRevocations signal, which /live acts on. Its periodic
 * sweep of the deny-list catches what a process missed.
 */
@Injectable()
export class RevocationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationListener.name);
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly revokedTokens: RevokedTokensRepository,
    private readonly revocations: CredentialRevocations,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopListening = await this.revokedTokens.listen((message) => this.apply(message));
  }

  onApplicationShutdown(): void {
    this.stopListening?.();
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
    for (const id of ids) if (typeof id === 'string') this.revocations.revoked(id);
  }
}
