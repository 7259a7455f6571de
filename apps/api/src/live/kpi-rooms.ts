import { ALL_SOURCES, KpisDelta, KpiWindow } from '@stockwall/contracts';
import { KPI_REFRESH_MS, KpiDeltaCoalescer, KpiReading } from './kpi-delta-coalescer';
import { MIN_FLUSH_INTERVAL_MS } from './stock-delta-coalescer';

export const KPI_ROOM_PREFIX = 'kpis@';

/** `kpis@<window>@<source>`, `*` for all sources (a source code never starts with `*`). */
export function kpiRoomOf(window: KpiWindow, source: string | null): string {
  return `${KPI_ROOM_PREFIX}${window}@${source ?? ALL_SOURCES}`;
}

export interface KpiRoomsOptions {
  /** Reads one window and source with the version it reflects. */
  read(window: KpiWindow, source: string | null): Promise<KpiReading>;
  /** Sends one delta to every client of the room. */
  emit(room: string, delta: KpisDelta): void;
  hasSubscribers(room: string): boolean;
  onReadError?(room: string, error: Error): void;
  minIntervalMs?: number;
  refreshMs?: number;
}

interface KpiRoom {
  window: KpiWindow;
  source: string | null;
  coalescer: KpiDeltaCoalescer;
}

/**
 * The `kpis` rooms of one API process, keyed by window and source. A room's KPIs are read once
 * per flush and the delta sent to all its clients, whatever their number; a room whose clients
 * have all left is dropped before its next read, so only rooms with subscribers cost reads.
 * Reads are triggered by change notices (after the rest of the same feed read) and by time.
 */
export class KpiRooms {
  private readonly rooms = new Map<string, KpiRoom>();
  private readonly minIntervalMs: number;
  private readonly refreshMs: number;
  private timer: NodeJS.Timeout | null = null;
  private pass: NodeJS.Immediate | null = null;
  private stopped = false;

  constructor(private readonly options: KpiRoomsOptions) {
    this.minIntervalMs = options.minIntervalMs ?? MIN_FLUSH_INTERVAL_MS;
    this.refreshMs = options.refreshMs ?? KPI_REFRESH_MS;
  }

  get size(): number {
    return this.rooms.size;
  }

  /** The room of a window and source, created starting at `version` when it does not exist yet. */
  open(window: KpiWindow, source: string | null, version: number): string {
    const name = kpiRoomOf(window, source);
    if (!this.rooms.has(name)) {
      const coalescer = new KpiDeltaCoalescer(version, Date.now(), this.minIntervalMs, this.refreshMs);
      this.rooms.set(name, { window, source, coalescer });
      this.schedule();
    }
    return name;
  }

  /** A change notice: every room reads again as soon as its pace allows. */
  accept(version: number): void {
    for (const room of this.rooms.values()) room.coalescer.accept(version);
    this.pass ??= setImmediate(() => {
      this.pass = null;
      this.run();
    });
  }

  /** The version went back: every room restarts at `version`. Returns the rooms whose clients must resubscribe. */
  reset(version: number): string[] {
    for (const room of this.rooms.values()) room.coalescer.reset(version);
    this.schedule();
    return [...this.rooms.keys()];
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pass) clearImmediate(this.pass);
    this.timer = null;
    this.pass = null;
  }

  /** Starts the read of every room that is due and drops the rooms nobody follows any more. */
  private run(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const [name, room] of this.rooms) {
      if (!this.options.hasSubscribers(name)) {
        this.rooms.delete(name);
        continue;
      }
      const ticket = room.coalescer.begin(now);
      if (ticket !== null) void this.read(name, room, ticket);
    }
    this.schedule();
  }

  private async read(name: string, room: KpiRoom, ticket: number): Promise<void> {
    try {
      const reading = await this.options.read(room.window, room.source);
      const delta = room.coalescer.complete(ticket, Date.now(), reading);
      if (delta && !this.stopped && this.rooms.get(name) === room) this.options.emit(name, delta);
    } catch (error) {
      room.coalescer.fail(ticket, Date.now());
      this.options.onReadError?.(name, error as Error);
    }
    this.schedule();
  }

  /** One timer, for the room due first. */
  private schedule(): void {
    if (this.stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const room of this.rooms.values()) next = Math.min(next, room.coalescer.dueAt() ?? Number.POSITIVE_INFINITY);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.run(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }
}
