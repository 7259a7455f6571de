export * from './redis-connection';
export * from './infrastructure';
export * from './mysql/mysql-connection';
export * from './mysql/mysql-unavailable';
export * from './mysql/reconnect-schedule';
export * from './run-process';
export * from './auth/access-token';
export * from './metrics/metrics-server';
