import { describe, expect, it } from '@jest/globals';
import { parseDuration, readKioskOptions, WALL_VIEWS } from './kiosk';

describe('readKioskOptions', () => {
  it('defaults to the dark overview without rotation', () => {
    const sut = readKioskOptions('');
    expect(sut).toEqual({ theme: 'dark', playlist: ['overview'], rotateMs: null, pageMs: 10_000 });
  });

  it('rotates every view starting at the one asked for', () => {
    const sut = readKioskOptions('?theme=light&view=alerts&rotate=5s');
    expect(sut.theme).toBe('light');
    expect(sut.playlist).toEqual(['alerts', 'sources', 'overview', 'stock']);
    expect(sut.rotateMs).toBe(5_000);
  });

  it('keeps a listed playlist in its order, drops unknown views and keeps filters', () => {
    const sut = readKioskOptions('?view=stock,bogus,overview&rotate=1m&location=north&window=1h&source=web&page=20s');
    expect(sut).toEqual({
      location: 'north',
      source: 'web',
      window: '1h',
      theme: 'dark',
      playlist: ['stock', 'overview'],
      rotateMs: 60_000,
      pageMs: 20_000,
    });
  });

  it('does not rotate a single view or faster than every 3 s, and ignores bad values', () => {
    expect(readKioskOptions('?view=stock').rotateMs).toBeNull();
    expect(readKioskOptions('?rotate=1s').rotateMs).toBe(3_000);
    expect(readKioskOptions('?rotate=1s').playlist).toEqual([...WALL_VIEWS]);
    const bad = readKioskOptions('?theme=pink&window=2h&source=%24%24&rotate=soon');
    expect(bad).toEqual({ theme: 'dark', playlist: ['overview'], rotateMs: null, pageMs: 10_000 });
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1500ms', 1_500],
    ['45', 45_000],
    ['0', null],
    ['x', null],
    [null, null],
  ])('%s → %s', (text, expected) => expect(parseDuration(text)).toBe(expected));
});
