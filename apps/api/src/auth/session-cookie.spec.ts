import { clearedSessionCookie, isSafeMethod, readCookie, sessionCookie } from './session-cookie';

describe(readCookie.name, () => {
  it('finds the named cookie among others, not a cookie whose name merely ends with it', () => {
    expect(readCookie('theme=dark; stockwall_session=abc_-1; x=2', 'stockwall_session')).toBe('abc_-1');
    expect(readCookie('old_stockwall_session=zzz', 'stockwall_session')).toBeNull();
  });

  it.each([[undefined], [''], ['stockwall_session='], [42]])('answers null for %j', (header) => {
    expect(readCookie(header, 'stockwall_session')).toBeNull();
  });
});

describe(sessionCookie.name, () => {
  it('is httpOnly, SameSite=Strict, for the whole site, and Secure only when asked', () => {
    expect(sessionCookie('v', 3600, false)).toBe(
      'stockwall_session=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600',
    );
    expect(sessionCookie('v', 3600, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toMatch(/^stockwall_session=; .*Max-Age=0/);
  });
});

describe(isSafeMethod.name, () => {
  it('lets reads through and holds writes', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].every(isSafeMethod)).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some(isSafeMethod)).toBe(false);
  });
});
