import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisKeys, STOCK_INDEX_SEPARATOR, WireEvent } from '@stockwall/contracts';
import { connectRedis } from '@stockwall/platform';
import { readKnownProducts } from '../apps/cli/src/replay/known-products';
import { runReplay } from '../apps/cli/src/replay/replay-runner';

/**
 * A second replay must not add again what the live state already holds: a repeated product_added
 * past the dedupe window would reset the SKU's on-hand. The SKU index is read from real Redis.
 */
describe('replay seeds the SKUs already live from Redis', () => {
  const prefix = `test:${randomBytes(4).toString('hex')}:`;
  const index = new RedisKeys(prefix).stockIndex();
  let redis: Redis;
  let directory: string;

  beforeAll(async () => {
    redis = await connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    directory = mkdtempSync(join(tmpdir(), 'replay-known-'));
  });

  afterAll(async () => {
    await redis.del(index);
    await redis.quit();
    rmSync(directory, { recursive: true, force: true });
  });

  const member = (sku: string, location: string) => `${sku}${STOCK_INDEX_SEPARATOR}${location}`;

  async function replay(file: string, format: 'online-retail' | 'cafe') {
    const sent: WireEvent[] = [];
    await runReplay({
      files: [file],
      format,
      publish: async (events) => {
        sent.push(...events);
      },
      knownProducts: await readKnownProducts(redis, prefix),
    });
    return sent.filter((event) => event.event_type === 'product_added').map((event) => event.event_id);
  }

  it('reads every SKU and location of the index, over several pages', async () => {
    const members = Array.from({ length: 12_003 }, (_, n) => member(`SKU-${String(n).padStart(5, '0')}`, 'main'));
    for (let start = 0; start < members.length; start += 1_000) {
      await redis.zadd(index, ...members.slice(start, start + 1_000).flatMap((value) => [0, value]));
    }
    await redis.zadd(index, 0, member('SKU-00001', 'north'));
    const known = await readKnownProducts(redis, prefix);
    expect(known).toHaveLength(12_004);
    expect(known).toContainEqual({ sku: 'SKU-00001', location: 'north' });
    expect(known).toContainEqual({ sku: 'SKU-12002', location: 'main' });
    await redis.del(index);
  });

  it('online retail: a second file does not redefine the SKUs the first one defined', async () => {
    const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
    const first = join(directory, '2011-01-04.csv');
    writeFileSync(
      first,
      [
        header,
        '539993,22386,JUMBO BAG PINK POLKADOT,10,2011-01-04 10:00:00,1.95,13313.0,United Kingdom',
        '539993,21499,BLUE POLKADOT WRAP,25,2011-01-04 10:00:00,0.42,13313.0,United Kingdom',
      ].join('\n'),
    );
    const second = join(directory, '2011-01-05.csv');
    writeFileSync(
      second,
      [
        header,
        '540001,22386,JUMBO BAG PINK POLKADOT,4,2011-01-05 09:32:00,1.95,12678.0,France',
        '540001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2011-01-05 09:32:00,2.55,12678.0,France',
      ].join('\n'),
    );
    expect(await replay(first, 'online-retail')).toEqual(['or-added-22386', 'or-added-21499']);
    // What the workers would have applied for the first file.
    await redis.zadd(index, 0, member('22386', 'main'), 0, member('21499', 'main'));
    expect(await replay(second, 'online-retail')).toEqual(['or-added-85123A']);
    // A SKU live at another location only is still added at main.
    await redis.del(index);
    await redis.zadd(index, 0, member('22386', 'north'));
    expect(await replay(second, 'online-retail')).toEqual(['or-added-22386', 'or-added-85123A']);
    await redis.del(index);
  });

  it('café: SKUs are known per branch', async () => {
    const file = join(directory, 'leeds_02-09-2021_09-00-00.csv');
    writeFileSync(
      file,
      [
        '02/09/2021 09:00,Leeds,Armando Farris,"Large Filter coffee - 1.80, Regular Chai latte - 2.30",4.1,CARD,8326919589358122',
        '02/09/2021 09:01,Leeds,Jessica Graves,"Large Chai latte - 2.60",2.6,CASH,',
      ].join('\n'),
    );
    await redis.zadd(index, 0, member('large-filter-coffee', 'Leeds'), 0, member('large-chai-latte', 'Birmingham'));
    expect(await replay(file, 'cafe')).toEqual([
      'cafe-added-leeds-regular-chai-latte',
      'cafe-added-leeds-large-chai-latte',
    ]);
    await redis.del(index);
  });
});
