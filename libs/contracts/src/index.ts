export * from './money';
export * from './position';
export * from './events/event-types';
export * from './events/wire-schemas';
export * from './live/live-protocol';
export * from './auth/roles';
export * from './jobs/persist-batch.job';
export * from './redis-keys';
