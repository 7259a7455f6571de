import { applyTokenPolicy } from './token-policy';

describe(applyTokenPolicy.name, () => {
  it('accepts an access token of any role, with its expiry in ms', () => {
    expect(applyTokenPolicy({ sub: 'ann', role: 'admin', exp: 100 })).toEqual({
      ok: true,
      token: { sub: 'ann', role: 'admin', kind: 'access', tokenId: null, expiresAt: 100_000 },
    });
  });

  it('accepts a viewer display token with an id', () => {
    const sut = applyTokenPolicy({ sub: 'display:hall', role: 'viewer', kind: 'display', jti: 'id-1' });
    expect(sut).toEqual({
      ok: true,
      token: { sub: 'display:hall', role: 'viewer', kind: 'display', tokenId: 'id-1', expiresAt: null },
    });
  });

  it.each([
    [{ role: 'viewer' }, /subject/],
    [{ sub: 'ann', role: 'root' }, /role/],
    [{ sub: 'ann', role: 'admin', kind: 'display', jti: 'x' }, /only carry the viewer role/],
    [{ sub: 'ann', role: 'viewer', kind: 'display' }, /needs an id/],
    [{ sub: 'ann', role: 'viewer', kind: 'service' }, /unknown kind/],
  ])('refuses %j', (payload, reason) => {
    const sut = applyTokenPolicy(payload);
    expect(sut.ok).toBe(false);
    expect(sut.ok ? '' : sut.reason).toMatch(reason);
  });
});
