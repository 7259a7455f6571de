import type { StockDelta, StockRow, WireEvent } from '@stockwall/contracts';
import { LiveGateway } from '../apps/api/src/live/live.gateway';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, LiveClient, TestStack } from './support/test-stack';

const SKUS = 3_000;
const MAX_ROUNDS = 12;
const timestamp = '2024-06-01T00:00:00Z';
// Long names make each delta about 1.4 MB, so a client that stops reading fills the kernel's buffers in a few deltas.
const nameOf = (index: number) => `${'n'.repeat(240)}-${index}`;
const skuOf = (index: number) => `SLOW-${index}`;

interface PausableWebSocket {
  pause(): void;
  resume(): void;
}

interface ServerQueue {
  inStockRoom: boolean;
  packets: number;
  bytes: number;
}

/** A client that applies the protocol (snapshot, then deltas by version) and resubscribes when told. */
class TrackingClient {
  readonly rows = new Map<string, number>();
  readonly resyncReasons: string[] = [];
  held = -1;

  constructor(readonly socket: LiveClient) {
    socket.on('stock.delta', (delta: StockDelta) => this.apply(delta));
    socket.on('stock.resync', (notice) => {
      this.resyncReasons.push(notice.reason);
      void this.subscribe();
    });
  }

  async subscribe(): Promise<void> {
    const ack = await this.socket.emitWithAck('subscribe', { channels: ['stock'] });
    if (!ack.ok) throw new Error(ack.error.message);
    this.rows.clear();
    for (const row of ack.snapshot.stock) this.upsert(row);
    this.held = ack.version;
  }

  /** The client's WebSocket: paused, it stops reading its TCP socket, so the server's writes back up. */
  get transport(): PausableWebSocket {
    const engine = this.socket.io.engine as unknown as { transport: { ws: PausableWebSocket } };
    return engine.transport.ws;
  }

  private apply(delta: StockDelta): void {
    if (delta.version <= this.held) return;
    if (delta.previousVersion > this.held) {
      void this.subscribe();
      return;
    }
    for (const row of delta.rows) this.upsert(row);
    this.held = delta.version;
  }

  private upsert(row: StockRow): void {
    if (row.sku.startsWith('SLOW-')) this.rows.set(row.sku, row.onHand);
  }
}

describe('Live slow consumer: a client that stops reading is cut off, then resyncs', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      shards: 2,
      env: { LIVE_MAX_QUEUED_PACKETS: '8', LIVE_MAX_QUEUED_KB: '256', GET_RECORDS_LIMIT: '5000' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function serverQueueOf(socketId: string): ServerQueue | undefined {
    const namespace = stack.api!.get(LiveGateway)['namespace'];
    const socket = namespace.sockets.get(socketId);
    if (!socket) return undefined;
    const connection = socket.conn as unknown as {
      writeBuffer: unknown[];
      transport: { socket?: { bufferedAmount?: number } };
    };
    return {
      inStockRoom: namespace.adapter.rooms.get('stock')?.has(socketId) ?? false,
      packets: connection.writeBuffer.length,
      bytes: connection.transport.socket?.bufferedAmount ?? 0,
    };
  }

  async function publishRound(round: number): Promise<void> {
    const events: WireEvent[] = Array.from({ length: SKUS }, (_, index) =>
      aQuantityChange({ id: `slow-${round}-${index}`, sku: skuOf(index), delta: 1, at: timestamp }),
    );
    for (let start = 0; start < events.length; start += 500) await stack.publish(...events.slice(start, start + 500));
  }

  /** Waits until a round has reached the live state on both shards (two SKUs hash apart). */
  async function appliedRound(round: number): Promise<void> {
    for (const index of [SKUS - 1, SKUS - 2, 0]) {
      await eventually(
        async () => {
          const { body } = await stack.get(`/api/v1/stock/${skuOf(index)}`);
          return (body as { onHand?: number }).onHand === 100 + round ? true : undefined;
        },
        15_000,
        `round ${round} applied to ${skuOf(index)}`,
      );
    }
  }

  it('stops sending to a client that does not read, holds its queue bounded, and resyncs it once it drains', async () => {
    const added: WireEvent[] = Array.from({ length: SKUS }, (_, index) =>
      aProductAdded({ id: `slow-add-${index}`, sku: skuOf(index), name: nameOf(index), quantity: 100, at: timestamp }),
    );
    for (let start = 0; start < added.length; start += 500) await stack.publish(...added.slice(start, start + 500));
    await appliedRound(0);

    // The rounds' checks sample a few SKUs; the snapshot must hold all of them before the test starts.
    const client = await eventually(
      async () => {
        const candidate = new TrackingClient(await stack.connectLive());
        await candidate.subscribe();
        if (candidate.rows.size === SKUS) return candidate;
        candidate.socket.disconnect();
        return undefined;
      },
      15_000,
      'a snapshot holding every SKU',
    );
    expect(client.rows.size).toBe(SKUS);
    const socketId = client.socket.id!;
    client.transport.pause();

    // One round at a time, each applied before the next, so every round is at least one large delta.
    let round = 0;
    while (round < MAX_ROUNDS && serverQueueOf(socketId)?.inStockRoom !== false) {
      await publishRound(++round);
      await appliedRound(round);
      // One flush and one backpressure sweep.
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    const paused = serverQueueOf(socketId);
    expect(paused).toMatchObject({ inStockRoom: false });

    // Out of the room: more traffic adds nothing to what the server holds for it.
    for (const extra of [1, 2]) {
      await publishRound(round + extra);
      await appliedRound(round + extra);
    }
    round += 2;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const later = serverQueueOf(socketId)!;
    expect(later.inStockRoom).toBe(false);
    expect(later.packets).toBeLessThanOrEqual(paused!.packets + 2);
    expect(later.bytes).toBeLessThanOrEqual(paused!.bytes + 1_024);

    client.transport.resume();
    await eventually(async () => (client.resyncReasons.includes('slow_consumer') ? true : undefined), 15_000);
    await eventually(async () => {
      const values = [...client.rows.values()];
      return values.length === SKUS && values.every((onHand) => onHand === 100 + round) ? true : undefined;
    }, 15_000);
    expect(serverQueueOf(socketId)?.inStockRoom).toBe(true);
  }, 45_000);
});
