import { z } from 'zod';
import { type EnvironmentReader, type EnvironmentValues, isReadableFile, urlWithProtocol } from './environment-values';

/** MySQL over TLS: `required` encrypts without checking the server, `verify` checks its certificate too. */
export type DatabaseTlsMode = 'off' | 'required' | 'verify';
export interface DatabaseTls {
  mode: DatabaseTlsMode;
  /** PEM bundle of the certificate authorities trusted with `verify` (the RDS bundle on AWS). */
  caFile: string | null;
}

/** `tls` absent: off. */
export interface DatabaseConfig {
  url: string;
  name: string;
  tls?: DatabaseTls;
}

export const mysqlEnvironment = {
  DATABASE_URL: urlWithProtocol(['mysql:', 'mariadb:'], 'mysql://root@127.0.0.1:3306/stockwall'),
  DATABASE_TLS: z
    .enum(['off', 'required', 'verify'], { errorMap: () => ({ message: 'must be off, required or verify' }) })
    .optional(),
  DATABASE_TLS_CA_FILE: z.string().optional(),
};

type MysqlValues = EnvironmentValues<typeof mysqlEnvironment>;

function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'stockwall';
}

export function databaseConfigOf(values: MysqlValues): DatabaseConfig {
  return {
    url: values.DATABASE_URL,
    name: databaseNameOf(values.DATABASE_URL),
    tls: { mode: values.DATABASE_TLS ?? 'off', caFile: values.DATABASE_TLS_CA_FILE ?? null },
  };
}

export function mysqlProblems(environment: EnvironmentReader<typeof mysqlEnvironment>): string[] {
  const problems: string[] = [];
  const databaseUrl = environment.value('DATABASE_URL');
  if (databaseUrl !== undefined) {
    const databaseName = databaseNameOf(databaseUrl);
    if (!/^[A-Za-z0-9_]{1,64}$/.test(databaseName)) {
      problems.push(`DATABASE_URL: database name "${databaseName}" must be letters, digits or _`);
    }
  }
  if (environment.value('DATABASE_TLS') === 'verify' && !environment.isSet('DATABASE_TLS_CA_FILE')) {
    problems.push('DATABASE_TLS_CA_FILE: must be set when DATABASE_TLS=verify (the CA bundle, e.g. the RDS one)');
  }
  const caFile = environment.raw('DATABASE_TLS_CA_FILE');
  if (caFile !== undefined && !isReadableFile(caFile)) {
    problems.push(`DATABASE_TLS_CA_FILE: cannot read ${caFile}`);
  }
  return problems;
}
