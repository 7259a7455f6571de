import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createApiApplication } from '../apps/api/src/api-application';
import { TestStack } from './support/test-stack';

const LIMIT = 20;

describe('Rate limits shared by API processes through Redis', () => {
  let stack: TestStack;
  let second: INestApplication;
  let secondUrl: string;

  beforeAll(async () => {
    stack = await TestStack.start({
      shards: 1,
      workers: 0,
      // The balancer in front of both processes is on loopback: only its X-Forwarded-For counts.
      env: { RATE_LIMIT_MAX: String(LIMIT), RATE_LIMIT_TTL_SECONDS: '60', TRUST_PROXY: '127.0.0.1/8,::1' },
    });
    // A second API application on the same Redis, as a second process behind the balancer would be.
    second = await createApiApplication(stack.infrastructure);
    await second.listen(0, '127.0.0.1');
    secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await second?.close();
    await stack?.stop();
  });

  async function statusOf(baseUrl: string, clientAddress: string): Promise<number> {
    const response = await fetch(`${baseUrl}/api/v1/stock`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}`, 'x-forwarded-for': clientAddress },
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('counts one client across both processes against one limit, and other clients apart', async () => {
    const statuses: number[] = [];
    // Alternating nodes: with per-process counting each would allow LIMIT, 2 × LIMIT in all.
    for (let index = 0; index < LIMIT + 10; index++) {
      statuses.push(await statusOf(index % 2 === 0 ? stack.apiUrl : secondUrl, '10.1.2.3'));
    }

    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual(Array.from({ length: 10 }, () => 429));
    expect(await statusOf(stack.apiUrl, '10.1.2.3')).toBe(429);
    expect(await statusOf(secondUrl, '10.1.2.3')).toBe(429);
    expect(await statusOf(secondUrl, '10.9.9.9')).toBe(200);
  });

  it('keeps the window in Redis with an expiry, so it ends by itself', async () => {
    const keys = await stack.infrastructure.redis.keys(`${stack.config.redis.prefix}throttle:*:hits`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      const ttl = await stack.infrastructure.redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });
});
