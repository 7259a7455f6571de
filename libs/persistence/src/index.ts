export * from './database';
export * from './persist/persist-batch.writer';
export * from './entities/product.entity';
export * from './entities/inventory-event.entity';
export * from './entities/stock-level.entity';
export * from './entities/shard-position.entity';
export * from './entities/dead-letter.entity';
