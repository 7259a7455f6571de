import type { Redis } from 'ioredis';
import { RedisKeys, STOCK_INDEX_SEPARATOR, StockRow } from '@stockwall/contracts';
import type { LiveSnapshot } from './live-state.repository';
import {
  type ParsedStockRow,
  parseChangeNoticeEntry,
  SNAPSHOT_ROW_FIELDS,
  snapshotRows,
  stockRowOfNotice,
} from './stock-hash';

/**
 * One page of the stock index after a member: the version and watermark at that moment, the
 * members scanned (whether they match the location or not, so each call does bounded work), and
 * the fields of those that match. KEYS: 1 version, 2 watermark, 3 stock index; ARGV: 1 stock key
 * prefix, 2 location ('' = all), 3 the last member of the previous page ('' = start), 4 count.
 */
export const READ_SNAPSHOT_PAGE_SCRIPT = String.raw`
local start = '-'
if ARGV[3] ~= '' then start = '(' .. ARGV[3] end
local members = redis.call('ZRANGEBYLEX', KEYS[3], start, '+', 'LIMIT', 0, tonumber(ARGV[4]))
local suffix = '	' .. ARGV[2]
local wanted, fields = {}, {}
for _, member in ipairs(members) do
  if ARGV[2] == '' or string.sub(member, -#suffix) == suffix then
    local sku, location = string.match(member, '^(.*)	(.*)$')
    local values = redis.call('HMGET', ARGV[1] .. location .. ':' .. sku, ${SNAPSHOT_ROW_FIELDS.map((field) => `'${field}'`).join(', ')})
    wanted[#wanted + 1] = member
    for i = 1, ${SNAPSHOT_ROW_FIELDS.length} do fields[#fields + 1] = values[i] or false end
  end
end
return { redis.call('GET', KEYS[1]) or false, redis.call('GET', KEYS[2]) or false, members[#members] or false, #members,
  wanted, fields }
`;

type ReadPageCommand = (
  numberOfKeys: number,
  ...keysAndArgs: string[]
) => Promise<[string | null, string | null, string | null, number, string[], (string | null)[]]>;

export interface SnapshotReadOptions {
  /** Index entries one script call reads at most: bounds each call to about a millisecond. */
  pageSize?: number;
  /** Change notices read per XREVRANGE while catching up. */
  noticeBatch?: number;
}

const DEFAULT_PAGE_SIZE = 128;
const DEFAULT_NOTICE_BATCH = 100;

/**
 * The stock snapshot of `/live`, read in bounded pages so no single Redis call grows with the
 * SKU count. Pages are read at successive versions; the rows that changed after the first page's
 * version are then taken from the change notices (which carry each changed row's whole state),
 * so the snapshot is exactly the state at the newest notice's version.
 */
export class LiveSnapshotReader {
  private readonly keys: RedisKeys;
  private readonly pageSize: number;
  private readonly noticeBatch: number;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    options: SnapshotReadOptions = {},
  ) {
    this.keys = new RedisKeys(prefix);
    this.pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
    this.noticeBatch = Math.max(1, options.noticeBatch ?? DEFAULT_NOTICE_BATCH);
    if (!(redis as unknown as { stockwallReadSnapshotPage?: unknown }).stockwallReadSnapshotPage) {
      redis.defineCommand('stockwallReadSnapshotPage', { lua: READ_SNAPSHOT_PAGE_SCRIPT });
    }
  }

  /** The snapshot, or null when `cancelled` says before a page that the reader is gone (no more pages are read). */
  async read(location?: string, cancelled: () => boolean = () => false): Promise<LiveSnapshot | null> {
    const command = (
      this.redis as unknown as { stockwallReadSnapshotPage: ReadPageCommand }
    ).stockwallReadSnapshotPage.bind(this.redis);
    const rows = new Map<string, StockRow>();
    let firstVersion: number | null = null;
    let watermark: number | null = null;
    let after = '';
    for (;;) {
      if (cancelled()) return null;
      const [version, pageWatermark, last, scanned, members, fields] = await command(
        3,
        this.keys.version(),
        this.keys.watermark(),
        this.keys.stockIndex(),
        this.keys.stockPrefix(),
        location ?? '',
        after,
        String(this.pageSize),
      );
      if (firstVersion === null) {
        firstVersion = Number(version ?? 0);
        watermark = pageWatermark ? Number(pageWatermark) : null;
      }
      addPageRows(rows, members, fields);
      if (last === null || scanned < this.pageSize) break;
      after = last;
    }
    const caughtUp = await this.catchUp(rows, firstVersion ?? 0, location);
    return {
      version: caughtUp?.version ?? firstVersion ?? 0,
      watermark: caughtUp ? caughtUp.watermark : watermark,
      // Index order (rows new since the first page were added at the end).
      rows: [...rows.entries()]
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
        .map(([, row]) => row),
    };
  }

  /**
   * Overlays the rows of every notice after `since`, oldest first. Null when nothing changed, or
   * when the stream no longer reaches back to `since` (trimmed): then the pages stand as read.
   */
  private async catchUp(
    rows: Map<string, StockRow>,
    since: number,
    location: string | undefined,
  ): Promise<{ version: number; watermark: number | null } | null> {
    const notices: { version: number; watermark: number | null; rows: ParsedStockRow[] }[] = [];
    let end = '+';
    let reachedSince = false;
    while (!reachedSince) {
      const entries = await this.redis.xrevrange(this.keys.changes(), end, '-', 'COUNT', this.noticeBatch);
      for (const [id, fields] of entries) {
        const notice = parseChangeNoticeEntry(fields);
        if (!(notice.version > since)) {
          reachedSince = true;
          break;
        }
        notices.push(notice);
        end = `(${id}`;
      }
      if (entries.length < this.noticeBatch) break;
    }
    if (notices.length === 0) return null;
    const oldest = notices[notices.length - 1].version;
    if (oldest !== since + 1) return null;
    for (const notice of notices.reverse()) {
      for (const parsed of notice.rows) {
        if (location !== undefined && parsed.location !== location) continue;
        rows.set(`${parsed.sku}${STOCK_INDEX_SEPARATOR}${parsed.location}`, stockRowOfNotice(parsed));
      }
    }
    const newest = notices[notices.length - 1];
    return { version: newest.version, watermark: newest.watermark };
  }
}

function addPageRows(rows: Map<string, StockRow>, members: string[], fields: (string | null)[]): void {
  for (const { member, row } of snapshotRows(members, fields)) rows.set(member, row);
}
