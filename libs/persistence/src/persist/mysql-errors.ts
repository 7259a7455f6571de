/** The fields mysql2 sets on its errors (TypeORM copies them onto its QueryFailedError and keeps the original). */
interface MysqlErrorFields {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  fatal?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/**
 * Errors about the values of a row, not the server or the session: the same statement with the
 * same data fails the same way on every retry (strict mode refuses instead of truncating).
 */
const DATA_ERRNOS = new Set([
  1048, // ER_BAD_NULL_ERROR: column cannot be null
  1264, // ER_WARN_DATA_OUT_OF_RANGE: out of range value for column
  1265, // WARN_DATA_TRUNCATED
  1292, // ER_TRUNCATED_WRONG_VALUE: incorrect datetime/number value
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: incorrect value for column
  1367, // ER_ILLEGAL_VALUE_FOR_TYPE
  1406, // ER_DATA_TOO_LONG
  1690, // ER_DATA_OUT_OF_RANGE: BIGINT value out of range in an expression (a sum)
  3140, // ER_INVALID_JSON_TEXT (MySQL)
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025, // ER_CONSTRAINT_FAILED (MariaDB; its JSON columns are CHECK (json_valid(...)))
]);

/** The server or the network is away: nothing is wrong with the batch, it waits until MySQL answers. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST',
  'CR_CONNECTION_ERROR',
  'CR_CONN_HOST_ERROR',
]);

const CONNECTION_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN
  1203, // ER_TOO_MANY_USER_CONNECTIONS
  1927, // ER_CONNECTION_KILLED (MariaDB)
  2002, // CR_CONNECTION_ERROR
  2003, // CR_CONN_HOST_ERROR
  2006, // CR_SERVER_GONE_ERROR: server has gone away
  2013, // CR_SERVER_LOST
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MariaDB: disconnected for inactivity)
]);

/** mysql2 says so itself when a connection is unusable, and without a usable connection a pool hands these out. */
const CONNECTION_MESSAGES = [
  /server has gone away/i,
  /connection is in closed state/i,
  /pool is closed/i,
  /connection lost/i,
  /connect etimedout/i,
];

/** The error and the errors it wraps (TypeORM's driverError, a cause), outermost first. */
function chain(error: unknown): MysqlErrorFields[] {
  const found: MysqlErrorFields[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && found.length < 5 && !found.includes(current)) {
    const fields = current as MysqlErrorFields;
    found.push(fields);
    current = fields.driverError ?? fields.cause;
  }
  return found;
}

/** True when MySQL refused the values themselves: retrying the same rows can never succeed. */
export function isDataRejection(error: unknown): boolean {
  return chain(error).some(
    (fields) =>
      (typeof fields.errno === 'number' && DATA_ERRNOS.has(fields.errno)) ||
      // SQLSTATE class 22 is "data exception" (22001 too long, 22003 out of range, 22007 bad datetime...).
      (typeof fields.sqlState === 'string' && fields.sqlState.startsWith('22')),
  );
}

/** True when MySQL chose this transaction as a deadlock's victim (ER_LOCK_DEADLOCK) and rolled it back. */
export function isDeadlock(error: unknown): boolean {
  return chain(error).some((fields) => fields.errno === 1213);
}

/** True when MySQL could not be reached or dropped the connection: an outage, not a problem of the batch. */
export function isConnectionError(error: unknown): boolean {
  return chain(error).some(
    (fields) =>
      (typeof fields.code === 'string' && CONNECTION_CODES.has(fields.code)) ||
      (typeof fields.errno === 'number' && CONNECTION_ERRNOS.has(fields.errno)) ||
      // mysql2 marks errors after which the connection is unusable (network, protocol) as fatal.
      fields.fatal === true ||
      (typeof fields.message === 'string' &&
        CONNECTION_MESSAGES.some((pattern) => pattern.test(fields.message as string))),
  );
}

/** `ER_WARN_DATA_OUT_OF_RANGE (1264): Out of range value for column 'committed' at row 1`, for logs and dead letters. */
export function describeMysqlError(error: unknown): string {
  const fields = chain(error).find((item) => typeof item.errno === 'number') ?? chain(error)[0] ?? {};
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const code = typeof fields.code === 'string' ? fields.code : null;
  const errno = typeof fields.errno === 'number' ? fields.errno : null;
  if (code && errno !== null) return `${code} (${errno}): ${message}`;
  return code ? `${code}: ${message}` : message;
}
