import { Injectable } from '@nestjs/common';

export type DisplayTokenRevokedListener = (tokenId: string) => void;

/**
 * Tells whoever holds a display token's connections on this process that it was revoked (the
 * /live sweep closes its sockets), without this folder knowing who listens. Other processes learn
 * it from their own sweep of the token records.
 */
@Injectable()
export class DisplayTokenRevocations {
  private readonly listeners = new Set<DisplayTokenRevokedListener>();

  /** Returns the function that stops the listening. */
  onRevoked(listener: DisplayTokenRevokedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  revoked(tokenId: string): void {
    for (const listener of this.listeners) listener(tokenId);
  }
}
