import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;
const PRUNE_CHUNK = 10_000;

/** Copies stock_levels into stock_snapshots at `takenAt`; a retried job writes the same rows once. */
export async function snapshotStock(dataSource: DataSource, takenAt: Date): Promise<number> {
  const result = await dataSource.query<{ affectedRows: number }>(
    `INSERT IGNORE INTO stock_snapshots (taken_at, sku, location, on_hand, committed, unit_cost_cents, active)
     SELECT ?, sku, location, on_hand, committed, unit_cost_cents, active FROM stock_levels`,
    [takenAt],
  );
  return result.affectedRows ?? 0;
}

/**
 * Deletes raw events (and their lines) older than `retentionDays` before the newest stored event
 * time, capped at `now`: a replay of last year's data is aged by its own clock, as the live windows
 * are. Rollups and snapshots stay. Deletes in chunks so no transaction holds many locks.
 * `event_identities` is never pruned: it is what keeps an event stored once for ever (an import
 * repeated after the prune would otherwise be stored, and counted in the rollups, a second time).
 */
export async function pruneEvents(
  dataSource: DataSource,
  retentionDays: number,
  now: number,
): Promise<{ cutoff: Date | null; events: number; lines: number }> {
  const [row] = await dataSource.query<{ newest: Date | null }[]>(
    'SELECT MAX(occurred_at) AS newest FROM inventory_events',
  );
  if (!row?.newest) return { cutoff: null, events: 0, lines: 0 };
  const cutoff = new Date(Math.min(new Date(row.newest).getTime(), now) - retentionDays * DAY_MS);
  const deleteAll = async (table: string) => {
    let total = 0;
    for (;;) {
      const result = await dataSource.query<{ affectedRows: number }>(
        `DELETE FROM ${table} WHERE occurred_at < ? LIMIT ${PRUNE_CHUNK}`,
        [cutoff],
      );
      total += result.affectedRows;
      if (result.affectedRows < PRUNE_CHUNK) return total;
    }
  };
  const lines = await deleteAll('inventory_event_lines');
  const events = await deleteAll('inventory_events');
  return { cutoff, events, lines };
}
