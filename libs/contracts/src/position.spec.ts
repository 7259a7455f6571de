import { comparePositions } from './position';

describe(comparePositions.name, () => {
  it('compares sequence numbers as big integers, not as text or floats', () => {
    const small = { sequenceNumber: '9', subSequence: 0 };
    const large = { sequenceNumber: '10', subSequence: 0 };
    expect(comparePositions(small, large)).toBeLessThan(0);
    const a = { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequence: 0 };
    const b = { sequenceNumber: '49590338271490256608559692538361571095921575989136588899', subSequence: 0 };
    expect(comparePositions(a, b)).toBeLessThan(0);
    expect(comparePositions(b, a)).toBeGreaterThan(0);
  });

  it('orders sub-sequences within one aggregated record', () => {
    const at = (subSequence: number) => ({ sequenceNumber: '100', subSequence });
    expect(comparePositions(at(1), at(2))).toBeLessThan(0);
    expect(comparePositions(at(2), at(2))).toBe(0);
  });
});
