import { describe, expect, it } from '@jest/globals';
import { buildOf } from './build-watch';

describe('buildOf', () => {
  it('reads the build id index.html names', () => {
    expect(buildOf('<head><meta name="stockwall-build" content="2026-12-04T05:00:00Z-ab12" /></head>')).toBe(
      '2026-12-04T05:00:00Z-ab12',
    );
    expect(buildOf('<head></head>')).toBeNull();
    expect(buildOf('<meta name="stockwall-build" content="">')).toBeNull();
  });
});
