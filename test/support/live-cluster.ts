import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import path from 'node:path';
import { collectOutput, waitUntilLive } from './child-output';
import { io } from 'socket.io-client';
import { requireJwtSecret, type StockwallConfig } from '@stockwall/config';
import type { StockDelta, SubscribeAck } from '@stockwall/contracts';
import { LiveStockState } from '../../apps/cli/src/chaos/live-stock-state';
import type { LiveClient } from './test-stack';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(__dirname, 'ts-register.js');
const MAIN = path.join(ROOT, 'apps/api/src/main.ts');

/** The environment a separate process needs to join a TestStack's system. */
export function envOf(config: StockwallConfig, extra: Record<string, string> = {}): Record<string, string> {
  if (config.kinesis.endpoint.kind !== 'url') throw new Error('the stack must use an emulator URL');
  return {
    NODE_ENV: 'test',
    REDIS_URL: config.redis.url,
    REDIS_PREFIX: config.redis.prefix,
    QUEUE_PREFIX: config.queue.prefix,
    DATABASE_URL: config.database.url,
    KINESIS_ENDPOINT: config.kinesis.endpoint.url,
    KINESIS_STREAM: config.kinesis.streamName,
    JWT_SECRET: requireJwtSecret(config),
    DASHBOARD_DIR: path.join(ROOT, 'no-dashboard'),
    ...extra,
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real API process (apps/api/src/main.ts compiled on load), so a test can kill -9 it. */
export class ApiProcess {
  readonly output: string[] = [];
  readonly url: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(process.execPath, ['-r', REGISTER, MAIN], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collectOutput(this.child, this.output);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async ready(timeoutMs = 30_000): Promise<void> {
    await waitUntilLive(this.url, this.child, this.output, timeoutMs, `API on ${this.port}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/**
 * A TCP load balancer: each new connection goes round-robin to a backend that accepts it, as a
 * load balancer with health checks would. WebSocket-only clients need no sticky sessions here.
 */
export class TcpBalancer {
  private readonly server: net.Server;
  private readonly connections = new Set<net.Socket>();
  private next = 0;
  url = '';

  constructor(private readonly backends: number[]) {
    this.server = net.createServer((client) => this.route(client, 0));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  private route(client: net.Socket, tried: number): void {
    if (tried >= this.backends.length) return void client.destroy();
    const port = this.backends[this.next++ % this.backends.length];
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    // A dead backend refuses the connection: the next one is tried, as a health-checked balancer would.
    upstream.once('error', () => {
      if (!connected) this.route(client, tried + 1);
    });
    upstream.once('connect', () => {
      connected = true;
      this.connections.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.connections.delete(client);
        this.connections.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * A test-side client following the protocol as the dashboard does: snapshot on every
 * (re)connect, deltas applied when previousVersion ≤ held < version, a gap or a resync notice
 * triggers a fresh subscribe. Records what it saw for assertions.
 */
export class LiveMirror {
  readonly socket: LiveClient;
  readonly deltas: { at: number; delta: StockDelta }[] = [];
  subscribes = 0;
  resyncs = 0;
  connects = 0;
  private readonly state = new LiveStockState(() => void this.subscribe());

  constructor(url: string, token: string) {
    this.socket = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.5,
    });
    this.socket.on('connect', () => {
      this.connects++;
      void this.subscribe();
    });
    this.socket.on('stock.delta', (delta) => {
      this.deltas.push({ at: Date.now(), delta });
      this.state.receive(delta);
    });
    this.socket.on('stock.resync', () => {
      this.resyncs++;
      void this.subscribe();
    });
  }

  get version(): number | null {
    return this.state.version;
  }

  get gaps(): number {
    return this.state.gaps;
  }

  async subscribe(): Promise<void> {
    this.state.subscribing();
    this.subscribes++;
    let ack: SubscribeAck;
    try {
      ack = await this.socket.timeout(5_000).emitWithAck('subscribe', { channels: ['stock'] });
    } catch {
      return;
    }
    if (!ack.ok) throw new Error(ack.error.message);
    this.state.loadSnapshot(ack);
  }

  onHand(): Record<string, number> {
    return Object.fromEntries([...this.state.rows.values()].map((row) => [row.sku, row.onHand]));
  }

  close(): void {
    this.socket.disconnect();
  }
}
