import { aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

const changed = (sku: string, delta: number, id: string, timestamp: string) =>
  aQuantityChange({ id, sku, delta, at: timestamp });

describe('Ingest: MAX_EVENT_TIME_AHEAD_SECONDS reaches the workers', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { MAX_EVENT_TIME_AHEAD_SECONDS: '600' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('applies an event five minutes ahead and dead-letters one an hour ahead, naming occurred_at', async () => {
    const inFive = new Date(Date.now() + 5 * 60_000).toISOString();
    const inAnHour = new Date(Date.now() + 60 * 60_000).toISOString();
    await stack.publish(changed('AHEAD-1', 4, 'ahead-ok', inFive), changed('AHEAD-1', 7, 'ahead-far', inAnHour));

    const letters = await eventually(
      async () => {
        const response = await stack.get('/api/v1/dead-letters?source=live', 'admin');
        return response.body.items?.length === 1 ? response.body.items : undefined;
      },
      15_000,
      'the far-ahead event dead-lettered',
    );
    expect(letters[0].reason).toBe('invalid_event');
    expect(letters[0].detail).toMatch(/product\.timestamp|occurred_at/);
    expect(letters[0].detail).toMatch(/600 s ahead/);
    const onHand = await stack.infrastructure.redis.hget(`${stack.config.redis.prefix}stock:main:AHEAD-1`, 'on');
    expect(Number(onHand)).toBe(4);
  });
});
