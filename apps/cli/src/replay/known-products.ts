import type { Redis } from 'ioredis';
import { RedisKeys, STOCK_INDEX_SEPARATOR } from '@stockwall/contracts';
import type { KnownProduct } from './replay-types';

const PAGE = 5_000;

/**
 * Every SKU and location in the live state's SKU index (active or not), read in pages. A replay
 * does not add these again: a repeated product_added past the dedupe window would reset on-hand.
 */
export async function readKnownProducts(redis: Redis, prefix: string): Promise<KnownProduct[]> {
  const index = new RedisKeys(prefix).stockIndex();
  const known: KnownProduct[] = [];
  for (let start = '-'; ;) {
    const members = await redis.zrangebylex(index, start, '+', 'LIMIT', 0, PAGE);
    for (const member of members) {
      const separator = member.indexOf(STOCK_INDEX_SEPARATOR);
      if (separator > 0) known.push({ sku: member.slice(0, separator), location: member.slice(separator + 1) });
    }
    if (members.length < PAGE) return known;
    start = `(${members[members.length - 1]}`;
  }
}
