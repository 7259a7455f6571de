import { DependencyUnavailableError } from '@stockwall/config';

/** Error codes (mysql2 and Node's sockets) that mean the server did not answer, not that a query was wrong. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/**
 * True when `error` says MySQL is not reachable (not yet connected, or a connection refused, lost
 * or timed out), as opposed to a bad query: such work should wait and retry, and a request
 * answer 503 rather than 500.
 */
export function isMysqlUnavailableError(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return error.dependency === 'mysql';
  if (typeof error !== 'object' || error === null) return false;
  // TypeORM wraps a failed query's driver error; connection errors may arrive either way.
  const candidates = [error, (error as { driverError?: unknown }).driverError];
  return candidates.some((candidate) => {
    const { code, fatal } = (candidate ?? {}) as { code?: unknown; fatal?: unknown };
    return (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) || fatal === true;
  });
}
