import { outageBackoff } from './persist-queue';

describe(outageBackoff.name, () => {
  it('waits about as long as the outage has lasted, between half and all of it', () => {
    expect(outageBackoff(4_000, () => 0)).toBe(2_000);
    expect(outageBackoff(4_000, () => 1)).toBe(4_000);
  });

  it('starts at 250 ms when the outage has just begun', () => {
    expect(outageBackoff(0, () => 1)).toBe(250);
    expect(outageBackoff(0, () => 0)).toBe(125);
  });

  it('never waits more than 30 s, however long the outage', () => {
    expect(outageBackoff(6 * 3_600_000, () => 1)).toBe(30_000);
  });
});
