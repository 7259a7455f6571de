import { io, Socket } from 'socket.io-client';
import type {
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  StockDelta,
  StockRow,
  SubscribeAck,
} from '@stockwall/contracts';

type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/**
 * A wall-screen client of one API process, following docs/live-protocol.md as the dashboard does: a
 * snapshot on every (re)connect, deltas applied when `previousVersion ≤ held < version`, a fresh
 * subscribe on a gap or a resync notice. Socket.IO reconnects it when its API process dies and comes
 * back. At the end it must hold exactly the live state.
 */
export class LiveMirror {
  readonly rows = new Map<string, StockRow>();
  version: number | null = null;
  connects = 0;
  disconnects = 0;
  subscribes = 0;
  gaps = 0;
  resyncs = 0;
  deltas = 0;
  lastError: string | null = null;
  private readonly socket: LiveSocket;
  private pending = false;
  private buffered: StockDelta[] = [];

  constructor(
    readonly name: string,
    url: string,
    token: string,
  ) {
    this.socket = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 2_000,
      randomizationFactor: 0.5,
    });
    this.socket.on('connect', () => {
      this.connects++;
      void this.subscribe();
    });
    this.socket.on('disconnect', () => {
      this.disconnects++;
      this.version = null;
    });
    this.socket.on('connect_error', (error) => (this.lastError = error.message));
    this.socket.on('stock.delta', (delta) => {
      this.deltas++;
      if (this.pending) this.buffered.push(delta);
      else this.apply(delta);
    });
    this.socket.on('stock.resync', () => {
      this.resyncs++;
      void this.subscribe();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.disconnect();
  }

  private async subscribe(): Promise<void> {
    this.pending = true;
    this.buffered = [];
    this.subscribes++;
    let ack: SubscribeAck;
    try {
      ack = (await this.socket.timeout(30_000).emitWithAck('subscribe', { channels: ['stock'] })) as SubscribeAck;
    } catch (error) {
      // No answer (the process died meanwhile): the next connect subscribes again.
      this.lastError = `subscribe: ${(error as Error).message}`;
      if (this.socket.connected) void this.subscribe();
      return;
    }
    if (!ack.ok) {
      this.lastError = `subscribe refused: ${ack.error.message}`;
      return;
    }
    this.rows.clear();
    for (const row of ack.snapshot.stock) this.rows.set(`${row.sku}\t${row.location}`, row);
    this.version = ack.version;
    this.pending = false;
    for (const delta of this.buffered.splice(0)) this.apply(delta);
  }

  private apply(delta: StockDelta): void {
    if (this.version === null || delta.version <= this.version) return;
    if (delta.previousVersion > this.version) {
      this.gaps++;
      void this.subscribe();
      return;
    }
    for (const row of delta.rows) this.rows.set(`${row.sku}\t${row.location}`, row);
    this.version = delta.version;
  }
}
