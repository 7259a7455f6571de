import { Injectable } from '@nestjs/common';
import { DeadLetterRepository, DeadLetterStreamRepository } from '@stockwall/persistence';
import type { DeadLetterPage, DeadLetterQueryDto } from './dead-letters.dto';

/** Rejected records: the MySQL table (every one, newest first) or the Redis stream (live, recent). */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly stored: DeadLetterRepository,
    private readonly live: DeadLetterStreamRepository,
  ) {}

  list(query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    return query.source === 'live' ? this.listLive(query) : this.listStored(query);
  }

  private async listStored(query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    // One more than the page: its presence says there is a next page.
    const letters = await this.stored.listNewest({
      reason: query.reason,
      shardId: query.shardId,
      before: query.cursor,
      limit: query.limit + 1,
    });
    const items = letters.slice(0, query.limit);
    return { items, nextCursor: letters.length > query.limit ? items[items.length - 1].id : null };
  }

  private async listLive(query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    const scan = Math.max(query.limit * 10, 1_000);
    return { items: await this.live.newestMatching(query, query.limit, scan), nextCursor: null };
  }
}
