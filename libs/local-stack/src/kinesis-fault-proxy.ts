import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'throttle' | 'limit_exceeded' | 'expired_iterator' | 'server_error' | 'drop' | 'latency';

/** Probability (0..1) of each fault per matching call, plus a fixed added latency. */
export interface FaultPlan {
  throttle?: number;
  limitExceeded?: number;
  expiredIterator?: number;
  serverError?: number;
  drop?: number;
  latencyMs?: number;
  /** Kinesis operations the faults apply to; GetRecords by default. */
  operations?: string[];
}

/**
 * A fault-injecting HTTP proxy in front of a Kinesis emulator, between the workers and it: answers a
 * share of the calls with throttling errors, expired iterators or 500s, drops connections, adds
 * latency, and forwards the rest unchanged. Counts what it injected so tests and the chaos report
 * can prove the faults happened.
 */
export class KinesisFaultProxy {
  readonly injected: Record<Fault, number> = {
    throttle: 0,
    limit_exceeded: 0,
    expired_iterator: 0,
    server_error: 0,
    drop: 0,
    latency: 0,
  };
  private plan: FaultPlan = {};

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly upstream: URL,
    private readonly random: () => number,
  ) {}

  static async start(upstream: string, random: () => number = Math.random): Promise<KinesisFaultProxy> {
    let proxy: KinesisFaultProxy | null = null;
    const server = http.createServer((request, response) => proxy?.handle(request, response));
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    proxy = new KinesisFaultProxy(server, `http://127.0.0.1:${port}`, new URL(upstream), random);
    return proxy;
  }

  setPlan(plan: FaultPlan): void {
    this.plan = plan;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const plan = this.plan;
      const applies = (plan.operations ?? ['GetRecords']).includes(operation);
      const fault = applies ? this.pick(plan) : null;
      const go = () => {
        switch (fault) {
          case 'drop':
            request.socket.destroy();
            return;
          case 'throttle':
            return this.error(response, 400, 'ProvisionedThroughputExceededException', 'Rate exceeded for shard');
          case 'limit_exceeded':
            return this.error(response, 400, 'LimitExceededException', 'Rate exceeded');
          case 'expired_iterator':
            return this.error(response, 400, 'ExpiredIteratorException', 'Iterator expired');
          case 'server_error':
            return this.error(response, 500, 'InternalFailure', 'Injected failure');
          case 'latency':
          case null:
            return this.forward(request, body, response);
        }
      };
      if (applies && plan.latencyMs) {
        this.injected.latency++;
        setTimeout(go, plan.latencyMs);
      } else go();
    });
  }

  private pick(plan: FaultPlan): Fault | null {
    const draw = this.random();
    let edge = 0;
    const options: [Fault, number | undefined][] = [
      ['throttle', plan.throttle],
      ['limit_exceeded', plan.limitExceeded],
      ['expired_iterator', plan.expiredIterator],
      ['server_error', plan.serverError],
      ['drop', plan.drop],
    ];
    for (const [fault, probability] of options) {
      edge += probability ?? 0;
      if (draw < edge) {
        this.injected[fault]++;
        return fault;
      }
    }
    return null;
  }

  private error(response: http.ServerResponse, status: number, type: string, message: string): void {
    const body = JSON.stringify({ __type: type, message });
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': type,
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  }

  private forward(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
    const upstream = http.request(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: this.upstream.host, 'content-length': body.byteLength },
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on('error', () => request.socket.destroy());
    upstream.end(body);
  }
}
