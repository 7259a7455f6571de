export * from './redis-connection';
export * from './infrastructure';
export * from './run-process';
export * from './auth/access-token';
export * from './metrics/metrics-server';
