import { randomBytes } from 'node:crypto';
import { KinesisEmulator, startKinesisEmulator } from '@stockwall/local-stack';
import { ApiProcess } from './support/api-process';
import { isolatedProcessEnv, removeProcessData } from './support/process-env';
import { eventually } from './support/test-stack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Logs: JSON lines in production, text without colour in a pipe, a request id in each line and in X-Request-Id', () => {
  const id = randomBytes(4).toString('hex');
  let emulator: KinesisEmulator;
  let env: Record<string, string>;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    emulator = await startKinesisEmulator({ port: 0 });
    env = await isolatedProcessEnv(id, emulator.endpoint);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await emulator?.stop();
    if (env) await removeProcessData(env);
  });

  const start = async (extra: Record<string, string>) => {
    const api = await ApiProcess.start({ ...env, ...extra }, 60_000);
    apis.push(api);
    return api;
  };

  it('writes only JSON lines in production, each request line with its id, echoed in X-Request-Id', async () => {
    const api = await start({ NODE_ENV: 'production', LOG_LEVEL: 'debug' });

    const kept = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'lb-trace-0001' } });
    const replaced = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'two words' } });
    const refused = await fetch(`${api.url}/api/v1/stock`, { headers: { 'x-correlation-id': 'corr-77' } });

    expect(kept.headers.get('x-request-id')).toBe('lb-trace-0001');
    expect(replaced.headers.get('x-request-id')).toMatch(UUID);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('corr-77');
    expect(((await refused.json()) as { correlationId: string }).correlationId).toBe('corr-77');

    const lines = await eventually(async () => {
      const found = api.output.filter((line) => line.includes('GET /api/v1/stock 401'));
      return found.length > 0 ? found : undefined;
    });
    expect(lines).toHaveLength(1);
    for (const line of api.output) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain('\u001b[');
    }
    const entries = api.output.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((entry) => entry.requestId === 'lb-trace-0001')).toMatchObject({
      level: 'debug',
      context: 'Http',
      message: expect.stringMatching(/^GET \/health\/live 200 [\d.]+ ms$/),
    });
    expect(entries.find((entry) => entry.requestId === 'corr-77')).toMatchObject({
      message: expect.stringMatching(/^GET \/api\/v1\/stock 401/),
    });
    // Nest's route table is written at `log` level, one line per route: there, but as JSON.
    expect(entries.some((entry) => entry.context === 'RouterExplorer')).toBe(true);
  }, 90_000);

  it('counts request durations on /metrics by method, route pattern and status', async () => {
    const api = apis[0];
    await fetch(`${api.url}/api/v1/stock/SKU-1`);
    await fetch(`${api.url}/api/v1/stock/SKU-2`);
    await fetch(`${api.url}/no-such-page`);

    const text = await (await fetch(`${api.url}/metrics`)).text();

    const count = (labels: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`stockwall_api_http_request_duration_seconds_count{${labels}}`))
          ?.split(' ')[1],
      );
    expect(count('method="GET",route="/api/v1/stock/:sku",status="401"')).toBe(2);
    expect(count('method="GET",route="/api/v1/stock",status="401"')).toBe(1);
    // ApiProcess.start asked /health/live too, until it answered.
    expect(count('method="GET",route="/health/live",status="200"')).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('SKU-1');
  });

  it('writes text without colour codes when stdout is not a terminal', async () => {
    const api = await start({ NODE_ENV: 'development' });

    const listening = await eventually(async () => api.output.find((line) => line.includes('Listening on')));

    expect(listening).toMatch(/^\[stockwall-api\] \d+ .* LOG \[Api\] Listening on http/);
    expect(api.output.join('\n')).not.toContain('\u001b[');
    expect(api.output.filter((line) => line.trim().startsWith('{'))).toEqual([]);
  }, 90_000);
});
