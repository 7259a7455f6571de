export type RevokedListener = (id: string) => void;

/**
 * A revocation made on this process, told to whoever holds the revoked credential's connections
 * (the /live sweep closes its sockets) without the folder that revokes knowing who listens.
 */
export class RevocationSignal {
  private readonly listeners = new Set<RevokedListener>();

  /** Returns the function that stops the listening. */
  onRevoked(listener: RevokedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  revoked(id: string): void {
    for (const listener of this.listeners) listener(id);
  }
}
