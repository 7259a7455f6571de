import type { DataSource, EntityManager } from 'typeorm';
import {
  comparePositions,
  DeadLetter,
  InventoryEvent,
  PersistBatchJob,
  PositionedEvent,
  ShardEndPosition,
  StreamPosition,
} from '@stockwall/contracts';
import { createHash } from 'node:crypto';
import type { AppliedBatch, ApplyReceipt, StockState } from '@stockwall/aggregation';
import { costEventLines, EventLine, stockKey } from '../history/event-lines';
import { addLinesToRollups } from '../history/kpi-rollups';
import { insertCustomerOrders } from './customer-orders';
import { recordSuppliers } from './stock-suppliers';
import { describeMysqlError, isDataRejection, isDeadlock } from './mysql-errors';

/** `persisted_with_rejections`: persisted, but MySQL refused some events, which went to dead_letters. */
export type PersistOutcome = 'persisted' | 'persisted_with_rejections' | 'already_persisted';

/** Dead-letter reason of an event MySQL refused for its values (see PersistBatchWriter.write). */
export const PERSIST_REJECTED_REASON = 'persist_rejected';
/** Dead-letter reason of an event the live apply refused (it would break a bound of the live state). */
export const APPLY_REFUSED_REASON = 'apply_refused';
/** Bytes of the refused event's JSON kept with its dead letter, as for records refused at ingest. */
const REJECTED_RAW_BYTES = 2048;

/**
 * The previous batch of the shard, or for a child shard's first batch a parent's last one, is not
 * persisted yet; the job waits and retries later without spending an attempt.
 */
export class PersistOutOfOrderError extends Error {
  readonly streamName: string;
  /** The shard MySQL must advance first: the job's own, or the parent its first batch waits for. */
  readonly shardId: string;
  /** Where MySQL stands on that shard: its next batch to persist starts here. */
  readonly persisted: StreamPosition | null;

  constructor(job: PersistBatchJob, persisted: StreamPosition | null, waitingFor?: ShardEndPosition) {
    super(
      waitingFor
        ? `First batch of ${job.shardId} waits for its parent ${waitingFor.shardId} to be persisted up to ` +
            `${waitingFor.last.sequenceNumber} (persisted up to ${persisted?.sequenceNumber ?? 'nothing'})`
        : `Batch of ${job.shardId} after ${job.after?.sequenceNumber ?? 'start'} waits for earlier batches ` +
            `(persisted up to ${persisted?.sequenceNumber ?? 'nothing'})`,
    );
    this.name = 'PersistOutOfOrderError';
    this.streamName = job.streamName;
    this.shardId = waitingFor?.shardId ?? job.shardId;
    this.persisted = persisted;
  }
}

/** One inventory_events row, in the column order of the INSERT below. */
export function inventoryEventRow(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  { position, event }: PositionedEvent,
  storageId = event.eventId,
): (string | number | Date | null)[] {
  return [
    storageId,
    event.type,
    job.streamName,
    job.shardId,
    position.sequenceNumber,
    position.subSequence,
    new Date(event.occurredAt),
    event.location,
    event.source,
    'sku' in event ? event.sku : null,
    'orderId' in event ? event.orderId : null,
    JSON.stringify(event),
  ];
}

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
      if (eventByEvent) await this.inSavepoint(manager, () => this.insertDeadLetters(manager, [letter]));
    }
    if (!eventByEvent) await this.insertDeadLetters(manager, letters);
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
      await this.insertEvents(manager, job, some, receipt.version);
      await insertCustomerOrders(manager, some);
      await this.acknowledgeAlerts(
        manager,
        some.map((item) => item.event),
      );
      await this.insertLines(manager, someLines);
      await addLinesToRollups(manager, someLines);
      await this.upsertProducts(
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
    await this.writeStockLevels(manager, states, receipt);
    await recordSuppliers(manager, stored);
    return refused;
  }

  /** The first acknowledgement of an open alert is kept; a later one changes nothing. */
  private async acknowledgeAlerts(manager: EntityManager, events: InventoryEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'alert_acknowledged') continue;
      await manager.query(
        `UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?
         WHERE alert_id = ? AND status = 'open'`,
        [new Date(event.occurredAt), event.acknowledgedBy, event.alertId],
      );
    }
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

  /** Inserts the events under their storage ids, with the version of the apply that counted them, and keeps the ids. */
  private async insertEvents(
    manager: EntityManager,
    job: PersistBatchJob,
    items: StoredEvent[],
    applyVersion: number,
  ): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map((item) => [...inventoryEventRow(job, item, item.storageId), applyVersion]);
    await manager.query(
      `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
         occurred_at, location, source, sku, order_id, payload, apply_version) VALUES ?`,
      [rows],
    );
    const now = new Date();
    await manager.query('INSERT IGNORE INTO event_identities (event_id, first_stored_at) VALUES ?', [
      items.map((item) => [item.storageId, now]),
    ]);
  }

  /**
   * Each changed SKU's state after the apply, unless the row holds a later apply's (a higher
   * version): jobs of different shards may commit in any order and still leave the latest state.
   * Rows are written in key order so concurrent batches lock them in the same order.
   */
  private async writeStockLevels(
    manager: EntityManager,
    states: Map<string, StockState>,
    receipt: ApplyReceipt,
  ): Promise<void> {
    const rows = receipt.before
      .map(({ sku, location }) => ({ sku, location, state: states.get(stockKey(sku, location)) }))
      .filter((row): row is { sku: string; location: string; state: StockState } => row.state !== undefined)
      .sort((left, right) =>
        left.sku === right.sku ? compareText(left.location, right.location) : compareText(left.sku, right.sku),
      )
      .map(({ sku, location, state }) => [
        sku,
        location,
        state.name,
        state.onHand,
        state.committed,
        state.unitCostCents,
        state.unitPriceCents,
        state.reorderPoint,
        state.active ? 1 : 0,
        state.lastEventAt === null ? null : new Date(state.lastEventAt),
        receipt.version,
      ]);
    if (rows.length === 0) return;
    // MariaDB assigns left to right, each seeing the columns already assigned: live_version goes last.
    const newer = '(live_version IS NULL OR VALUES(live_version) > live_version)';
    const take = (column: string) => `${column} = IF(${newer}, VALUES(${column}), ${column})`;
    await manager.query(
      `INSERT INTO stock_levels (sku, location, name, on_hand, committed, unit_cost_cents, unit_price_cents,
         reorder_point, active, last_event_at, live_version) VALUES ?
       ON DUPLICATE KEY UPDATE ${[
         'name',
         'on_hand',
         'committed',
         'unit_cost_cents',
         'unit_price_cents',
         'reorder_point',
         'active',
         'last_event_at',
         'live_version',
       ]
         .map(take)
         .join(', ')}`,
      [rows],
    );
  }

  private async insertLines(manager: EntityManager, lines: EventLine[]): Promise<void> {
    // Chunks keep each statement well under max_allowed_packet.
    for (let start = 0; start < lines.length; start += 2_000) {
      await manager.query(
        `INSERT INTO inventory_event_lines (event_id, line_no, event_type, occurred_at, minute_at, source, location, sku,
           orders, units, revenue_cents, shipped, cogs_cents, on_hand_after, committed_after) VALUES ?`,
        [
          lines
            .slice(start, start + 2_000)
            .map((line) => [
              line.eventId,
              line.lineNo,
              line.eventType,
              new Date(line.occurredAt),
              new Date(line.minute),
              line.source,
              line.location,
              line.sku,
              line.orders,
              line.units,
              line.revenueCents,
              line.shipped,
              line.cogsCents,
              line.onHandAfter,
              line.committedAfter,
            ]),
        ],
      );
    }
  }

  private async upsertProducts(manager: EntityManager, events: InventoryEvent[]): Promise<void> {
    // In stream order, merged per SKU: a product_updated changes only the fields it gives.
    const products = new Map<string, ProductRow>();
    for (const event of events) {
      if (event.type === 'product_added') {
        const before = products.get(event.sku);
        products.set(event.sku, {
          name: event.name,
          unitPriceCents: event.unitPriceCents ?? before?.unitPriceCents ?? null,
          unitCostCents: event.unitCostCents ?? before?.unitCostCents ?? null,
          reorderPoint: event.reorderPoint ?? before?.reorderPoint ?? null,
          category: before?.category ?? null,
          description: before?.description ?? null,
        });
      } else if (event.type === 'product_updated') {
        const before = products.get(event.sku);
        products.set(event.sku, {
          name: event.name ?? before?.name ?? null,
          unitPriceCents: event.unitPriceCents ?? before?.unitPriceCents ?? null,
          unitCostCents: event.unitCostCents ?? before?.unitCostCents ?? null,
          reorderPoint: before?.reorderPoint ?? null,
          category: event.category ?? before?.category ?? null,
          description: event.description ?? before?.description ?? null,
        });
      }
    }
    if (products.size === 0) return;
    const rows = [...products].map(([sku, row]) => [
      sku,
      row.name,
      row.unitPriceCents,
      row.unitCostCents,
      row.reorderPoint,
      row.category,
      row.description,
    ]);
    await manager.query(
      `INSERT INTO products (sku, name, unit_price_cents, unit_cost_cents, reorder_point, category, description) VALUES ?
       ON DUPLICATE KEY UPDATE name = COALESCE(VALUES(name), name),
         unit_price_cents = COALESCE(VALUES(unit_price_cents), unit_price_cents),
         unit_cost_cents = COALESCE(VALUES(unit_cost_cents), unit_cost_cents),
         reorder_point = COALESCE(VALUES(reorder_point), reorder_point),
         category = COALESCE(VALUES(category), category),
         description = COALESCE(VALUES(description), description)`,
      [rows],
    );
  }

  private async insertDeadLetters(manager: EntityManager, letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await manager.query(
      `INSERT IGNORE INTO dead_letters (stream_name, shard_id, sequence_number, sub_sequence, reason, detail,
         raw_base64, raw_bytes, received_at) VALUES ?`,
      [
        letters.map((letter) => [
          letter.streamName,
          letter.shardId,
          letter.position.sequenceNumber,
          letter.position.subSequence,
          letter.reason,
          letter.detail.slice(0, 1024),
          letter.rawBase64,
          letter.rawBytes,
          new Date(letter.receivedAt),
        ]),
      ],
    );
  }
}

/** An event with the id it is stored under (its own, or a re-delivery id). */
interface StoredEvent extends PositionedEvent {
  storageId: string;
}

/**
 * The id of an event stored again (a producer retry the live apply counted after the dedupe window):
 * the original id (cut to fit) and a hash of the record's position, unique per delivery.
 */
export function redeliveryId(job: Pick<PersistBatchJob, 'shardId'>, { position, event }: PositionedEvent): string {
  const hash = createHash('sha256')
    .update(`${job.shardId}/${position.sequenceNumber}/${position.subSequence}`)
    .digest('hex')
    .slice(0, 20);
  return `${event.eventId.slice(0, 128)}~r${hash}`;
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The dead letter of an event MySQL refused: its own position, MySQL's reason, and the event as persisted (JSON). */
export function rejectedEventLetter(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  item: PositionedEvent,
  error: unknown,
  receivedAt = Date.now(),
): DeadLetter {
  const detail = `MySQL refused event ${item.event.eventId} (${item.event.type}): ${describeMysqlError(error)}`;
  return eventDeadLetter(job, item, PERSIST_REJECTED_REASON, detail, receivedAt);
}

/** The dead letter of a decoded event left out of the stores: its own position, the reason, and the event as JSON. */
export function eventDeadLetter(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  { position, event }: PositionedEvent,
  reason: string,
  detail: string,
  receivedAt = Date.now(),
): DeadLetter {
  const raw = Buffer.from(JSON.stringify(event));
  return {
    streamName: job.streamName,
    shardId: job.shardId,
    position,
    reason,
    detail,
    rawBase64: raw.subarray(0, REJECTED_RAW_BYTES).toString('base64'),
    rawBytes: raw.byteLength,
    receivedAt,
  };
}

// The processor tells an outage from a bad batch with the same reading of MySQL's errors.
export { describeMysqlError, isConnectionError, isDataRejection } from './mysql-errors';

/** A products row as a batch leaves it; null: unchanged by the batch. */
interface ProductRow {
  name: string | null;
  unitPriceCents: number | null;
  unitCostCents: number | null;
  reorderPoint: number | null;
  category: string | null;
  description: string | null;
}
