import { Inject, Injectable } from '@nestjs/common';
import { formatCents } from '@stockwall/contracts';
import { HistoryRepository } from '@stockwall/persistence';
import type { KpiHistoryBucket } from '@stockwall/persistence';
import type { KpiHistoryQueryDto, ProductHistoryQueryDto } from './history.dto';
import { KpiHistoryReader } from './kpi-history.reader';

export const HISTORY_REPOSITORY = Symbol('HISTORY_REPOSITORY');

export interface KpiHistoryPage {
  interval: string;
  source: string | null;
  location: string | null;
  timeZone: string;
  from: string;
  to: string;
  items: KpiHistoryBucket[];
  nextCursor: string | null;
}

export interface ProductHistoryItem {
  at: string;
  eventId: string;
  eventType: string;
  source: string;
  location: string;
  onHand: number;
  committed: number;
  available: number;
  units: number;
  revenue: string;
  shipped: number;
  cogs: string;
}

export interface ProductHistoryPage {
  sku: string;
  from: string;
  to: string;
  items: ProductHistoryItem[];
  snapshots: { at: string; location: string; onHand: number; committed: number }[];
  nextCursor: string | null;
}

@Injectable()
export class HistoryService {
  constructor(
    @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository,
    private readonly kpiHistory: KpiHistoryReader,
  ) {}

  /** One page of at most `limit` buckets from the cursor (or `from`); every bucket is present, zeros included. */
  async kpis(query: KpiHistoryQueryDto): Promise<KpiHistoryPage> {
    const start = Math.max(query.cursor ?? query.from, query.from);
    const { items, next } = await this.kpiHistory.series({
      from: start,
      to: query.to,
      interval: query.interval,
      timeZone: query.tz,
      scope: { source: query.source ?? null, location: query.location ?? null },
      limit: query.limit,
    });
    return {
      interval: query.interval,
      source: query.source ?? null,
      location: query.location ?? null,
      timeZone: query.tz,
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      items,
      nextCursor: next === null ? null : new Date(next).toISOString(),
    };
  }

  /** The SKU's events with the stock after each one, in event-time order, plus the snapshots of the range. */
  async product(sku: string, query: ProductHistoryQueryDto): Promise<ProductHistoryPage> {
    const range = { from: query.from, to: query.to };
    const [at, id] = query.cursor ? query.cursor.split('.') : [];
    const rows = await this.history.productLines(sku, range, at ? { at: Number(at), id } : null, query.limit + 1);
    const items = rows.slice(0, query.limit).map((row): ProductHistoryItem => ({
      at: new Date(row.occurred_at).toISOString(),
      eventId: row.event_id,
      eventType: row.event_type,
      source: row.source,
      location: row.location,
      onHand: Number(row.on_hand_after),
      committed: Number(row.committed_after),
      available: Number(row.on_hand_after) - Number(row.committed_after),
      units: Number(row.units),
      revenue: formatCents(Number(row.revenue_cents)),
      shipped: Number(row.shipped),
      cogs: formatCents(Number(row.cogs_cents)),
    }));
    const last = rows.length > query.limit ? rows[query.limit - 1] : null;
    const snapshots = query.cursor ? [] : await this.history.productSnapshots(sku, range, 2_000);
    return {
      sku,
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      items,
      snapshots: snapshots.map((row) => ({
        at: new Date(row.taken_at).toISOString(),
        location: row.location,
        onHand: Number(row.on_hand),
        committed: Number(row.committed),
      })),
      nextCursor: last ? `${new Date(last.occurred_at).getTime()}.${last.id}` : null,
    };
  }
}
