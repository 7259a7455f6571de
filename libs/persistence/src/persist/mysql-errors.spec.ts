import { QueryFailedError } from 'typeorm';
import { describeMysqlError, isConnectionError, isDataRejection } from './mysql-errors';

/** The shape mysql2 gives its errors. */
const mysqlError = (fields: { code: string; errno?: number; sqlState?: string; fatal?: boolean; message: string }) =>
  Object.assign(new Error(fields.message), fields);

const outOfRange = mysqlError({
  code: 'ER_WARN_DATA_OUT_OF_RANGE',
  errno: 1264,
  sqlState: '22003',
  message: "Out of range value for column 'committed' at row 1",
});
const refused = mysqlError({ code: 'ECONNREFUSED', fatal: true, message: 'connect ECONNREFUSED 127.0.0.1:1' });
const deadlock = mysqlError({
  code: 'ER_LOCK_DEADLOCK',
  errno: 1213,
  sqlState: '40001',
  message: 'Deadlock found when trying to get lock; try restarting transaction',
});

describe(isDataRejection.name, () => {
  it.each([
    ['out of range', outOfRange],
    [
      'data too long',
      mysqlError({ code: 'ER_DATA_TOO_LONG', errno: 1406, sqlState: '22001', message: 'Data too long' }),
    ],
    [
      'incorrect value',
      mysqlError({
        code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
        errno: 1366,
        sqlState: 'HY000',
        message: 'Incorrect integer value',
      }),
    ],
    [
      'incorrect datetime',
      mysqlError({
        code: 'ER_TRUNCATED_WRONG_VALUE',
        errno: 1292,
        sqlState: '22007',
        message: 'Incorrect datetime value',
      }),
    ],
    [
      'BIGINT overflow in a sum',
      mysqlError({
        code: 'ER_DATA_OUT_OF_RANGE',
        errno: 1690,
        sqlState: '22003',
        message: 'BIGINT value is out of range',
      }),
    ],
    [
      'invalid JSON',
      mysqlError({ code: 'ER_INVALID_JSON_TEXT', errno: 3140, sqlState: '22032', message: 'Invalid JSON text' }),
    ],
    [
      'a MariaDB CHECK (json_valid)',
      mysqlError({ code: 'ER_CONSTRAINT_FAILED', errno: 4025, sqlState: '23000', message: 'CONSTRAINT failed' }),
    ],
  ])('is true for %s', (_name, error) => {
    expect(isDataRejection(error)).toBe(true);
  });

  it('sees through TypeORM’s QueryFailedError', () => {
    const sut = new QueryFailedError('INSERT INTO stock_levels ...', [], outOfRange);
    expect(isDataRejection(sut)).toBe(true);
  });

  it.each([
    ['a refused connection', refused],
    ['a deadlock', deadlock],
    [
      'a lock wait timeout',
      mysqlError({
        code: 'ER_LOCK_WAIT_TIMEOUT',
        errno: 1205,
        sqlState: 'HY000',
        message: 'Lock wait timeout exceeded',
      }),
    ],
    ['a plain error', new Error('boom')],
    ['not an error', 'boom'],
  ])('is false for %s', (_name, error) => {
    expect(isDataRejection(error)).toBe(false);
  });
});

describe(isConnectionError.name, () => {
  it.each([
    ['a refused connection', refused],
    [
      'a lost connection',
      mysqlError({
        code: 'PROTOCOL_CONNECTION_LOST',
        fatal: true,
        message: 'Connection lost: The server closed the connection.',
      }),
    ],
    ['a connect timeout', mysqlError({ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' })],
    [
      'too many connections',
      mysqlError({ code: 'ER_CON_COUNT_ERROR', errno: 1040, sqlState: '08004', message: 'Too many connections' }),
    ],
    [
      'a server shutting down',
      mysqlError({
        code: 'ER_SERVER_SHUTDOWN',
        errno: 1053,
        sqlState: '08S01',
        message: 'Server shutdown in progress',
      }),
    ],
    ['server gone away', new Error('MySQL server has gone away')],
    ['a closed connection', new Error("Can't add new command when connection is in closed state")],
    ['a wrapped refusal', new QueryFailedError('SELECT 1', [], refused)],
  ])('is true for %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a deadlock (an ordinary retry)', deadlock],
    ['a data rejection', outOfRange],
    ['a plain error', new Error('boom')],
    ['undefined', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});

describe(describeMysqlError.name, () => {
  it('names the code, the errno and MySQL’s message', () => {
    const sut = describeMysqlError(new QueryFailedError('INSERT ...', [], outOfRange));
    expect(sut).toBe("ER_WARN_DATA_OUT_OF_RANGE (1264): Out of range value for column 'committed' at row 1");
  });

  it('falls back to the message of an error without a code', () => {
    expect(describeMysqlError(new Error('boom'))).toBe('boom');
  });
});
