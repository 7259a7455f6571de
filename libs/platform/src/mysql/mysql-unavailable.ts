import { DependencyUnavailableError } from '@stockwall/config';
import { isConnectionError } from '@stockwall/persistence';

/**
 * True when `error` says MySQL is not reachable (not connected yet, or a connection refused, lost
 * or timed out), as opposed to a bad query: such work should wait and retry, and a request
 * answer 503 rather than 500.
 */
export function isMysqlUnavailableError(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return error.dependency === 'mysql';
  return isConnectionError(error);
}
