import { describe, expect, it } from '@jest/globals';
import { nextWriteStatus, writeStatusOf } from './write-status';

describe(nextWriteStatus.name, () => {
  const pending = { eventId: 'e1', state: 'pending' as const };

  it('moves a pending write to applied or rejected', () => {
    expect(nextWriteStatus(pending, { eventId: 'e1', state: 'applied' })).toEqual({ eventId: 'e1', state: 'applied' });
    expect(nextWriteStatus(pending, { eventId: 'e1', state: 'rejected' })).toEqual({
      eventId: 'e1',
      state: 'rejected',
      reason: 'refused',
    });
  });

  it('ignores other writes, pending answers, and anything after the end', () => {
    expect(nextWriteStatus(pending, { eventId: 'e2', state: 'applied' })).toBe(pending);
    expect(nextWriteStatus(pending, { eventId: 'e1', state: 'pending' })).toBe(pending);
    const applied = { eventId: 'e1', state: 'applied' as const };
    expect(nextWriteStatus(applied, { eventId: 'e1', state: 'rejected', reason: 'late' })).toBe(applied);
  });
});

describe(writeStatusOf.name, () => {
  it('reads the REST answer', () => {
    expect(writeStatusOf({ eventId: 'e1', state: 'applied' })).toEqual({ eventId: 'e1', state: 'applied' });
    expect(writeStatusOf({ eventId: 'e1', state: 'rejected', reason: 'bound' })).toEqual({
      eventId: 'e1',
      state: 'rejected',
      reason: 'bound',
    });
    expect(writeStatusOf({ eventId: 'e1', state: 'lost' })).toBeNull();
    expect(writeStatusOf(null)).toBeNull();
  });
});
