import { Inject, Injectable } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure, revokedTokensKey, revokeTokenId } from '@stockwall/platform';

/**
 * The deny-list of revoked token ids (`jti`), one Redis sorted set shared by every API process,
 * scored by when each token would have expired: an entry is kept only as long as it matters.
 */
@Injectable()
export class RevokedTokensRepository {
  private readonly key: string;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {
    this.key = revokedTokensKey(infrastructure.config.redis.prefix);
  }

  async isRevoked(id: string): Promise<boolean> {
    return (await this.infrastructure.redis.zscore(this.key, id)) !== null;
  }

  /** Of the given ids, those revoked (one round trip for every socket on a node). */
  async revokedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const pipeline = this.infrastructure.redis.pipeline();
    for (const id of ids) pipeline.zscore(this.key, id);
    const results = (await pipeline.exec()) ?? [];
    return new Set(ids.filter((_, index) => results[index]?.[1] !== null && results[index]?.[1] !== undefined));
  }

  async revoke(id: string, expiresAtMs: number): Promise<void> {
    await revokeTokenId(this.infrastructure.redis, this.infrastructure.config.redis.prefix, id, expiresAtMs);
  }
}
