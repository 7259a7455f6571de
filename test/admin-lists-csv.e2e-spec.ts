import { eventually, TestStack } from './support/test-stack';

/** The admin lists answer `Accept: text/csv` like every other list, and take the filters the README names. */
describe('Dead letters and display tokens as CSV', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function call(
    method: string,
    path: string,
    options: { accept?: string; body?: unknown } = {},
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${stack.token('admin')}`,
        'content-type': 'application/json',
        ...(options.accept ? { accept: options.accept } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  function csvLines(text: string): string[] {
    return text.trim().split('\r\n');
  }

  it('lists dead letters as CSV, stored and live, filtered by shardId', async () => {
    await stack.publisher.publishRaw([
      { data: Buffer.from('{oops'), partitionKey: 'X' },
      { data: Buffer.from('[1, 2]'), partitionKey: 'X' },
    ]);
    const stored = await eventually(
      async () => {
        const response = await call('GET', '/api/v1/dead-letters?limit=1', { accept: 'text/csv' });
        return response.status === 200 && response.headers.get('x-next-cursor') ? response : undefined;
      },
      20_000,
      'two dead letters in MySQL',
    );
    expect(stored.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(stored.headers.get('content-disposition')).toBe('attachment; filename="dead-letters.csv"');
    const [header, row, ...more] = csvLines(stored.text);
    expect(header.split(',')).toEqual(
      expect.arrayContaining(['id', 'shardId', 'sequenceNumber', 'reason', 'rawBase64', 'rawBytes', 'receivedAt']),
    );
    expect(more).toEqual([]);
    const shardId = row.split(',')[header.split(',').indexOf('shardId')];
    expect(shardId).toMatch(/^shardId-/);

    const next = await call('GET', `/api/v1/dead-letters?limit=1&cursor=${stored.headers.get('x-next-cursor')}`, {
      accept: 'text/csv',
    });
    expect(csvLines(next.text)).toHaveLength(2);
    expect(next.headers.get('x-next-cursor')).toBeNull();

    const byShard = await call('GET', `/api/v1/dead-letters?shardId=${shardId}`, { accept: 'text/csv' });
    expect(csvLines(byShard.text)).toHaveLength(3);
    const otherShard = await call('GET', '/api/v1/dead-letters?shardId=shardId-999');
    expect(JSON.parse(otherShard.text)).toEqual({ items: [], nextCursor: null });

    const live = await call('GET', '/api/v1/dead-letters?source=live', { accept: 'text/csv' });
    expect(live.status).toBe(200);
    const liveLines = csvLines(live.text);
    expect(liveLines).toHaveLength(3);
    const reasonColumn = liveLines[0].split(',').indexOf('reason');
    expect(liveLines.slice(1).map((line) => line.split(',')[reasonColumn])).toEqual(
      expect.arrayContaining(['not_json']),
    );
  });

  it('lists display tokens as CSV without the tokens themselves', async () => {
    const created = await call('POST', '/api/v1/display-tokens', { body: { name: 'Hall B' } });
    expect(created.status).toBe(201);
    const { id, token } = JSON.parse(created.text) as { id: string; token: string };

    const listed = await call('GET', '/api/v1/display-tokens', { accept: 'text/csv' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = csvLines(listed.text);
    expect(header).toBe('id,name,createdBy,createdAt,expiresAt');
    expect(rows).toEqual([expect.stringMatching(new RegExp(`^${id},Hall B,test-admin,`))]);
    expect(listed.text).not.toContain(token);

    // JSON stays the default.
    expect(JSON.parse((await call('GET', '/api/v1/display-tokens')).text)).toEqual([
      expect.objectContaining({ id, name: 'Hall B' }),
    ]);
  });
});
