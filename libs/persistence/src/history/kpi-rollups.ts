import type { EntityManager } from 'typeorm';
import { MINUTE_MS } from '@stockwall/contracts';
import type { EventLine } from './event-lines';

const HOUR_MS = 60 * MINUTE_MS;
const SUMS = 'events, orders, units, revenue_cents, shipped, cogs_cents';
const UPDATE_SUMS = SUMS.split(', ')
  .map((column) => `${column} = VALUES(${column})`)
  .join(', ');

interface RollupKey {
  at: number;
  source: string;
  location: string;
}

/**
 * Recomputes kpi_minute, then kpi_hour, for the (time, source, location) keys the lines touch,
 * from the stored lines: a retried or re-read batch rewrites the same sums. The keys are locked
 * first, in sorted order, so two shards writing the same minute serialise and the later one
 * sums the earlier one's committed lines (READ COMMITTED reads the latest commit per statement).
 */
export async function recomputeRollups(manager: EntityManager, lines: readonly EventLine[]): Promise<void> {
  if (lines.length === 0) return;
  const minutes = keysOf(lines, MINUTE_MS);
  await lockKeys(manager, 'kpi_minute', 'minute_at', minutes);
  await manager.query(
    `INSERT INTO kpi_minute (minute_at, source, location, ${SUMS})
     SELECT minute_at, source, location, SUM(line_no = 0), SUM(orders), SUM(units), SUM(revenue_cents), SUM(shipped),
       SUM(cogs_cents)
     FROM inventory_event_lines
     WHERE minute_at IN (?) AND (minute_at, source, location) IN (?)
     GROUP BY minute_at, source, location
     ON DUPLICATE KEY UPDATE ${UPDATE_SUMS}`,
    [unique(minutes.map((key) => new Date(key.at))), minutes.map(toRow)],
  );
  const hours = keysOf(lines, HOUR_MS);
  await lockKeys(manager, 'kpi_hour', 'hour_at', hours);
  const byHour = new Map<number, RollupKey[]>();
  for (const key of hours) byHour.set(key.at, [...(byHour.get(key.at) ?? []), key]);
  for (const [hour, keys] of byHour) {
    await manager.query(
      `INSERT INTO kpi_hour (hour_at, source, location, ${SUMS})
       SELECT ?, source, location, SUM(events), SUM(orders), SUM(units), SUM(revenue_cents), SUM(shipped), SUM(cogs_cents)
       FROM kpi_minute
       WHERE minute_at >= ? AND minute_at < ? AND (source, location) IN (?)
       GROUP BY source, location
       ON DUPLICATE KEY UPDATE ${UPDATE_SUMS}`,
      [new Date(hour), new Date(hour), new Date(hour + HOUR_MS), keys.map((key) => [key.source, key.location])],
    );
  }
}

function keysOf(lines: readonly EventLine[], sizeMs: number): RollupKey[] {
  const keys = new Map<string, RollupKey>();
  for (const line of lines) {
    const at = Math.floor(line.occurredAt / sizeMs) * sizeMs;
    keys.set(`${at}\u0000${line.source}\u0000${line.location}`, { at, source: line.source, location: line.location });
  }
  return [...keys.values()].sort(
    (left, right) => left.at - right.at || compare(left.source, right.source) || compare(left.location, right.location),
  );
}

/** Inserting (or touching) the rows takes their exclusive locks until the transaction ends. */
async function lockKeys(manager: EntityManager, table: string, column: string, keys: RollupKey[]): Promise<void> {
  await manager.query(
    `INSERT INTO ${table} (${column}, source, location, ${SUMS}) VALUES ?
     ON DUPLICATE KEY UPDATE events = events`,
    [keys.map((key) => [...toRow(key), 0, 0, 0, 0, 0, 0])],
  );
}

function toRow(key: RollupKey): [Date, string, string] {
  return [new Date(key.at), key.source, key.location];
}

function unique(dates: Date[]): Date[] {
  return [...new Map(dates.map((date) => [date.getTime(), date])).values()];
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
