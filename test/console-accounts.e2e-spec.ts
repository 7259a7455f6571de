import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createApiApplication } from '../apps/api/src/api-application';
import { ConsoleSession, runCli } from './support/console-session';
import { eventually, TestStack } from './support/test-stack';

const PASSWORD = 'correct horse battery staple';

describe('Console accounts: CLI-made users sign in with a session cookie on REST and /live', () => {
  let stack: TestStack;
  let secondApi: INestApplication;
  let secondApiUrl: string;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '600' } });
    // A second API process on the same Redis: a user disabled on one is signed out on both.
    secondApi = await createApiApplication(stack.infrastructure);
    await secondApi.listen(0, '127.0.0.1');
    secondApiUrl = `http://127.0.0.1:${(secondApi.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await secondApi?.close();
    await stack?.stop();
  });

  async function addUser(email: string, role: string, password = PASSWORD) {
    return runCli(stack, ['users', 'add', '--email', email, '--role', role], `${password}\n`);
  }

  it('adds users from the CLI with the password on stdin, refuses a short one and bad usage with exit 2', async () => {
    const added = await addUser('  Ann.Warehouse@Example.COM ', 'warehouse');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Added user \d+: ann\.warehouse@example\.com \(warehouse\)/);

    const short = await addUser('short@example.com', 'viewer', 'eleven char');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const badRole = await addUser('role@example.com', 'root');
    expect(badRole.code).toBe(2);
    const noEmail = await runCli(stack, ['users', 'add', '--role', 'viewer'], `${PASSWORD}\n`);
    expect(noEmail.code).toBe(2);
    const duplicate = await addUser('ann.warehouse@example.com', 'viewer');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);

    const [row] = await stack.infrastructure.dataSource.query<{ email: string; password_hash: string; role: string }[]>(
      'SELECT email, password_hash, role FROM users WHERE email = ?',
      ['ann.warehouse@example.com'],
    );
    expect(row.role).toBe('warehouse');
    expect(row.password_hash).toMatch(/^scrypt\$N=32768,r=8,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);

    const listed = await runCli(stack, ['users', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/ann\.warehouse@example\.com\twarehouse\tactive/);
    expect(listed.stdout).not.toMatch(/short@example\.com/);
  });

  it('signs in: httpOnly SameSite=Strict cookie, the role and expiry; the cookie works on REST and /live', async () => {
    const session = new ConsoleSession(stack.apiUrl);
    const login = await session.login('ANN.warehouse@example.com', PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      user: { id: expect.stringMatching(/^\d+$/), email: 'ann.warehouse@example.com', role: 'warehouse' },
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Date.parse(login.body.expiresAt) - Date.now()).toBeGreaterThan(7 * 3_600_000);
    expect(login.headers.get('set-cookie')).toMatch(
      /^stockwall_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/,
    );

    const current = await session.call('GET', '/api/v1/auth/session');
    expect(current.status).toBe(200);
    expect(current.body.user).toEqual(login.body.user);
    expect((await session.call('GET', '/api/v1/stock')).status).toBe(200);
    const [row] = await stack.infrastructure.dataSource.query<{ last_login_at: Date | null }[]>(
      'SELECT last_login_at FROM users WHERE email = ?',
      ['ann.warehouse@example.com'],
    );
    expect(row.last_login_at).not.toBeNull();

    const socket = await session.connectLive();
    expect((await socket.emitWithAck('subscribe', { channels: ['kpis'] })).ok).toBe(true);
    socket.disconnect();

    // Without the cookie the same calls are refused.
    const anonymous = new ConsoleSession(stack.apiUrl);
    expect((await anonymous.call('GET', '/api/v1/auth/session')).status).toBe(401);
    expect((await anonymous.call('GET', '/api/v1/stock')).status).toBe(401);
    await expect(anonymous.connectLive()).rejects.toThrow('unauthorized');
    // A made-up session id is refused too.
    anonymous.cookie = `stockwall_session=${'A'.repeat(43)}`;
    expect((await anonymous.call('GET', '/api/v1/stock')).status).toBe(401);

    // Logging out ends the session: the old cookie no longer works.
    const logout = await session.call('POST', '/api/v1/auth/logout');
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^stockwall_session=; .*Max-Age=0/);
    expect((await session.call('GET', '/api/v1/stock')).status).toBe(401);
  });

  it('answers a wrong password and an unknown e-mail alike with 401, and bad input with 400', async () => {
    const session = new ConsoleSession(stack.apiUrl);
    const wrong = await session.login('ann.warehouse@example.com', 'not the password at all');
    const unknown = await session.login('nobody@example.com', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const bad = await session.call('POST', '/api/v1/auth/login', { email: 'ann@example.com' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/password/);
  });

  it('locks an account after repeated failures with 429 and Retry-After, even for the right password', async () => {
    expect((await addUser('locked@example.com', 'viewer')).code).toBe(0);
    const session = new ConsoleSession(stack.apiUrl);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await session.login('locked@example.com', `wrong password ${attempt}`)).status).toBe(401);
    }
    const locked = await session.login('locked@example.com', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // Another account from the same address is not locked by it.
    expect((await addUser('other@example.com', 'viewer')).code).toBe(0);
    expect((await new ConsoleSession(stack.apiUrl).login('other@example.com', PASSWORD)).status).toBe(200);
  });

  it('needs the CSRF header on cookie-authenticated writes; a viewer’s forged write is refused 403; bearer tokens are unchanged', async () => {
    const warehouse = new ConsoleSession(stack.apiUrl);
    expect((await warehouse.login('ann.warehouse@example.com', PASSWORD)).status).toBe(200);
    const adjustment = { sku: 'CSRF-1', delta: 3, reason: 'found in the back room' };
    const forged = await warehouse.call('POST', '/api/v1/adjustments', adjustment, { csrf: false });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toMatch(/X-Stockwall-Csrf/);
    const sent = await warehouse.call('POST', '/api/v1/adjustments', adjustment);
    expect(sent.status).toBe(202);
    expect(sent.body.eventId).toMatch(/^api-/);

    expect((await addUser('vic.viewer@example.com', 'viewer')).code).toBe(0);
    const viewer = new ConsoleSession(stack.apiUrl);
    expect((await viewer.login('vic.viewer@example.com', PASSWORD)).status).toBe(200);
    const refused = await viewer.call('POST', '/api/v1/adjustments', adjustment);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/needs the warehouse role/);
    expect((await viewer.call('GET', '/api/v1/users')).status).toBe(403);

    // A bearer token needs no CSRF header (no browser sends it on its own).
    const byToken = await fetch(`${stack.apiUrl}/api/v1/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('warehouse')}`, 'content-type': 'application/json' },
      body: JSON.stringify(adjustment),
    });
    expect(byToken.status).toBe(202);
  });

  it('admins manage users over REST; disabling one ends their REST session and closes their sockets on every node', async () => {
    expect((await addUser('ada.admin@example.com', 'admin')).code).toBe(0);
    const admin = new ConsoleSession(stack.apiUrl);
    expect((await admin.login('ada.admin@example.com', PASSWORD)).status).toBe(200);

    const created = await admin.call('POST', '/api/v1/users', {
      email: 'Walt@Example.com',
      role: 'warehouse',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: 'walt@example.com', role: 'warehouse', disabled: false });
    expect(
      (await admin.call('POST', '/api/v1/users', { email: 'walt@example.com', role: 'viewer', password: PASSWORD }))
        .status,
    ).toBe(409);
    const invalid = await admin.call('POST', '/api/v1/users', { email: 'not-an-email', role: 'boss', password: 'x' });
    expect(invalid.status).toBe(400);
    const problems = JSON.stringify(invalid.body.message);
    expect(problems).toMatch(/email/);
    expect(problems).toMatch(/role/);
    expect(problems).toMatch(/password/);

    const walt = new ConsoleSession(stack.apiUrl);
    expect((await walt.login('walt@example.com', PASSWORD)).status).toBe(200);
    // Sockets on both API processes.
    const here = await walt.connectLive();
    const there = await walt.connectLive(secondApiUrl);
    const errors: unknown[] = [];
    there.on('error' as never, (error: unknown) => {
      errors.push(error);
    });
    const closed = Promise.all(
      [here, there].map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve))),
    );

    const listed = await admin.call('GET', '/api/v1/users');
    expect(listed.status).toBe(200);
    const waltRow = listed.body.users.find((user: { email: string }) => user.email === 'walt@example.com');
    expect(waltRow).toMatchObject({ role: 'warehouse', disabled: false, lastLoginAt: expect.any(String) });

    const started = Date.now();
    const disabled = await admin.call('PATCH', `/api/v1/users/${waltRow.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    // Published to every node at once, not found by the periodic sweep (every 5 s).
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(errors).toEqual([{ code: 'unauthorized', message: expect.any(String) }]);
    expect((await walt.call('GET', '/api/v1/stock')).status).toBe(401);
    expect((await new ConsoleSession(secondApiUrl).login('walt@example.com', PASSWORD)).status).toBe(401);
    expect((await admin.call('PATCH', '/api/v1/users/999999', { disabled: true })).status).toBe(404);
    expect((await admin.call('PATCH', `/api/v1/users/${waltRow.id}`, {})).status).toBe(400);
  });

  it('disables a user from the CLI: their open socket is closed and their cookie refused', async () => {
    expect((await addUser('cleo@example.com', 'viewer')).code).toBe(0);
    const cleo = new ConsoleSession(stack.apiUrl);
    expect((await cleo.login('cleo@example.com', PASSWORD)).status).toBe(200);
    const socket = await cleo.connectLive(secondApiUrl);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const disabled = await runCli(stack, ['users', 'disable', '--email', 'CLEO@example.com']);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toMatch(/1 session\(s\) ended/);
    expect(await closed).toBe('io server disconnect');
    await eventually(async () => ((await cleo.call('GET', '/api/v1/stock')).status === 401 ? true : undefined));
    const listed = await runCli(stack, ['users', 'list']);
    expect(listed.stdout).toMatch(/cleo@example\.com\tviewer\tdisabled/);
    expect((await runCli(stack, ['users', 'disable', '--email', 'ghost@example.com'])).code).toBe(1);
    expect((await runCli(stack, ['users', 'disable'])).code).toBe(2);
  });
});
