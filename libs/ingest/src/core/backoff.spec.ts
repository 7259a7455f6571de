import { idleWait, jitteredBackoff, waitForCallSlot } from './backoff';

describe(jitteredBackoff.name, () => {
  const policy = { baseMs: 100, maxMs: 5_000 };

  it('waits between half and all of an exponentially growing ceiling', () => {
    const sut = (failures: number, random: number) => jitteredBackoff(failures, () => random, policy);
    expect([1, 2, 3, 4].map((failures) => sut(failures, 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((failures) => sut(failures, 0.999999))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many failures', () => {
    expect(jitteredBackoff(40, () => 0.999999, policy)).toBe(5_000);
    expect(jitteredBackoff(40, () => 0, policy)).toBe(2_500);
  });
});

describe(waitForCallSlot.name, () => {
  it('spaces calls so a shard sees at most the allowed calls per second', () => {
    expect(waitForCallSlot(1_000, 1_050, 5)).toBe(150);
    expect(waitForCallSlot(1_000, 1_200, 5)).toBe(0);
    expect(waitForCallSlot(1_000, 1_100, 2)).toBe(400);
  });
});

describe(idleWait.name, () => {
  it('does not wait while behind, even after an empty response', () => {
    expect(idleWait(0, 1_500, 200)).toBe(0);
    expect(idleWait(10, 0, 200)).toBe(0);
    expect(idleWait(0, 0, 200)).toBe(200);
  });
});
