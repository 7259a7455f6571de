import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type kinesaliteModule from 'kinesalite';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalStackError } from './local-stack-error';

export interface KinesisEmulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** LevelDB directory to keep streams across restarts; in memory when absent. */
  path?: string;
}

export interface KinesisEmulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Runs a Kinesis emulator (kinesalite) inside this process. Streams become ACTIVE at once. */
export async function startKinesisEmulator(options: KinesisEmulatorOptions = {}): Promise<KinesisEmulator> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  // kinesalite keeps new streams CREATING for 500 ms by default and caps an account at 10 shards.
  // LevelDB creates its own folder but not the parents.
  if (options.path) mkdirSync(options.path, { recursive: true });
  const kinesalite = loadKinesalite();
  const server = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 1000,
    ...(options.path ? { path: options.path } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      // Releases the store (and its LevelDB lock when a path is used).
      server.close(() => undefined);
      if (error.code === 'EADDRINUSE') {
        reject(
          new LocalStackError(
            'port_in_use',
            `Port ${requestedPort} on ${host} is already in use: stop what holds it or choose another port for the Kinesis emulator`,
            { cause: error },
          ),
        );
      } else {
        reject(
          new LocalStackError(
            'start_failed',
            `The Kinesis emulator could not listen on ${host}:${requestedPort}: ${error.message}`,
            {
              cause: error,
            },
          ),
        );
      }
    };
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const endpointHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost}:${port}`,
    port,
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; close them so close() does not wait for them.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** True when a Kinesis API (real or emulated) answers ListStreams at endpoint; false on any failure. */
export async function isKinesisEndpointAnswering(endpoint: string, timeoutMs = 2_000): Promise<boolean> {
  let client: KinesisClient;
  try {
    client = new KinesisClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler({
        httpAgent: new http.Agent({ keepAlive: true }),
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
      }),
      maxAttempts: 1,
    });
  } catch {
    return false;
  }
  try {
    await client.send(new ListStreamsCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/**
 * kinesalite is a development dependency, loaded only when an emulator is started: the runtime
 * image does not ship it, and its processes always have KINESIS_ENDPOINT set.
 */
function loadKinesalite(): typeof kinesaliteModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('kinesalite') as typeof kinesaliteModule;
  } catch (error) {
    throw new LocalStackError(
      'emulator_unavailable',
      'The embedded Kinesis emulator is not installed here (a production install): set KINESIS_ENDPOINT to aws or to an emulator URL',
      { cause: error },
    );
  }
}
