import { customerHash } from './customer-hash';
import { decodeEventRecord } from './event-decoder';

const context = { shardId: 'shardId-000000000000', position: { sequenceNumber: '1', subSequence: 0 }, arrivalTime: 0 };
const order = (customerId?: string) =>
  new TextEncoder().encode(
    JSON.stringify({
      event_type: 'order_placed',
      order_id: 'o-1',
      ...(customerId === undefined ? {} : { customer_id: customerId }),
      occurred_at: '2024-03-01T09:00:00Z',
      lines: [{ sku: 'A', quantity: 1, unit_price: 2.5 }],
    }),
  );

describe(customerHash.name, () => {
  it('is a 32-character hex pseudonym that depends on the salt', () => {
    const sut = customerHash('17850', 'salt-of-this-deployment');
    expect(sut).toMatch(/^[0-9a-f]{32}$/);
    expect(customerHash('17850', 'salt-of-this-deployment')).toBe(sut);
    expect(customerHash('17850', 'another-deployment-salt')).not.toBe(sut);
    expect(customerHash('17851', 'salt-of-this-deployment')).not.toBe(sut);
  });

  it('replaces an order’s customer_id in the decoded event; the raw id appears nowhere', () => {
    const sut = decodeEventRecord(order('17850'), context, {
      maxEventBytes: 4096,
      customerSalt: 'salt-of-this-deployment',
    });
    expect(sut.ok && sut.event).toMatchObject({ customerHash: customerHash('17850', 'salt-of-this-deployment') });
    expect(JSON.stringify(sut)).not.toContain('17850');
  });

  it('drops the id without a salt, and adds nothing to an order without one', () => {
    const unsalted = decodeEventRecord(order('17850'), context, { maxEventBytes: 4096 });
    expect(unsalted.ok && 'customerHash' in unsalted.event).toBe(false);
    expect(JSON.stringify(unsalted)).not.toContain('17850');
    const anonymous = decodeEventRecord(order(), context, {
      maxEventBytes: 4096,
      customerSalt: 'salt-of-this-deployment',
    });
    expect(anonymous.ok && 'customerHash' in anonymous.event).toBe(false);
  });
});
