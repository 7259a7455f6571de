import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { LiveStateRepository, StockListQuery, StockPage } from '@stockwall/aggregation';
import { RedisKeys, STOCK_INDEX_SEPARATOR } from '@stockwall/contracts';

const SCAN_BUDGET = 100;
const ROWS = 1_000;

/** Stock hash fields as the atomic apply writes them (see stock-hash.ts). */
type StockFields = Partial<Record<'on' | 'cm' | 'rp' | 'rc' | 'ac' | 'nm', string>>;

describe('Stock list paging against Redis, with more rows than one call scans', () => {
  let redis: Redis;
  let prefix: string;
  let keys: RedisKeys;
  let sut: LiveStateRepository;

  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    prefix = `test:${randomBytes(4).toString('hex')}:`;
    keys = new RedisKeys(prefix);
    sut = new LiveStateRepository(redis, prefix, undefined, { stockListScanBudget: SCAN_BUDGET });
    const pipeline = redis.pipeline();
    for (let index = 0; index < ROWS; index++) {
      const sku = skuOf(index);
      const sparse = index === 10 || index === 500 || index === 990;
      const fields: StockFields = { on: '50', cm: '0', nm: sparse ? `Blue kettle ${index}` : `Mug ${index}` };
      if (sparse) fields.rp = '60';
      seed(pipeline, sku, fields);
    }
    // An index entry whose hash is gone is skipped, and scanning still moves past it.
    pipeline.zadd(keys.stockIndex(), 0, `${skuOf(ROWS)}${STOCK_INDEX_SEPARATOR}main`);
    await pipeline.exec();
  });

  afterAll(async () => {
    const found = await redis.keys(`${prefix}*`);
    if (found.length > 0) await redis.del(...found);
    redis.disconnect();
  });

  function skuOf(index: number): string {
    return `S${String(index).padStart(4, '0')}`;
  }

  function seed(pipeline: ReturnType<Redis['pipeline']>, sku: string, fields: StockFields): void {
    pipeline.hset(keys.stock('main', sku), fields);
    pipeline.zadd(keys.stockIndex(), 0, `${sku}${STOCK_INDEX_SEPARATOR}main`);
  }

  async function everyPage(query: Omit<StockListQuery, 'cursor'>): Promise<StockPage[]> {
    const pages: StockPage[] = [];
    let cursor: string | undefined;
    do {
      const page = await sut.listStock({ ...query, cursor });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && pages.length < 100);
    return pages;
  }

  it('finds every row of a sparse filter, going on from where the scan budget ran out', async () => {
    const pages = await everyPage({ belowReorderPoint: true, limit: 2 });
    expect(pages.flatMap((page) => page.rows.map((row) => row.sku))).toEqual(['S0010', 'S0500', 'S0990']);
    // The first call stops after SCAN_BUDGET entries with one row, at the last entry scanned.
    expect(pages[0]).toMatchObject({ rows: [{ sku: 'S0010' }], nextCursor: `S0099${STOCK_INDEX_SEPARATOR}main` });
    // Pages between the matches are empty and still point on.
    expect(pages[1]).toEqual({ rows: [], nextCursor: `S0199${STOCK_INDEX_SEPARATOR}main` });
    expect(pages[pages.length - 1].nextCursor).toBeNull();
    expect(pages.length).toBe(11);
  });

  it('does the same for a search', async () => {
    const pages = await everyPage({ search: 'kettle', limit: 10 });
    expect(pages.flatMap((page) => page.rows.map((row) => row.name))).toEqual([
      'Blue kettle 10',
      'Blue kettle 500',
      'Blue kettle 990',
    ]);
  });

  it('pages through every row without a filter and ends with a null cursor', async () => {
    const pages = await everyPage({ limit: 300 });
    const skus = pages.flatMap((page) => page.rows.map((row) => row.sku));
    expect(skus).toHaveLength(ROWS);
    expect(new Set(skus).size).toBe(ROWS);
    expect(pages.every((page, index) => (index === pages.length - 1) === (page.nextCursor === null))).toBe(true);
  });

  it('answers an exhausted cursor with no rows and no next page', async () => {
    expect(await sut.listStock({ limit: 5, cursor: `${skuOf(ROWS)}${STOCK_INDEX_SEPARATOR}main` })).toEqual({
      rows: [],
      nextCursor: null,
    });
  });
});
