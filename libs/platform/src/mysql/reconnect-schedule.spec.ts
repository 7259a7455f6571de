import { MYSQL_RECONNECT_CEILING_MS, mysqlReconnectDelayMs, ReconnectLogThrottle } from './reconnect-schedule';

describe(mysqlReconnectDelayMs.name, () => {
  it('doubles from a second and stops at the ceiling', () => {
    const noJitter = () => 0;
    const delays = [1, 2, 3, 4, 5, 6, 50, 10_000].map((attempt) => mysqlReconnectDelayMs(attempt, noJitter));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000]);
  });

  it('shortens a wait by at most a quarter, never lengthens it', () => {
    expect(mysqlReconnectDelayMs(1, () => 0.999_999)).toBe(750);
    expect(mysqlReconnectDelayMs(20, () => 0.5)).toBe(13_125);
    for (let attempt = 1; attempt < 30; attempt++) {
      const delay = mysqlReconnectDelayMs(attempt);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(MYSQL_RECONNECT_CEILING_MS);
    }
  });

  it('treats attempt 0 like the first', () => {
    expect(mysqlReconnectDelayMs(0, () => 0)).toBe(1_000);
  });
});

describe(ReconnectLogThrottle.name, () => {
  it('logs the first failure, a changed reason, and the same reason again only after the quiet period', () => {
    const sut = new ReconnectLogThrottle(60_000);
    expect(sut.shouldLog('ECONNREFUSED', 1_000)).toBe(true);
    expect(sut.shouldLog('ECONNREFUSED', 2_000)).toBe(false);
    expect(sut.shouldLog('ECONNREFUSED', 60_999)).toBe(false);
    expect(sut.shouldLog('ETIMEDOUT', 61_000)).toBe(true);
    expect(sut.shouldLog('ETIMEDOUT', 100_000)).toBe(false);
    expect(sut.shouldLog('ETIMEDOUT', 121_000)).toBe(true);
  });

  it('an hour of failures every 15 s logs once per quiet period', () => {
    const sut = new ReconnectLogThrottle(300_000);
    let lines = 0;
    for (let now = 0; now < 3_600_000; now += 15_000) if (sut.shouldLog('ECONNREFUSED', now)) lines++;
    expect(lines).toBe(12);
  });

  it('logs the next failure after a reset', () => {
    const sut = new ReconnectLogThrottle();
    sut.shouldLog('ECONNREFUSED', 0);
    sut.reset();
    expect(sut.shouldLog('ECONNREFUSED', 1)).toBe(true);
  });
});
