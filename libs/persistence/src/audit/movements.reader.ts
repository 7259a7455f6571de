import type { DataSource } from 'typeorm';
import type { InventoryEvent } from '@stockwall/contracts';

/** The event types that move stock on hand (orders placed and cancelled move only `committed`). */
export const MOVEMENT_TYPES = [
  'product_added',
  'product_removed',
  'quantity_changed',
  'stock_adjusted',
  'restock_received',
  'order_fulfilled',
  'order_returned',
] as const;

export interface Movement {
  eventId: string;
  eventType: string;
  sku: string;
  location: string;
  /** The change in on hand: the event's own figure, or for a count (set) the difference from the line before. */
  quantityDelta: number;
  onHandAfter: number;
  actor: string | null;
  reason: string | null;
  occurredAt: string;
}

export interface MovementsQuery {
  sku?: string;
  location?: string;
  from?: number;
  to?: number;
  user?: string;
  /** Keyset position: the last row of the page before, newest first. */
  after?: { occurredAt: number; id: string };
  limit: number;
}

interface MovementRow {
  id: string;
  event_id: string;
  event_type: string;
  line_no: number;
  sku: string;
  location: string;
  occurred_at: Date;
  on_hand_after: string;
  previous_on_hand: string | null;
  actor: string | null;
  reason: string | null;
  payload: string | Record<string, unknown>;
}

/** `1717236000000.42`: the occurred-at and line id of a page's last row. */
export function movementCursor(occurredAt: number, id: string): string {
  return `${occurredAt}.${id}`;
}

export function parseMovementCursor(cursor: string): { occurredAt: number; id: string } | null {
  const match = /^(\d{1,15})\.(\d{1,20})$/.exec(cursor);
  return match ? { occurredAt: Number(match[1]), id: match[2] } : null;
}

/** The change in on hand a stored line stands for. */
export function quantityDeltaOf(
  event: InventoryEvent,
  lineNo: number,
  onHandAfter: number,
  previousOnHand: number | null,
): number {
  switch (event.type) {
    case 'quantity_changed':
      return event.delta;
    case 'restock_received':
      return event.quantity;
    case 'order_fulfilled':
      return -(event.lines[lineNo]?.quantity ?? 0);
    case 'order_returned':
      return event.lines[lineNo]?.quantity ?? 0;
    case 'product_removed':
      if (event.quantity !== undefined) return -event.quantity;
      return onHandAfter - (previousOnHand ?? 0);
    case 'product_added':
    case 'stock_adjusted':
    case 'order_placed':
    case 'order_cancelled':
    case 'reorder_point_set':
    case 'alert_acknowledged':
    case 'product_updated':
      // Counts and (re)creations set on hand: the difference from the SKU's line before (0 for the others).
      return onHandAfter - (previousOnHand ?? 0);
  }
}

/**
 * Stock movements with who made each and why, newest first, paged by (occurred_at, line id): the
 * stored lines of the events that move stock, joined to their events' actor and reason.
 */
export class MovementsReader {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: MovementsQuery): Promise<{ movements: Movement[]; nextCursor: string | null }> {
    const where: string[] = [`l.event_type IN (${MOVEMENT_TYPES.map(() => '?').join(', ')})`];
    const parameters: unknown[] = [...MOVEMENT_TYPES];
    const filter = (clause: string, value: unknown) => {
      where.push(clause);
      parameters.push(value);
    };
    if (query.sku !== undefined) filter('l.sku = ?', query.sku);
    if (query.location !== undefined) filter('l.location = ?', query.location);
    if (query.from !== undefined) filter('l.occurred_at >= ?', new Date(query.from));
    if (query.to !== undefined) filter('l.occurred_at < ?', new Date(query.to));
    if (query.user !== undefined) filter('e.actor = ?', query.user);
    if (query.after) {
      const at = new Date(query.after.occurredAt);
      where.push('(l.occurred_at < ? OR (l.occurred_at = ? AND l.id < ?))');
      parameters.push(at, at, query.after.id);
    }
    const rows = await this.dataSource.query<MovementRow[]>(
      `SELECT l.id, l.event_id, l.event_type, l.line_no, l.sku, l.location, l.occurred_at, l.on_hand_after,
              (SELECT p.on_hand_after FROM inventory_event_lines p
                WHERE p.sku = l.sku AND p.location = l.location AND p.id < l.id
                ORDER BY p.id DESC LIMIT 1) AS previous_on_hand,
              e.actor, e.reason, e.payload
         FROM inventory_event_lines l
         JOIN inventory_events e ON e.event_id = l.event_id
        WHERE ${where.join(' AND ')}
        ORDER BY l.occurred_at DESC, l.id DESC
        LIMIT ?`,
      [...parameters, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    const movements = page.map((row): Movement => {
      const event = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as InventoryEvent;
      const onHandAfter = Number(row.on_hand_after);
      const previous = row.previous_on_hand === null ? null : Number(row.previous_on_hand);
      return {
        eventId: row.event_id,
        eventType: row.event_type,
        sku: row.sku,
        location: row.location,
        quantityDelta: quantityDeltaOf(event, Number(row.line_no), onHandAfter, previous),
        onHandAfter,
        actor: row.actor,
        reason: row.reason,
        occurredAt: row.occurred_at.toISOString(),
      };
    });
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last ? movementCursor(last.occurred_at.getTime(), String(last.id)) : null;
    return { movements, nextCursor };
  }
}
