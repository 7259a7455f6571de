import { io, Manager, Socket } from 'socket.io-client';
import type { LiveConnectErrorData } from '@stockwall/contracts';
import { eventually, TestStack } from './support/test-stack';

type ConnectError = Error & { data?: LiveConnectErrorData & { reason?: string } };

describe('Live admission: every namespace and every transport', () => {
  let stack: TestStack;
  const opened: { close(): void }[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { MAX_CONNECTIONS: '3', LIVE_RETRY_AFTER_MS: '2000' } });
  });

  afterEach(() => {
    for (const client of opened.splice(0)) client.close();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A Socket.IO connection to `namespace` ('/' is the main one), resolved once the server admits it. */
  async function connect(namespace: string, token: string | null): Promise<Socket> {
    const socket = io(`${stack.apiUrl}${namespace}`, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    opened.push({ close: () => socket.disconnect() });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return socket;
  }

  /** A bare transport that joins no namespace. */
  async function openTransport(): Promise<Manager> {
    const manager = new Manager(stack.apiUrl, { transports: ['websocket'], reconnection: false, autoConnect: false });
    opened.push({ close: () => manager.engine?.close() });
    await new Promise<void>((resolve, reject) => manager.open((error) => (error ? reject(error) : resolve())));
    return manager;
  }

  function refusal(attempt: Promise<unknown>): Promise<ConnectError | null> {
    return attempt.then(
      () => null,
      (error: ConnectError) => error,
    );
  }

  /** Waits until the server has seen every transport opened by earlier tests close. */
  async function settled(): Promise<void> {
    await eventually(
      async () => ((await refusal(connect('/live', stack.token('viewer')))) === null ? true : undefined),
      15_000,
      'a free slot',
    );
    for (const client of opened.splice(0)) client.close();
  }

  it('refuses the main namespace without a valid token, as it does /live', async () => {
    const missing = await refusal(connect('/', null));
    expect(missing?.message).toBe('unauthorized');
    expect(missing?.data).toEqual({ code: 'unauthorized', reason: 'missing token' });
    const garbage = await refusal(connect('/', 'not-a-token'));
    expect(garbage?.message).toBe('unauthorized');
    expect(garbage?.data?.reason).toEqual(expect.any(String));
    expect((await refusal(connect('/live', null)))?.message).toBe('unauthorized');

    const admitted = await connect('/', stack.token('viewer'));
    expect(admitted.connected).toBe(true);
  });

  it('counts connections on any namespace, and bare transports, against MAX_CONNECTIONS', async () => {
    await settled();
    await connect('/', stack.token('viewer'));
    await connect('/live', stack.token('viewer'));
    const bare = await openTransport();

    const refused = await refusal(connect('/live', stack.token('viewer')));
    expect(refused?.message).toBe('overloaded');
    expect(refused?.data?.code).toBe('overloaded');
    expect(refused?.data?.retryAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(refused?.data?.retryAfterMs).toBeLessThanOrEqual(4_000);
    expect((await refusal(connect('/', stack.token('viewer'))))?.message).toBe('overloaded');

    bare.engine.close();
    await eventually(
      async () => ((await refusal(connect('/live', stack.token('viewer')))) === null ? true : undefined),
      5_000,
      'the slot of the closed transport',
    );
  });

  it('closes a transport that joins no namespace within the handshake timeout', async () => {
    await settled();
    const bare = await openTransport();
    const closedAfterMs = await new Promise<number>((resolve) => {
      const openedAt = Date.now();
      bare.engine.once('close', () => resolve(Date.now() - openedAt));
    });
    expect(closedAfterMs).toBeLessThan(12_000);
  }, 30_000);

  it('refuses a flood of transports past the limit and its headroom before the Socket.IO handshake', async () => {
    await settled();
    // MAX_CONNECTIONS 3 plus a headroom of 100, none of them joining a namespace.
    await Promise.all(Array.from({ length: 103 }, () => openTransport()));

    const flooded = await fetch(`${stack.apiUrl}/socket.io/?EIO=4&transport=polling`);
    expect(flooded.status).toBe(403);
    expect(await flooded.json()).toEqual({ code: 4, message: 'overloaded' });
    expect((await refusal(connect('/live', stack.token('viewer'))))?.message).toBe('websocket error');

    for (const client of opened.splice(0)) client.close();
    await settled();
  }, 30_000);
});
