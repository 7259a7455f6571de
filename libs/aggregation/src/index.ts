export * from './core/stock-state';
export * from './core/stock-fold';
export * from './redis/live-state.repository';
export * from './redis/stock-hash';
