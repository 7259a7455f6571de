import * as http from 'node:http';
import * as https from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * A Kinesis client over keep-alive HTTP/1.1. Emulators do not speak the SDK's HTTP/2 default,
 * and keep-alive saves a TCP (and TLS) handshake on every GetRecords.
 */
export function createKinesisClient(options: { region: string; endpoint?: string }): KinesisClient {
  // The SDK's notice is about its future releases; the versions locked here support Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const requestHandler = new NodeHttpHandler({
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
  });
  const client = options.endpoint
    ? new KinesisClient({
        region: options.region,
        endpoint: options.endpoint,
        // Emulators accept any signature; real credentials are never sent to them.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler,
        maxAttempts: 2,
      })
    : new KinesisClient({ region: options.region, requestHandler });
  // The SDK's logger step builds a redacted copy of every response for its (no-op) logger before
  // calling it: for a 10,000-record GetRecords that walk was 2 % of a worker's CPU. Errors still
  // reach the caller as exceptions.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
