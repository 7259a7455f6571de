export * from './stockwall-config';
export * from './config.module';
export * from './dependency-error';
