import { createHmac } from 'node:crypto';
import type { StockAlert } from '@stockwall/contracts';
import { emailOf, notificationJobId, signWebhook, webhookBody } from './notification-message';

const alert: StockAlert = {
  id: 'low_stock|SKU:1|main|stream|shard|42.0',
  kind: 'back_in_stock',
  sku: 'SKU:1',
  location: 'main',
  available: 12,
  reorderPoint: 5,
  occurredAt: '2024-01-01T10:00:00.000Z',
  stockoutMs: 5_400_000,
};

describe(notificationJobId.name, () => {
  it('is the same for the same alert and target, different across targets, and free of colons', () => {
    const hook = { kind: 'webhook', url: 'https://hooks.example/a' } as const;
    const sut = notificationJobId(alert.id, hook);

    expect(notificationJobId(alert.id, { ...hook })).toBe(sut);
    expect(notificationJobId(alert.id, { kind: 'webhook', url: 'https://hooks.example/b' })).not.toBe(sut);
    expect(notificationJobId(`${alert.id}x`, hook)).not.toBe(sut);
    expect(notificationJobId(alert.id, { kind: 'email', to: ['b@x', 'a@x'] })).toBe(
      notificationJobId(alert.id, { kind: 'email', to: ['a@x', 'b@x'] }),
    );
    expect(sut).not.toContain(':');
  });
});

describe(signWebhook.name, () => {
  it('signs the timestamp and the exact body with HMAC-SHA256', () => {
    const body = webhookBody(alert);
    const sut = signWebhook('secret-0123456789', 1_700_000_000, body);

    expect(sut).toBe(`sha256=${createHmac('sha256', 'secret-0123456789').update(`1700000000.${body}`).digest('hex')}`);
    expect(signWebhook('secret-0123456789', 1_700_000_001, body)).not.toBe(sut);
    expect(JSON.parse(body)).toEqual({ type: 'stock.back_in_stock', alert });
  });
});

describe(emailOf.name, () => {
  it('names the alert, SKU and location in the subject and the figures in the text', () => {
    const sut = emailOf(alert);

    expect(sut.subject).toBe('[Stockwall] Back in stock: SKU:1 (main)');
    expect(sut.text).toContain('Available: 12');
    expect(sut.text).toContain('Out of stock for: 90 min');
  });
});
