import { applyTokenPolicy, TokenLifetimeLimits } from './token-policy';

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;
const LIMITS: TokenLifetimeLimits = { accessMaxSeconds: 86_400, displayMaxSeconds: 365 * 86_400, requireId: true };

describe(applyTokenPolicy.name, () => {
  it('accepts an access token of any role, with its expiry in ms and its id', () => {
    const sut = applyTokenPolicy({ sub: 'ann', role: 'admin', jti: 'j1', iat: NOW_S, exp: NOW_S + 100 }, LIMITS, NOW);
    expect(sut).toEqual({
      ok: true,
      token: {
        sub: 'ann',
        role: 'admin',
        kind: 'access',
        tokenId: null,
        revocationId: 'j1',
        expiresAt: (NOW_S + 100) * 1000,
      },
    });
  });

  it('accepts a viewer display token with an id', () => {
    const payload = {
      sub: 'display:hall',
      role: 'viewer',
      kind: 'display',
      jti: 'id-1',
      iat: NOW_S,
      exp: NOW_S + 86_400 * 300,
    };
    const sut = applyTokenPolicy(payload, LIMITS, NOW);
    expect(sut.ok && sut.token).toMatchObject({ kind: 'display', tokenId: 'id-1', revocationId: 'id-1' });
  });

  it('accepts a token without an id where none is required (an identity provider’s)', () => {
    const sut = applyTokenPolicy({ sub: 'ann', role: 'viewer', exp: NOW_S + 60 }, { ...LIMITS, requireId: false }, NOW);
    expect(sut.ok && sut.token.revocationId).toBeNull();
  });

  it.each([
    [{ role: 'viewer', jti: 'x', exp: NOW_S + 60 }, /subject/],
    [{ sub: 'ann', role: 'root', jti: 'x', exp: NOW_S + 60 }, /role/],
    [{ sub: 'ann', role: 'viewer', jti: 'x' }, /no expiry/],
    [{ sub: 'ann', role: 'viewer', jti: 'x', exp: 'tomorrow' }, /no expiry/],
    [{ sub: 'ann', role: 'viewer', jti: 'x', exp: NOW_S - 1 }, /expired/],
    [{ sub: 'ann', role: 'viewer', exp: NOW_S + 60 }, /no id/],
    [{ sub: 'ann', role: 'viewer', jti: 7, exp: NOW_S + 60 }, /invalid id/],
    [{ sub: 'ann', role: 'viewer', jti: 'x', iat: NOW_S, exp: NOW_S + 86_400 * 2 }, /longer than the allowed 86400 s/],
    [{ sub: 'ann', role: 'viewer', jti: 'x', exp: NOW_S + 86_400 * 365 }, /longer than the allowed/],
    [{ sub: 'ann', role: 'viewer', jti: 'x', iat: NOW_S + 3600, exp: NOW_S + 7200 }, /in the future/],
    [{ sub: 'ann', role: 'admin', kind: 'display', jti: 'x', exp: NOW_S + 60 }, /only carry the viewer role/],
    [{ sub: 'ann', role: 'viewer', kind: 'service', jti: 'x', exp: NOW_S + 60 }, /unknown kind/],
    [{ sub: 'ann', role: 'viewer', kind: 'display', jti: 'x', iat: NOW_S, exp: NOW_S + 86_400 * 400 }, /longer/],
  ])('refuses %j', (payload, reason) => {
    const sut = applyTokenPolicy(payload, LIMITS, NOW);
    expect(sut.ok).toBe(false);
    expect(sut.ok ? '' : sut.reason).toMatch(reason);
  });
});
