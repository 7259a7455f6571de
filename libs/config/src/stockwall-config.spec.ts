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

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });
});
