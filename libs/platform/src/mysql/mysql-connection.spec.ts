import { DependencyUnavailableError } from '@stockwall/config';
import { isConnectionError } from '@stockwall/persistence';
import { DataSource } from 'typeorm';
import { MysqlConnection } from './mysql-connection';

const URL = 'mysql://root:secret@127.0.0.1:3399/stockwall';

function refused(): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'mysql',
    'MySQL is not answering at mysql://root:***@127.0.0.1:3399/stockwall (ECONNREFUSED): start MariaDB/MySQL or set DATABASE_URL',
  );
}

/** A stand-in for a connected DataSource: only what the tests call. */
function connectedDataSource(): DataSource {
  return {
    isInitialized: true,
    query: jest.fn(async (sql: string) => [{ sql }]),
    destroy: jest.fn(async () => undefined),
  } as unknown as DataSource;
}

function build(connect: () => Promise<DataSource>) {
  const logger = { log: jest.fn(), warn: jest.fn() };
  let now = 0;
  const sut = new MysqlConnection({ url: URL, connect, logger, random: () => 0, now: () => now });
  return { sut, logger, advance: (ms: number) => (now += ms) };
}

describe(MysqlConnection.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fails calls on its handle with a MySQL dependency error until connected, then forwards them', async () => {
    const dataSource = connectedDataSource();
    const connect = jest.fn<Promise<DataSource>, []>().mockRejectedValueOnce(refused()).mockResolvedValue(dataSource);
    const { sut, advance } = build(connect);

    await sut.start();
    expect(sut.status()).toEqual({ state: 'connecting', attempts: 1, problem: refused().message });
    expect(sut.dataSource.isInitialized).toBe(false);
    expect(sut.dataSource).toBeInstanceOf(DataSource);
    await expect(sut.dataSource.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED.*retrying in the background/);
    await expect(sut.dataSource.query('SELECT 1')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(() => sut.dataSource.getRepository('x')).toThrow(DependencyUnavailableError);
    // The persist jobs' retry policy reads it as an outage, not a bad batch.
    expect(isConnectionError(await sut.dataSource.query('SELECT 1').catch((error: unknown) => error))).toBe(true);
    expect(sut.retryAfterSeconds()).toBe(1);

    advance(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(connect).toHaveBeenCalledTimes(2);
    expect(sut.ready).toBe(true);
    expect(await sut.dataSource.query('SELECT 1')).toEqual([{ sql: 'SELECT 1' }]);
    expect(sut.status()).toEqual({ state: 'ready', attempts: 2, problem: null });
  });

  it('backs off up to 15 s and logs the first failure, the recovery and little in between', async () => {
    const connect = jest.fn<Promise<DataSource>, []>().mockRejectedValue(refused());
    const { sut, logger, advance } = build(connect);

    await sut.start();
    let elapsed = 0;
    for (const delay of [1_000, 2_000, 4_000, 8_000, 15_000, 15_000]) {
      expect(sut.retryAfterSeconds()).toBe(delay / 1_000);
      advance(delay);
      elapsed += delay;
      await jest.advanceTimersByTimeAsync(delay);
    }
    expect(connect).toHaveBeenCalledTimes(7);
    // Ten minutes more at 15 s: two more lines (one per five minutes), not forty.
    for (let step = 0; step < 40; step++) {
      advance(15_000);
      elapsed += 15_000;
      await jest.advanceTimersByTimeAsync(15_000);
    }
    expect(connect).toHaveBeenCalledTimes(47);
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /^MySQL is not answering at mysql:\/\/root:\*\*\*@127\.0\.0\.1:3399\/stockwall \(ECONNREFUSED\).*the live path runs/,
    );
    expect(logger.warn.mock.calls[1][0]).toMatch(/still failing after \d+ attempts over 5 min/);
    expect(logger.warn.mock.calls.flat().join('\n')).not.toContain('secret');

    connect.mockResolvedValue(connectedDataSource());
    advance(15_000);
    await jest.advanceTimersByTimeAsync(15_000);
    expect(sut.ready).toBe(true);
    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(logger.log.mock.calls[0][0]).toMatch(/MySQL is answering .* after 48 attempts over \d+ min/);
    expect(elapsed).toBeGreaterThan(600_000);
  });

  it('logs a new reason at once', async () => {
    const timeout = new DependencyUnavailableError('mysql', 'MySQL is not answering at x (ETIMEDOUT)');
    const connect = jest.fn<Promise<DataSource>, []>().mockRejectedValueOnce(refused()).mockRejectedValue(timeout);
    const { sut, logger, advance } = build(connect);
    await sut.start();
    advance(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[1][0]).toContain('ETIMEDOUT');
    await sut.close();
  });

  it('stops retrying when closed and closes a connection that arrives late', async () => {
    let finish: (dataSource: DataSource) => void = () => undefined;
    const late = connectedDataSource();
    const destroyLate = jest.spyOn(late, 'destroy');
    const connect = jest
      .fn<Promise<DataSource>, []>()
      .mockRejectedValueOnce(refused())
      .mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const { sut, advance } = build(connect);
    await sut.start();
    advance(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    await sut.close();
    finish(late);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(destroyLate).toHaveBeenCalledTimes(1);
    expect(connect).toHaveBeenCalledTimes(2);
    await expect(sut.dataSource.query('SELECT 1')).rejects.toThrow('The MySQL connection is closed');
  });

  it('an unused connection never connects and says so', async () => {
    const connect = jest.fn<Promise<DataSource>, []>();
    const sut = new MysqlConnection({ url: URL, connect }, false);
    expect(sut.status().state).toBe('unused');
    await expect(sut.dataSource.query('SELECT 1')).rejects.toThrow('MySQL is not used by this process');
    expect(connect).not.toHaveBeenCalled();
  });
});
