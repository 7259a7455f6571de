import { DependencyUnavailableError } from '@stockwall/config';
import { isMysqlUnavailableError } from './mysql-unavailable';

function codedError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { code, ...extra });
}

describe(isMysqlUnavailableError.name, () => {
  it('recognises a MySQL dependency error, not another dependency', () => {
    expect(isMysqlUnavailableError(new DependencyUnavailableError('mysql', 'MySQL is not answering'))).toBe(true);
    expect(isMysqlUnavailableError(new DependencyUnavailableError('redis', 'Redis is not answering'))).toBe(false);
  });

  it('recognises refused, lost and timed out connections, bare or wrapped by a failed query', () => {
    expect(isMysqlUnavailableError(codedError('ECONNREFUSED'))).toBe(true);
    expect(isMysqlUnavailableError(codedError('PROTOCOL_CONNECTION_LOST'))).toBe(true);
    expect(isMysqlUnavailableError(codedError('ETIMEDOUT'))).toBe(true);
    const wrapped = Object.assign(new Error('query failed'), { driverError: codedError('ECONNRESET') });
    expect(isMysqlUnavailableError(wrapped)).toBe(true);
    expect(isMysqlUnavailableError(codedError('SOMETHING_NEW', { fatal: true }))).toBe(true);
  });

  it('leaves query errors and non-errors alone', () => {
    expect(isMysqlUnavailableError(codedError('ER_PARSE_ERROR'))).toBe(false);
    expect(isMysqlUnavailableError(codedError('ER_DUP_ENTRY', { fatal: false }))).toBe(false);
    expect(isMysqlUnavailableError(new Error('boom'))).toBe(false);
    expect(isMysqlUnavailableError(undefined)).toBe(false);
    expect(isMysqlUnavailableError('ECONNREFUSED')).toBe(false);
  });
});
