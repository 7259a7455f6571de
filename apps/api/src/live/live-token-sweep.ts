import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CredentialRevocations } from '../auth/credential-revocations';
import { RevokedTokensRepository } from '../auth/revoked-tokens.repository';
import { DisplayTokenRepository } from '../auth/display-token.repository';
import { DisplayTokenRevocations } from '../auth/display-token-revocations';
import { LiveServer } from './live-server';
import type { LiveSocket } from './live-socket';

/**
 * Ends the sockets whose credentials no longer hold: at once for a revocation made on this
 * process, and by a periodic sweep for expiries and for revocations made elsewhere (display
 * token records and the deny-list, one round trip each for every socket of the process).
 */
@Injectable()
export class LiveTokenSweep implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveTokenSweep.name);
  private running = false;
  private readonly stopListening: (() => void)[] = [];

  constructor(
    private readonly server: LiveServer,
    private readonly displayTokens: DisplayTokenRepository,
    private readonly displayTokenRevocations: DisplayTokenRevocations,
    private readonly revokedTokens: RevokedTokensRepository,
    private readonly credentialRevocations: CredentialRevocations,
  ) {}

  onModuleInit(): void {
    this.stopListening.push(
      this.displayTokenRevocations.onRevoked((tokenId) => this.disconnectToken(tokenId)),
      this.credentialRevocations.onRevoked((revocationId) => this.disconnectRevoked(revocationId)),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stopListening.splice(0)) stop();
  }

  /** Closes the sockets of a revoked display token on this node (other nodes find it in their sweep). */
  disconnectToken(tokenId: string): void {
    for (const socket of this.server.authenticatedSockets()) {
      if (socket.data.user?.tokenId === tokenId) refuse(socket, 'display token was revoked');
    }
  }

  /** Closes the sockets of a token put on the deny-list, on this node (other nodes find it in their sweep). */
  disconnectRevoked(revocationId: string): void {
    for (const socket of this.server.authenticatedSockets()) {
      if (socket.data.user?.revocationId === revocationId) refuse(socket, 'token was revoked');
    }
  }

  /** Ends sockets whose token expired or whose display token was revoked since the handshake. */
  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = Date.now();
      const byToken = new Map<string, LiveSocket[]>();
      const byRevocationId = new Map<string, LiveSocket[]>();
      for (const socket of this.server.authenticatedSockets()) {
        const user = socket.data.user;
        if (!user) continue;
        if (user.expiresAt <= now) {
          refuse(socket, 'token expired');
          continue;
        }
        if (user.tokenId !== null) byToken.set(user.tokenId, [...(byToken.get(user.tokenId) ?? []), socket]);
        if (user.revocationId !== null) {
          byRevocationId.set(user.revocationId, [...(byRevocationId.get(user.revocationId) ?? []), socket]);
        }
      }
      const [revokedDisplays, revoked] = await Promise.all([
        this.displayTokens.revokedAmong([...byToken.keys()]),
        this.revokedTokens.revokedAmong([...byRevocationId.keys()]),
      ]);
      for (const tokenId of revokedDisplays) {
        for (const socket of byToken.get(tokenId) ?? []) refuse(socket, 'display token was revoked');
      }
      for (const revocationId of revoked) {
        for (const socket of byRevocationId.get(revocationId) ?? []) refuse(socket, 'token was revoked');
      }
    } catch (error) {
      this.logger.warn(`Token sweep failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

function refuse(socket: LiveSocket, message: string): void {
  socket.emit('error', { code: 'unauthorized', message });
  socket.disconnect(true);
}
