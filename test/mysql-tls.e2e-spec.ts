import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { DatabaseTls } from '@stockwall/config';
import { ensureMariaDb, findFreePort, type LocalService } from '@stockwall/local-stack';
import { openDatabase } from '@stockwall/persistence';

/** A certificate authority and a server certificate it signed for 127.0.0.1 and localhost, made with openssl. */
function makeCertificates(directory: string, name: string): { ca: string; cert: string; key: string } {
  const file = (suffix: string) => path.join(directory, `${name}-${suffix}`);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

describe('MySQL over TLS (DATABASE_TLS=off|required|verify) against a MariaDB with a self-made CA', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'stockwall-tls-'));
  let mariaDb: LocalService;
  let serverCa: string;
  let otherCa: string;
  let tlsUrl: string;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    const server = makeCertificates(directory, 'server');
    serverCa = server.ca;
    otherCa = makeCertificates(directory, 'other').ca;
    mariaDb = await ensureMariaDb(`mysql://root@127.0.0.1:${await findFreePort()}/stockwall_tls`, {
      serverArgs: [`--ssl-ca=${server.ca}`, `--ssl-cert=${server.cert}`, `--ssl-key=${server.key}`],
    });
    expect(mariaDb.started).toBe(true);
    const root = await createConnection({ uri: mariaDb.url });
    // Root stays plain for the set-up; the application's account is refused without TLS.
    await root.query(`CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-password' REQUIRE SSL`);
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'app'@'127.0.0.1'`);
    await root.end();
    const url = new URL(mariaDb.url);
    url.username = 'app';
    url.password = 'app-password';
    url.pathname = '/stockwall_tls';
    tlsUrl = url.toString();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
    await mariaDb?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const open = async (tls: DatabaseTls) => {
    const dataSource = await openDatabase({ url: tlsUrl, name: 'stockwall_tls', tls });
    opened.push(dataSource);
    const [row] = await dataSource.query<{ Value: string }[]>(`SHOW SESSION STATUS LIKE 'Ssl_cipher'`);
    return row?.Value ?? '';
  };

  it('is refused without TLS by an account that requires it', async () => {
    await expect(open({ mode: 'off', caFile: null })).rejects.toThrow(/MySQL is not answering .*ER_ACCESS_DENIED/);
  });

  it('connects encrypted with `required`, and migrates', async () => {
    expect(await open({ mode: 'required', caFile: null })).not.toBe('');
  }, 60_000);

  it('connects with `verify` when the server certificate is signed by the CA file', async () => {
    expect(await open({ mode: 'verify', caFile: serverCa })).not.toBe('');
  }, 60_000);

  it('refuses with `verify` when the certificate is signed by another CA', async () => {
    await expect(open({ mode: 'verify', caFile: otherCa })).rejects.toThrow(/MySQL is not answering/);
  }, 60_000);
});
