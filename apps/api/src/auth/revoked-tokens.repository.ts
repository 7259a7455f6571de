import type Redis from 'ioredis';
import { publishRevocations, revocationChannel, revokedTokensKey, revokeTokenId } from '@stockwall/platform';

/**
 * The deny-list of revoked token ids (`jti`), one Redis sorted set shared by every API process,
 * scored by when each token would have expired: an entry is kept only as long as it matters.
 * Revocations are also announced on one channel, so every process acts on them at once.
 */
export class RevokedTokensRepository {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.key = revokedTokensKey(prefix);
  }

  async isRevoked(id: string): Promise<boolean> {
    return (await this.redis.zscore(this.key, id)) !== null;
  }

  /** Of the given ids, those revoked (one round trip for every socket on a node). */
  async revokedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.zscore(this.key, id);
    const results = (await pipeline.exec()) ?? [];
    return new Set(ids.filter((_, index) => results[index]?.[1] !== null && results[index]?.[1] !== undefined));
  }

  async revoke(id: string, expiresAtMs: number): Promise<void> {
    await revokeTokenId(this.redis, this.prefix, id, expiresAtMs);
  }

  /** Tells every API process (and itself) that these ids were revoked. */
  async announce(ids: string[]): Promise<void> {
    await publishRevocations(this.redis, this.prefix, ids);
  }

  /**
   * Hands each announcement's message (JSON, a list of ids) to `onMessage`; the returned function
   * stops listening. A subscribed connection can do nothing else: it gets one of its own.
   */
  async listen(onMessage: (message: string) => void): Promise<() => void> {
    const connection = this.redis.duplicate();
    connection.on('error', () => undefined);
    const channel = revocationChannel(this.prefix);
    connection.on('message', (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    await connection.subscribe(channel);
    return () => connection.disconnect();
  }
}
