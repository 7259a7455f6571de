export type LocalStackErrorCode =
  | 'redis_unavailable'
  | 'mariadb_unavailable'
  | 'emulator_unavailable'
  | 'port_in_use'
  | 'start_failed'
  | 'start_timeout'
  | 'invalid_url';

/** A local service could not be found or started. The message is one line meant to be shown as is. */
export class LocalStackError extends Error {
  override readonly name = 'LocalStackError';

  constructor(
    readonly code: LocalStackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
