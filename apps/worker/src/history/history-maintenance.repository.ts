import type { DataSource } from 'typeorm';
import { pruneEvents, snapshotStock } from '@stockwall/persistence';

/** The scheduled upkeep of the MySQL history: stock snapshots and the pruning of old raw events. */
export class HistoryMaintenanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Snapshots every stock level as of `takenAt`; the number of rows written. */
  snapshotStock(takenAt: Date): ReturnType<typeof snapshotStock> {
    return snapshotStock(this.dataSource, takenAt);
  }

  /** Removes the raw events older than `retentionDays` before `now`. */
  pruneEvents(retentionDays: number, now: number): ReturnType<typeof pruneEvents> {
    return pruneEvents(this.dataSource, retentionDays, now);
  }
}
