import { hashPassword, needsRehash, parsePasswordHash, passwordProblem, verifyPassword } from './password-hash';

// Cheap parameters keep the spec fast; the format and the comparison are what is under test.
const FAST = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

describe(hashPassword.name, () => {
  it('writes the scrypt parameters, a per-user salt and the key, and today’s default is N = 2^15', async () => {
    const sut = await hashPassword('correct horse battery');
    expect(sut).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(parsePasswordHash(sut)?.parameters).toEqual({ cost: 32768, blockSize: 8, parallelization: 1 });
  });

  it('salts each hash: the same password hashes differently twice', async () => {
    const [first, second] = await Promise.all([
      hashPassword('same password!', FAST),
      hashPassword('same password!', FAST),
    ]);
    expect(first).not.toBe(second);
  });

  it('is deterministic for a given salt (the stored key is what scrypt derives)', async () => {
    const salt = Buffer.alloc(16, 7);
    expect(await hashPassword('pw pw pw pw pw', FAST, salt)).toBe(await hashPassword('pw pw pw pw pw', FAST, salt));
  });
});

describe(verifyPassword.name, () => {
  it('accepts the password and refuses another, a near miss and an empty one', async () => {
    const sut = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', sut)).toBe(true);
    expect(await verifyPassword('correct horse batterY', sut)).toBe(false);
    expect(await verifyPassword('correct horse battery ', sut)).toBe(false);
    expect(await verifyPassword('', sut)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not today’s', async () => {
    const old = await hashPassword('an older account', { cost: 2 ** 11, blockSize: 4, parallelization: 1 });
    expect(await verifyPassword('an older account', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('a newer account'))).toBe(false);
  });

  it.each([
    ['not a hash'],
    ['bcrypt$N=1024,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['scrypt$N=1000,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['scrypt$N=4194304,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses a stored value it cannot read: %s', async (stored) => {
    expect(parsePasswordHash(stored)).toBeNull();
    expect(await verifyPassword('whatever it is', stored)).toBe(false);
  });
});

describe(passwordProblem.name, () => {
  it.each([
    ['a short one', 'short', /at least 12/],
    ['only spaces', '            ', /only spaces/],
    ['a bell character', 'twelve chars\u0007', /control/],
    ['1,025 characters', 'x'.repeat(1_025), /at most/],
  ])('refuses %s', (_label, password, problem) => {
    expect(passwordProblem(password)).toMatch(problem);
  });

  it('accepts 12 characters', () => {
    expect(passwordProblem('abcdefghijkl')).toBeNull();
  });
});
