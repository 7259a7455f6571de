export * from './stockwall-config';
export * from './config.module';
export * from './dependency-error';
export * from './secret-policy';
export * from './trust-proxy';
export * from './chat-channels';
export * from './digest-config';
