import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './stockwall-config';

describe(loadConfig.name, () => {
  it('has working local defaults', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({
      port: 3000,
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'sw:' },
      database: { url: 'mysql://root@127.0.0.1:3306/stockwall', name: 'stockwall' },
      kinesis: { streamName: 'inventory-events', endpoint: { kind: 'embedded' }, region: 'us-east-1' },
      auth: { jwtSecret: DEVELOPMENT_JWT_SECRET, usesDevelopmentSecret: true },
    });
  });

  it('reads the Kinesis endpoint modes', () => {
    expect(loadConfig({ KINESIS_ENDPOINT: 'aws' }).kinesis.endpoint).toEqual({ kind: 'aws' });
    expect(loadConfig({ KINESIS_ENDPOINT: 'http://localhost:4567' }).kinesis.endpoint).toEqual({
      kind: 'url',
      url: 'http://localhost:4567',
    });
  });

  it('reports every bad variable, one line each', () => {
    expect.assertions(2);
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x', KINESIS_ENDPOINT: 'nowhere' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'PORT: must be a whole number',
        'REDIS_URL: must be a URL starting with redis:// or rediss://',
        'KINESIS_ENDPOINT: must be "aws" or an http(s) URL',
      ]);
    }
  });

  it('has ingest defaults that bound failover and respect the per-shard call limit', () => {
    const sut = loadConfig({}).worker;
    expect(sut).toMatchObject({
      leaseTtlMs: 3000,
      leaseRenewMs: 1000,
      dedupeWindowSeconds: 600,
      getRecordsMaxCallsPerSecond: 5,
      prefetch: 3,
      metricsPort: 0,
    });
    expect(() => loadConfig({ GET_RECORDS_MAX_CALLS_PER_SECOND: '6' })).toThrow(/at most 5/);
  });

  it('refuses a lease renewal interval that would let leases lapse', () => {
    expect(() => loadConfig({ LEASE_TTL_MS: '3000', LEASE_RENEW_MS: '2000' })).toThrow(/LEASE_RENEW_MS/);
    expect(loadConfig({ LEASE_TTL_MS: '3000', LEASE_RENEW_MS: '1500' }).worker.leaseRenewMs).toBe(1500);
  });

  it('reads how far ahead of its arrival an event time may be (default one day)', () => {
    expect(loadConfig({}).worker.maxEventTimeAheadMs).toBe(86_400_000);
    expect(loadConfig({ MAX_EVENT_TIME_AHEAD_SECONDS: '3600' }).worker.maxEventTimeAheadMs).toBe(3_600_000);
    expect(() => loadConfig({ MAX_EVENT_TIME_AHEAD_SECONDS: '10' })).toThrow(
      /MAX_EVENT_TIME_AHEAD_SECONDS: must be at least 60/,
    );
    expect(() => loadConfig({ MAX_EVENT_TIME_AHEAD_SECONDS: 'a day' })).toThrow(/MAX_EVENT_TIME_AHEAD_SECONDS/);
  });

  it('gives a shutdown 25 s by default, within bounds', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(25_000);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '5000' }).shutdownTimeoutMs).toBe(5_000);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '10' })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be at least 1000/);
  });

  it('retries notifications from 1 s doubling to 10 min, 200 attempts, and refuses a cap below the first wait', () => {
    expect(loadConfig({}).notifications).toMatchObject({ attempts: 200, backoffMs: 1_000, backoffMaxMs: 600_000 });
    expect(loadConfig({ NOTIFY_BACKOFF_MAX_MS: '60000' }).notifications.backoffMaxMs).toBe(60_000);
    expect(() => loadConfig({ NOTIFY_BACKOFF_MS: '5000', NOTIFY_BACKOFF_MAX_MS: '1000' })).toThrow(
      /NOTIFY_BACKOFF_MAX_MS: must be at least NOTIFY_BACKOFF_MS/,
    );
    expect(() => loadConfig({ NOTIFY_ATTEMPTS: '0' })).toThrow(/NOTIFY_ATTEMPTS: must be at least 1/);
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });
});

describe('WORKER_ROLES', () => {
  it('runs ingest and jobs in one process by default, or one of them', () => {
    expect([...loadConfig({}).worker.roles]).toEqual(['ingest', 'jobs']);
    expect([...loadConfig({ WORKER_ROLES: 'jobs' }).worker.roles]).toEqual(['jobs']);
    expect([...loadConfig({ WORKER_ROLES: ' ingest ' }).worker.roles]).toEqual(['ingest']);
  });

  it('rejects an unknown role by name', () => {
    expect(() => loadConfig({ WORKER_ROLES: 'ingest,cooking' })).toThrow(
      /WORKER_ROLES.*must list roles among ingest, jobs/,
    );
  });
});
