import type { DataSource, EntityManager } from 'typeorm';
import {
  comparePositions,
  type DeadLetter,
  type InventoryEvent,
  type PersistBatchJob,
  type PositionedEvent,
  type StreamPosition,
} from '@stockwall/contracts';
import type { AppliedBatch, ApplyReceipt, StockState } from '@stockwall/aggregation';
import { costEventLines, EventLine, stockKey } from '../history/event-lines';
import {
  acknowledgeAlerts,
  insertEvents,
  insertLines,
  StoredEvent,
  upsertProducts,
  writeStockLevels,
} from './persist-rows';
import {
  APPLY_REFUSED_REASON,
  eventDeadLetter,
  insertDeadLetters,
  PersistOutOfOrderError,
  redeliveryId,
  rejectedEventLetter,
} from './persist-letters';
import { addLinesToRollups } from '../history/kpi-rollups';
import { insertCustomerOrders } from './customer-orders';
import { latestSuppliers } from './stock-suppliers';
import { isDataRejection, isDeadlock } from './mysql-errors';

/** `persisted_with_rejections`: persisted, but MySQL refused some events, which went to dead_letters. */
export type PersistOutcome = 'persisted' | 'persisted_with_rejections' | 'already_persisted';

/** What one write did: its outcome, and how many events it stored as re-deliveries (see PersistBatchWriter). */
export interface PersistResult {
  outcome: PersistOutcome;
  /** Events whose id MySQL already held, applied again live (a producer retry after the dedupe window). */
  redelivered: number;
}

/**
 * Persists one shard batch in one transaction, following its live apply (the apply receipt): the
 * events the apply counted are inserted, costed and summed into the rollups from each SKU's state
 * before the apply, and stock_levels takes the state after it unless a later apply (by live-state
 * version) already set the row. So MySQL holds what Redis holds whatever order the shards' jobs
 * commit in (docs/aggregation.md, "One order across shards").
 *
 * Shard order still holds: a batch is written only right after the shard's persisted position,
 * and the position check makes a retried job insert nothing. An event whose id MySQL already
 * holds (event_identities keeps every id, past the retention prune) was counted live again (a
 * producer retry after the dedupe window): it is stored as a re-delivery under an id derived from
 * its position, so both stores count it and `redelivered` reports it.
 */
export class PersistBatchWriter {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A row MySQL refuses for its values (out of range, too long, incorrect) fails the same way on
   * every retry; retried as a whole, it would hold every later batch of the shard for good. The
   * batch is then rolled back and written again in the same transaction shape, one event at a
   * time in stream order behind a savepoint: the events MySQL refuses are dead-lettered
   * (`persist_rejected`, with MySQL's reason), the rest are persisted and the position advances,
   * all in one commit, so a retry still finds the batch persisted and nothing counts twice.
   */
  async write(job: PersistBatchJob, receipt: ApplyReceipt): Promise<PersistResult> {
    try {
      return await this.dataSource.transaction('READ COMMITTED', (manager) =>
        this.writeBatch(manager, job, receipt, false),
      );
    } catch (error) {
      if (!isDataRejection(error)) throw error;
      return this.dataSource.transaction('READ COMMITTED', (manager) => this.writeBatch(manager, job, receipt, true));
    }
  }

  /**
   * Consecutive batches of one shard in one transaction (one commit and one position lock for all):
   * how a backlog is written. If MySQL refuses a value, the group is rolled back and each batch
   * written on its own as `write` does, so the refusal is dead-lettered and the rest persisted. So
   * after a deadlock: one batch locks its rows in key order, a group of them does not.
   */
  async writeMany(batches: readonly AppliedBatch[]): Promise<PersistResult[]> {
    if (batches.length === 1) return [await this.write(batches[0].job, batches[0].receipt)];
    try {
      return await this.dataSource.transaction('READ COMMITTED', async (manager) => {
        const results: PersistResult[] = [];
        for (const { job, receipt } of batches) results.push(await this.writeBatch(manager, job, receipt, false));
        return results;
      });
    } catch (error) {
      if (!isDataRejection(error) && !isDeadlock(error)) throw error;
      const results: PersistResult[] = [];
      for (const { job, receipt } of batches) results.push(await this.write(job, receipt));
      return results;
    }
  }

  private async writeBatch(
    manager: EntityManager,
    job: PersistBatchJob,
    receipt: ApplyReceipt,
    eventByEvent: boolean,
  ): Promise<PersistResult> {
    const persisted = await this.lockShardPosition(manager, job);
    if (persisted && comparePositions(job.last, persisted) <= 0)
      return { outcome: 'already_persisted', redelivered: 0 };
    if (job.after && (!persisted || comparePositions(job.after, persisted) > 0)) {
      throw new PersistOutOfOrderError(job, persisted);
    }
    if (!job.after && !persisted) await this.requireParentsPersisted(manager, job);
    const inPosition = persisted
      ? job.events.filter((item) => comparePositions(item.position, persisted) > 0)
      : job.events;
    const dropped = new Map(receipt.dropped.map((entry) => [entry.eventId, entry]));
    const applied = inPosition.filter((item) => !dropped.has(item.event.eventId));
    const letters = [
      ...(persisted
        ? job.deadLetters.filter((letter) => comparePositions(letter.position, persisted) > 0)
        : job.deadLetters),
      ...inPosition.flatMap((item) => {
        const entry = dropped.get(item.event.eventId);
        return entry?.reason === 'apply_refused'
          ? [eventDeadLetter(job, item, APPLY_REFUSED_REASON, entry.detail)]
          : [];
      }),
    ];
    const stored = await this.storageIds(manager, job, applied);
    const rejected = await this.persistEvents(manager, job, stored, receipt, eventByEvent);
    for (const letter of [...letters, ...rejected]) {
      // A dead letter MySQL refuses too is left out rather than holding the shard.
      if (eventByEvent) await this.inSavepoint(manager, () => insertDeadLetters(manager, [letter]));
    }
    if (!eventByEvent) await insertDeadLetters(manager, letters);
    // An empty batch (every record dead-lettered) still moves the position, so the next one finds its `after`.
    await manager.query(
      'UPDATE shard_positions SET sequence_number = ?, sub_sequence = ? WHERE stream_name = ? AND shard_id = ?',
      [job.last.sequenceNumber, job.last.subSequence, job.streamName, job.shardId],
    );
    const redelivered = stored.filter((item) => item.storageId !== item.event.eventId).length;
    return { outcome: rejected.length > 0 ? 'persisted_with_rejections' : 'persisted', redelivered };
  }

  /**
   * A child shard's first batch waits until each parent is persisted to its final position, so a
   * shard's positions in MySQL only ever describe a prefix of the stream the live state has read.
   */
  private async requireParentsPersisted(manager: EntityManager, job: PersistBatchJob): Promise<void> {
    for (const parent of job.parents ?? []) {
      const [row] = await manager.query<{ sequence_number: string | null; sub_sequence: number }[]>(
        'SELECT sequence_number, sub_sequence FROM shard_positions WHERE stream_name = ? AND shard_id = ?',
        [job.streamName, parent.shardId],
      );
      const persisted = row?.sequence_number
        ? { sequenceNumber: row.sequence_number, subSequence: Number(row.sub_sequence) }
        : null;
      if (!persisted || comparePositions(persisted, parent.last) < 0) {
        throw new PersistOutOfOrderError(job, persisted, parent);
      }
    }
  }

  /** The id each event is stored under: its own, or for one MySQL already holds, a re-delivery id. */
  private async storageIds(
    manager: EntityManager,
    job: PersistBatchJob,
    items: PositionedEvent[],
  ): Promise<StoredEvent[]> {
    if (items.length === 0) return [];
    const known = new Set<string>();
    for (let start = 0; start < items.length; start += 5_000) {
      const ids = items.slice(start, start + 5_000).map((item) => item.event.eventId);
      for (const row of await manager.query<{ event_id: string }[]>(
        'SELECT event_id FROM event_identities WHERE event_id IN (?)',
        [ids],
      )) {
        known.add(row.event_id);
      }
    }
    return items.map((item) => ({
      ...item,
      storageId: known.has(item.event.eventId) ? redeliveryId(job, item) : item.event.eventId,
    }));
  }

  /**
   * Inserts the events, costs their lines from each SKU's state before the apply, adds them to the
   * rollups, records acknowledgements and products, and sets stock_levels to the state after the
   * apply. Event by event (behind savepoints), the events MySQL refuses come back as dead letters;
   * stock_levels still takes the live state, which counted them.
   */
  private async persistEvents(
    manager: EntityManager,
    job: PersistBatchJob,
    items: StoredEvent[],
    receipt: ApplyReceipt,
    eventByEvent: boolean,
  ): Promise<DeadLetter[]> {
    const states = new Map<string, StockState>();
    for (const { sku, location, state } of receipt.before) if (state) states.set(stockKey(sku, location), state);
    const events = items.map((item) => ({ ...item.event, eventId: item.storageId }));
    const lines = costEventLines(events, states);
    const refused: DeadLetter[] = [];
    const stored: InventoryEvent[] = [];
    const persistSome = async (some: StoredEvent[], someLines: EventLine[]) => {
      await insertEvents(manager, job, some, receipt.version);
      await insertCustomerOrders(manager, some);
      await acknowledgeAlerts(
        manager,
        some.map((item) => item.event),
      );
      await insertLines(manager, someLines);
      await addLinesToRollups(manager, someLines);
      await upsertProducts(
        manager,
        some.map((item) => item.event),
      );
    };
    if (!eventByEvent) {
      await persistSome(items, lines);
      stored.push(...items.map((item) => item.event));
    } else {
      const linesByEvent = new Map<string, EventLine[]>();
      for (const line of lines) linesByEvent.set(line.eventId, [...(linesByEvent.get(line.eventId) ?? []), line]);
      for (const item of items) {
        const error = await this.inSavepoint(manager, () =>
          persistSome([item], linesByEvent.get(item.storageId) ?? []),
        );
        if (error) refused.push(rejectedEventLetter(job, item, error));
        else stored.push(item.event);
      }
    }
    await writeStockLevels(manager, states, receipt, latestSuppliers(stored));
    return refused;
  }

  /** Runs `work` behind a savepoint; a data rejection is rolled back to it and returned, anything else thrown. */
  private async inSavepoint(manager: EntityManager, work: () => Promise<void>): Promise<unknown> {
    await manager.query('SAVEPOINT persist_item');
    try {
      await work();
    } catch (error) {
      if (!isDataRejection(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT persist_item');
      return error;
    }
    await manager.query('RELEASE SAVEPOINT persist_item');
    return null;
  }

  private async lockShardPosition(manager: EntityManager, job: PersistBatchJob): Promise<StreamPosition | null> {
    // Not INSERT IGNORE: its shared lock on an existing row, upgraded by the FOR UPDATE below, deadlocks two
    // batches of one shard taken at once; a no-op ON DUPLICATE KEY UPDATE takes the exclusive lock directly.
    await manager.query(
      `INSERT INTO shard_positions (stream_name, shard_id, sequence_number, sub_sequence) VALUES (?, ?, NULL, 0)
       ON DUPLICATE KEY UPDATE sub_sequence = sub_sequence`,
      [job.streamName, job.shardId],
    );
    const [row] = await manager.query<{ sequence_number: string | null; sub_sequence: number }[]>(
      'SELECT sequence_number, sub_sequence FROM shard_positions WHERE stream_name = ? AND shard_id = ? FOR UPDATE',
      [job.streamName, job.shardId],
    );
    return row?.sequence_number ? { sequenceNumber: row.sequence_number, subSequence: Number(row.sub_sequence) } : null;
  }
}

// The processor tells an outage from a bad batch with the same reading of MySQL's errors.
export { describeMysqlError, isConnectionError, isDataRejection } from './mysql-errors';
export * from './persist-letters';
export { inventoryEventRow } from './persist-rows';
