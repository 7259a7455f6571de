import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PUBLISHED_SECRETS, requireJwtSecret } from './secret-policy';
import { ConfigError, loadConfig } from './stockwall-config';

describe(loadConfig.name, () => {
  it('has working local defaults', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({
      port: 3000,
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'sw:' },
      database: { url: 'mysql://root@127.0.0.1:3306/stockwall', name: 'stockwall' },
      kinesis: { streamName: 'inventory-events', endpoint: { kind: 'embedded' }, region: 'us-east-1' },
      auth: { jwtSecret: null, accessTokenMaxTtlSeconds: 86_400, displayTokenMaxTtlDays: 365, jwks: null },
      http: { trustProxy: { kind: 'none' } },
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
      metricsPort: 9464,
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

  it('has no JWT secret unless one is set, and then refuses to sign or check tokens in any mode', () => {
    for (const mode of ['development', 'production', 'test']) {
      expect(() => requireJwtSecret(loadConfig({ NODE_ENV: mode }))).toThrow(/JWT_SECRET: must be set/);
    }
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

describe('blank and padded values', () => {
  it('treats a blank value as unset, so the default applies', () => {
    const sut = loadConfig({ PORT: ' ', REDIS_URL: '', REDIS_PREFIX: '  ', JWT_SECRET: '\n', DASHBOARD_DIR: ' ' });

    expect(sut.port).toBe(3000);
    expect(sut.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'sw:' });
    expect(sut.auth.jwtSecret).toBeNull();
    expect(sut.dashboardDir).toBeNull();
  });

  it('trims values', () => {
    const sut = loadConfig({ PORT: ' 8080\n', REDIS_URL: '\tredis://cache:6380 ', WORKER_ID: ' worker-1 ' });

    expect(sut.port).toBe(8080);
    expect(sut.redis.url).toBe('redis://cache:6380');
    expect(sut.worker.id).toBe('worker-1');
  });

  it('keeps an empty KINESIS_EMULATOR_DIR meaning "in memory"', () => {
    expect(loadConfig({ KINESIS_EMULATOR_DIR: '' }).kinesis.emulatorDir).toBeNull();
    expect(loadConfig({}).kinesis.emulatorDir).toMatch(/\.stockwall[\\/]kinesis$/);
  });

  it('reads a blank JWT secret as none', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: '   ' }).auth.jwtSecret).toBeNull();
  });
});

describe('problems between variables', () => {
  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  }

  it('explains what WORKER_ID and QUEUE_PREFIX may hold', () => {
    expect(problemsOf({ WORKER_ID: 'worker:1', QUEUE_PREFIX: 'stock wall' })).toEqual([
      'WORKER_ID: must be 1-64 characters of letters, digits, _ . - (it is part of Redis keys)',
      'QUEUE_PREFIX: must be 1-64 characters of letters, digits, _ . - (BullMQ adds the colons)',
    ]);
  });

  it('requires SMTP_URL and ALERT_EMAIL_TO together', () => {
    expect(problemsOf({ ALERT_EMAIL_TO: 'ops@example.com' })).toEqual([
      'SMTP_URL: must be set when ALERT_EMAIL_TO is (no alert e-mail is sent without it)',
    ]);
    expect(problemsOf({ SMTP_URL: 'smtp://mail:25' })).toEqual([
      'ALERT_EMAIL_TO: must be set when SMTP_URL is (who receives the alert e-mails)',
    ]);
    expect(loadConfig({ SMTP_URL: 'smtp://mail:25', ALERT_EMAIL_TO: 'ops@example.com' }).notifications).toMatchObject({
      smtpUrl: 'smtp://mail:25',
      emailTo: ['ops@example.com'],
    });
  });

  it('reports every problem at once, one line each, with the bad variables first', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        PORT: 'abc',
        DATABASE_URL: 'mysql://db/stock-wall',
        WEBHOOK_URLS: 'https://hooks.example/a',
        ALERT_EMAIL_TO: 'ops@example.com',
        NOTIFY_BACKOFF_MS: '5000',
        NOTIFY_BACKOFF_MAX_MS: '1000',
        LEASE_TTL_MS: '3000',
        LEASE_RENEW_MS: '2000',
      }),
    ).toEqual([
      'PORT: must be a whole number',
      'DATABASE_URL: database name "stock-wall" must be letters, digits or _',
      'WEBHOOK_SECRET: must be set when WEBHOOK_URLS is (webhooks are signed with it)',
      'SMTP_URL: must be set when ALERT_EMAIL_TO is (no alert e-mail is sent without it)',
      'NOTIFY_BACKOFF_MAX_MS: must be at least NOTIFY_BACKOFF_MS (the first wait)',
      'LEASE_RENEW_MS: must be at most half of LEASE_TTL_MS, or a lease lapses between renewals',
    ]);
  });

  it('does not repeat a bad variable as a problem between variables', () => {
    expect(problemsOf({ WEBHOOK_URLS: 'https://hooks.example/a', WEBHOOK_SECRET: 'short' })).toEqual([
      'WEBHOOK_SECRET: must be at least 16 characters',
    ]);
    expect(problemsOf({ LEASE_TTL_MS: '3000', LEASE_RENEW_MS: 'soon' })).toEqual([
      'LEASE_RENEW_MS: must be a whole number',
    ]);
  });

  it('logs JSON lines in production and text elsewhere, at LOG_LEVEL', () => {
    expect(loadConfig({}).logging).toEqual({ level: 'log', format: 'text' });
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'k3Jx9Qw2Lm8Zp4Rt7Vb1Nc6Hy5Df0GsA' }).logging).toEqual({
      level: 'log',
      format: 'json',
    });
    expect(loadConfig({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }).logging).toEqual({ level: 'log', format: 'json' });
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logging.level).toBe('debug');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL: must be one of');
  });

  it('serves worker metrics by default, on a fallback port only when none was set', () => {
    expect(loadConfig({}).worker).toMatchObject({ metricsPort: 9464, metricsPortExplicit: false });
    expect(loadConfig({ METRICS_PORT: '9100' }).worker).toMatchObject({ metricsPort: 9100, metricsPortExplicit: true });
    expect(loadConfig({ METRICS_PORT: '0' }).worker.metricsPort).toBe(0);
  });

  it('reads any variable from the file its _FILE variable names', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'stockwall-config-'));
    const secretFile = path.join(directory, 'jwt');
    writeFileSync(secretFile, 'a-secret-from-a-file-0123456789abcdef\n');

    expect(loadConfig({ JWT_SECRET_FILE: secretFile }).auth.jwtSecret).toBe('a-secret-from-a-file-0123456789abcdef');
    expect(() => loadConfig({ JWT_SECRET_FILE: path.join(directory, 'missing') })).toThrow(
      /JWT_SECRET_FILE: cannot read .*missing \(ENOENT\)/,
    );
    expect(() => loadConfig({ JWT_SECRET_FILE: secretFile, JWT_SECRET: 'k3Jx9Qw2Lm8Zp4Rt7Vb1Nc6Hy5Df0GsA' })).toThrow(
      'JWT_SECRET_FILE: set JWT_SECRET or JWT_SECRET_FILE, not both',
    );
  });

  it('reads DATABASE_TLS and wants a readable CA file to verify against', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'stockwall-config-'));
    const caFile = path.join(directory, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n');

    expect(loadConfig({}).database.tls).toEqual({ mode: 'off', caFile: null });
    expect(loadConfig({ DATABASE_TLS: 'required' }).database.tls).toEqual({ mode: 'required', caFile: null });
    expect(loadConfig({ DATABASE_TLS: 'verify', DATABASE_TLS_CA_FILE: caFile }).database.tls).toEqual({
      mode: 'verify',
      caFile,
    });
    expect(() => loadConfig({ DATABASE_TLS: 'verify' })).toThrow('DATABASE_TLS_CA_FILE: must be set');
    expect(() => loadConfig({ DATABASE_TLS: 'verify', DATABASE_TLS_CA_FILE: `${caFile}.gone` })).toThrow(
      'DATABASE_TLS_CA_FILE: cannot read',
    );
    expect(() => loadConfig({ DATABASE_TLS: 'on' })).toThrow('DATABASE_TLS: must be off, required or verify');
  });
});

describe('secrets', () => {
  const strong = 'k3J9x-Qw2Lm8Zp4Rt7Yv1Nb6Hc5Gd0Fs_Ue';

  it.each(['development', 'production', 'test'])('accepts a random secret of 32+ bytes in %s', (mode) => {
    expect(loadConfig({ NODE_ENV: mode, JWT_SECRET: strong }).auth.jwtSecret).toBe(strong);
  });

  it.each<[string, string, RegExp]>([
    ['short', 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4', /at least 32 bytes/],
    ...[...PUBLISHED_SECRETS].map((secret): [string, string, RegExp] => [
      'published',
      secret,
      /published default|at least 32 bytes/,
    ]),
    ['placeholder', 'please-change-me-before-production-0123', /placeholder/],
    ['repetitive', 'abababababababababababababababababab', /distinct characters/],
  ])('refuses a %s secret in every mode', (_, secret, reason) => {
    for (const mode of ['development', 'production', 'test']) {
      expect(() => loadConfig({ NODE_ENV: mode, JWT_SECRET: secret })).toThrow(reason);
    }
  });

  it('reads the secret from a file, and refuses a published one there too', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'stockwall-secret-'));
    const good = path.join(directory, 'good');
    const bad = path.join(directory, 'bad');
    writeFileSync(good, `${strong}\n`);
    writeFileSync(bad, 'local-compose-only-secret-change-me\n');
    expect(loadConfig({ JWT_SECRET_FILE: good }).auth.jwtSecret).toBe(strong);
    expect(() => loadConfig({ JWT_SECRET_FILE: bad })).toThrow(/JWT_SECRET/);
  });

  it('caps token lifetimes and requires an issuer with a key set', () => {
    expect(() => loadConfig({ ACCESS_TOKEN_MAX_TTL_SECONDS: String(40 * 86_400) })).toThrow(/at most 2678400/);
    expect(() => loadConfig({ JWKS_URL: 'https://idp.example/.well-known/jwks.json' })).toThrow(/JWKS_ISSUER/);
    expect(loadConfig({ JWKS_URL: 'https://idp.example/jwks', JWKS_ISSUER: 'https://idp.example/' }).auth.jwks).toEqual(
      { url: 'https://idp.example/jwks', issuer: 'https://idp.example/', audience: null },
    );
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['none', { kind: 'none' }],
    ['2', { kind: 'hops', hops: 2 }],
    ['10.0.0.0/8, 192.168.1.7,fd00::/8', { kind: 'networks', networks: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8'] }],
  ])('reads %p', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });

  it.each(['11', 'loopback', '10.0.0.0/33', '10.0.0.1/8/2', '300.1.1.1', 'true', '*'])('refuses %p', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: must be none/);
  });
});
