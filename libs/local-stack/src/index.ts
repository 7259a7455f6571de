export * from './free-port';
export * from './kinesis-emulator';
export * from './kinesis-fault-proxy';
export * from './local-service';
export * from './local-stack-error';
export * from './mariadb-instance';
export * from './redis-instance';
