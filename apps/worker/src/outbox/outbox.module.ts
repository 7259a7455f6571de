import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { OutboxConsumers } from './outbox-consumers';

/** The alert outbox's consumers, for the alert relay and the notifications. */
@Module({
  providers: [
    {
      provide: OutboxConsumers,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) =>
        new OutboxConsumers(redis, config.redis.prefix, config.worker.id),
    },
  ],
  exports: [OutboxConsumers],
})
export class OutboxModule {}
