export * from './digest-period';
export * from './digest-content';
export * from './digest-render';
export * from './digest-ledger';
export * from './digest-delivery';
export * from './digest-sources';
