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
import { foldStock, StockState } from '@stockwall/aggregation';
import { costEventLines, EventLine, stockKey } from '../history/event-lines';
import { addLinesToRollups } from '../history/kpi-rollups';
import { describeMysqlError, isDataRejection } from './mysql-errors';

/** `persisted_with_rejections`: persisted, but MySQL refused some events, which went to dead_letters. */
export type PersistOutcome = 'persisted' | 'persisted_with_rejections' | 'already_persisted';

/** Dead-letter reason of an event MySQL refused for its values (see PersistBatchWriter.write). */
export const PERSIST_REJECTED_REASON = 'persist_rejected';
/** Bytes of the refused event's JSON kept with its dead letter, as for records refused at ingest. */
const REJECTED_RAW_BYTES = 2048;

/**
 * The previous batch of the shard, or for a child shard's first batch a parent's last one, is not
 * persisted yet; the job waits and retries later without spending an attempt.
 */
export class PersistOutOfOrderError extends Error {
  constructor(job: PersistBatchJob, persisted: StreamPosition | null, waitingFor?: ShardEndPosition) {
    super(
      waitingFor
        ? `First batch of ${job.shardId} waits for its parent ${waitingFor.shardId} to be persisted up to ` +
            `${waitingFor.last.sequenceNumber} (persisted up to ${persisted?.sequenceNumber ?? 'nothing'})`
        : `Batch of ${job.shardId} after ${job.after?.sequenceNumber ?? 'start'} waits for earlier batches ` +
            `(persisted up to ${persisted?.sequenceNumber ?? 'nothing'})`,
    );
    this.name = 'PersistOutOfOrderError';
  }
}

/** One inventory_events row, in the column order of the INSERT below. */
export function inventoryEventRow(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  { position, event }: PositionedEvent,
): (string | number | Date | null)[] {
  return [
    event.eventId,
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

/**
 * Persists one shard batch in one transaction, in shard order: events beyond the shard's
 * persisted position are inserted (unique event id), their stock effect applied to
 * stock_levels with the same fold as the live path, dead letters stored, and the position
 * advanced. Each event's stock effects are stored as lines (with the COGS at the cost held then)
 * and added to the per-minute and per-hour rollups in the same transaction. Only events this
 * transaction inserts reach the lines and rollups, and the position check and the unique event id
 * make a retried, re-read or overlapping batch insert nothing, so nothing is counted twice.
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
  async write(job: PersistBatchJob): Promise<PersistOutcome> {
    try {
      return await this.dataSource.transaction('READ COMMITTED', (manager) => this.writeBatch(manager, job, false));
    } catch (error) {
      if (!isDataRejection(error)) throw error;
      return this.dataSource.transaction('READ COMMITTED', (manager) => this.writeBatch(manager, job, true));
    }
  }

  private async writeBatch(
    manager: EntityManager,
    job: PersistBatchJob,
    eventByEvent: boolean,
  ): Promise<PersistOutcome> {
    const persisted = await this.lockShardPosition(manager, job);
    if (persisted && comparePositions(job.last, persisted) <= 0) return 'already_persisted';
    if (job.after && (!persisted || comparePositions(job.after, persisted) > 0)) {
      throw new PersistOutOfOrderError(job, persisted);
    }
    if (!job.after && !persisted) await this.requireParentsPersisted(manager, job);
    const fresh = persisted ? job.events.filter((item) => comparePositions(item.position, persisted) > 0) : job.events;
    const letters = persisted
      ? job.deadLetters.filter((letter) => comparePositions(letter.position, persisted) > 0)
      : job.deadLetters;
    let rejected = 0;
    if (eventByEvent) {
      const refused: DeadLetter[] = [];
      for (const item of fresh) {
        const error = await this.inSavepoint(manager, () => this.persistEvents(manager, job, [item]));
        if (error) refused.push(rejectedEventLetter(job, item, error));
      }
      rejected = refused.length;
      for (const letter of [...letters, ...refused]) {
        // A dead letter MySQL refuses too is left out rather than holding the shard.
        await this.inSavepoint(manager, () => this.insertDeadLetters(manager, [letter]));
      }
    } else {
      await this.persistEvents(manager, job, fresh);
      await this.insertDeadLetters(manager, letters);
    }
    // An empty batch (every record filtered out) still moves the position, so the next one finds its `after`.
    await manager.query(
      'UPDATE shard_positions SET sequence_number = ?, sub_sequence = ? WHERE stream_name = ? AND shard_id = ?',
      [job.last.sequenceNumber, job.last.subSequence, job.streamName, job.shardId],
    );
    return rejected > 0 ? 'persisted_with_rejections' : 'persisted';
  }

  /**
   * A child shard's first batch waits until each parent is persisted to its final position: the
   * live apply reads parents to their end before a child, and MySQL must apply a SKU's events in
   * the same order (a set or a restock's average cost does not commute).
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

  /**
   * Inserts the events (each once), applies their stock effect, adds their lines to the rollups
   * and records the alert acknowledgements among them.
   */
  private async persistEvents(manager: EntityManager, job: PersistBatchJob, items: PositionedEvent[]): Promise<void> {
    const inserted = await this.insertEvents(manager, job, items);
    const events = items.filter((item) => inserted.has(item.event.eventId)).map((item) => item.event);
    await this.acknowledgeAlerts(manager, events);
    const lines = await this.applyStock(manager, events);
    await this.insertLines(manager, lines);
    await addLinesToRollups(manager, lines);
    await this.upsertProducts(
      manager,
      items.map((item) => item.event),
    );
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

  /** Inserts the events and returns the ids that were new (a producer retry may repeat an id). */
  private async insertEvents(
    manager: EntityManager,
    job: PersistBatchJob,
    items: PositionedEvent[],
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const ids = items.map((item) => item.event.eventId);
    const existing = new Set(
      (
        await manager.query<{ event_id: string }[]>('SELECT event_id FROM inventory_events WHERE event_id IN (?)', [
          ids,
        ])
      ).map((row) => row.event_id),
    );
    const fresh = new Map<string, PositionedEvent>();
    for (const item of items)
      if (!existing.has(item.event.eventId) && !fresh.has(item.event.eventId)) fresh.set(item.event.eventId, item);
    if (fresh.size === 0) return new Set();
    const rows = [...fresh.values()].map((item) => inventoryEventRow(job, item));
    await manager.query(
      `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
         occurred_at, location, source, sku, order_id, payload) VALUES ?`,
      [rows],
    );
    return new Set(fresh.keys());
  }

  /** Replays the events against stock_levels (locked), writes the new levels and returns the costed lines. */
  private async applyStock(manager: EntityManager, events: InventoryEvent[]): Promise<EventLine[]> {
    const { changes } = foldStock(events);
    if (changes.length === 0) return [];
    const current = await manager.query<StockLevelRow[]>(
      `SELECT sku, location, name, on_hand, committed, unit_cost_cents, unit_price_cents, reorder_point, active,
         last_event_at FROM stock_levels WHERE (sku, location) IN (?) FOR UPDATE`,
      [changes.map((change) => [change.sku, change.location])],
    );
    const states = new Map(current.map((row) => [stockKey(row.sku, row.location), fromRow(row)]));
    const lines = costEventLines(events, states);
    const rows = changes.map((change) => {
      const state = states.get(stockKey(change.sku, change.location))!;
      return [
        change.sku,
        change.location,
        state.name,
        state.onHand,
        state.committed,
        state.unitCostCents,
        state.unitPriceCents,
        state.reorderPoint,
        state.active ? 1 : 0,
        state.lastEventAt === null ? null : new Date(state.lastEventAt),
      ];
    });
    await manager.query(
      `INSERT INTO stock_levels (sku, location, name, on_hand, committed, unit_cost_cents, unit_price_cents,
         reorder_point, active, last_event_at) VALUES ?
       ON DUPLICATE KEY UPDATE name = VALUES(name), on_hand = VALUES(on_hand), committed = VALUES(committed),
         unit_cost_cents = VALUES(unit_cost_cents), unit_price_cents = VALUES(unit_price_cents),
         reorder_point = VALUES(reorder_point), active = VALUES(active), last_event_at = VALUES(last_event_at)`,
      [rows],
    );
    return lines;
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
    const products = new Map<string, unknown[]>();
    for (const event of events) {
      if (event.type !== 'product_added') continue;
      products.set(event.sku, [
        event.sku,
        event.name,
        event.unitPriceCents ?? null,
        event.unitCostCents ?? null,
        event.reorderPoint ?? null,
      ]);
    }
    if (products.size === 0) return;
    await manager.query(
      `INSERT INTO products (sku, name, unit_price_cents, unit_cost_cents, reorder_point) VALUES ?
       ON DUPLICATE KEY UPDATE name = VALUES(name),
         unit_price_cents = COALESCE(VALUES(unit_price_cents), unit_price_cents),
         unit_cost_cents = COALESCE(VALUES(unit_cost_cents), unit_cost_cents),
         reorder_point = COALESCE(VALUES(reorder_point), reorder_point)`,
      [[...products.values()]],
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

interface StockLevelRow {
  sku: string;
  location: string;
  name: string | null;
  on_hand: number;
  committed: number;
  unit_cost_cents: string | null;
  unit_price_cents: string | null;
  reorder_point: number | null;
  active: number;
  last_event_at: Date | null;
}

function fromRow(row: StockLevelRow): StockState {
  return {
    onHand: Number(row.on_hand),
    committed: Number(row.committed),
    unitCostCents: row.unit_cost_cents === null ? null : Number(row.unit_cost_cents),
    unitPriceCents: row.unit_price_cents === null ? null : Number(row.unit_price_cents),
    reorderPoint: row.reorder_point,
    active: Boolean(row.active),
    name: row.name,
    lastEventAt: row.last_event_at ? row.last_event_at.getTime() : null,
  };
}

/** The dead letter of an event MySQL refused: its own position, MySQL's reason, and the event as persisted (JSON). */
export function rejectedEventLetter(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  { position, event }: PositionedEvent,
  error: unknown,
  receivedAt = Date.now(),
): DeadLetter {
  const raw = Buffer.from(JSON.stringify(event));
  return {
    streamName: job.streamName,
    shardId: job.shardId,
    position,
    reason: PERSIST_REJECTED_REASON,
    detail: `MySQL refused event ${event.eventId} (${event.type}): ${describeMysqlError(error)}`,
    rawBase64: raw.subarray(0, REJECTED_RAW_BYTES).toString('base64'),
    rawBytes: raw.byteLength,
    receivedAt,
  };
}

// The processor tells an outage from a bad batch with the same reading of MySQL's errors.
export { describeMysqlError, isConnectionError, isDataRejection } from './mysql-errors';
