import type { PositionedEvent } from '@stockwall/contracts';
import { redeliveryId } from './persist-batch.writer';

describe(redeliveryId.name, () => {
  const item = (eventId: string, sequenceNumber: string): PositionedEvent => ({
    position: { sequenceNumber, subSequence: 0 },
    event: { type: 'quantity_changed', eventId, occurredAt: 0, location: 'main', source: 's', sku: 'A', delta: 1 },
  });

  it('keeps the original id and tells deliveries apart by position', () => {
    const sut = redeliveryId({ shardId: 'shardId-1' }, item('e-1', '100'));
    expect(sut).toMatch(/^e-1~r[0-9a-f]{20}$/);
    expect(redeliveryId({ shardId: 'shardId-1' }, item('e-1', '101'))).not.toBe(sut);
    expect(redeliveryId({ shardId: 'shardId-2' }, item('e-1', '100'))).not.toBe(sut);
  });

  it('fits the 160-character column for the longest event id the wire contract allows', () => {
    expect(redeliveryId({ shardId: 'shardId-1' }, item('x'.repeat(128), '1')).length).toBeLessThanOrEqual(160);
  });
});
