import { io, Socket } from 'socket.io-client';
import type { LiveClientToServerEvents, LiveServerToClientEvents, StockRow, SubscribeAck } from '@stockwall/contracts';
import { LiveStockState } from './live-stock-state';

type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/**
 * A wall-screen client of one API process, following docs/live-protocol.md as the dashboard does: a
 * snapshot on every (re)connect, deltas applied when `previousVersion ≤ held < version`, a fresh
 * subscribe on a gap or a resync notice. Socket.IO reconnects it when its API process dies and comes
 * back. At the end it must hold exactly the live state.
 */
export class LiveMirror {
  connects = 0;
  disconnects = 0;
  subscribes = 0;
  resyncs = 0;
  deltas = 0;
  lastError: string | null = null;
  private readonly socket: LiveSocket;
  private readonly state = new LiveStockState(() => void this.subscribe());

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
      this.state.version = null;
    });
    this.socket.on('connect_error', (error) => (this.lastError = error.message));
    this.socket.on('stock.delta', (delta) => {
      this.deltas++;
      this.state.receive(delta);
    });
    this.socket.on('stock.resync', () => {
      this.resyncs++;
      void this.subscribe();
    });
  }

  get rows(): ReadonlyMap<string, StockRow> {
    return this.state.rows;
  }

  get version(): number | null {
    return this.state.version;
  }

  get gaps(): number {
    return this.state.gaps;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.disconnect();
  }

  private async subscribe(): Promise<void> {
    this.state.subscribing();
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
    this.state.loadSnapshot(ack);
  }
}
