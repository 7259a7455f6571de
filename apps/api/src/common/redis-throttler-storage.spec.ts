import { throttleKeys, toStorageRecord } from './redis-throttler-storage';

describe('RedisThrottlerStorage', () => {
  it('turns the script reply into whole seconds, rounding up, as the guard expects', () => {
    expect(toStorageRecord([3, 59_001, 0, 0])).toEqual({
      totalHits: 3,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect(toStorageRecord([601, 1, 1, 30_000])).toEqual({
      totalHits: 601,
      timeToExpire: 1,
      isBlocked: true,
      timeToBlockExpire: 30,
    });
  });

  it('never reports a negative time when a key expired between the two reads', () => {
    const sut = toStorageRecord([1, -2, 0, -2]);

    expect(sut.timeToExpire).toBe(0);
    expect(sut.timeToBlockExpire).toBe(0);
  });

  it('keys each client and throttler under the process prefix, hits and block apart', () => {
    const [hits, block] = throttleKeys('sw:', 'abc', 'default');

    expect(hits).toBe('sw:throttle:default:abc:hits');
    expect(block).toBe('sw:throttle:default:abc:block');
    expect(throttleKeys('sw:', 'abc', 'burst')[0]).not.toBe(hits);
  });
});
