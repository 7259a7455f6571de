import { Module } from '@nestjs/common';
import { EventPublisher } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { WriteOutcomesGateway } from './write-outcomes.gateway';
import { WriteStatusController } from './write-status.controller';
import { WriteStatusRepository } from './write-status.repository';
import { WritesController } from './writes.controller';
import { WRITES_PUBLISHER, WritesService } from './writes.service';

/**
 * The writes (each an event on the stream) and their outcomes, by REST and on `/live`
 * (`writes.subscribe`); exports the service to the catalog and alerts.
 */
@Module({
  controllers: [WritesController, WriteStatusController],
  providers: [
    {
      provide: WRITES_PUBLISHER,
      inject: [INFRASTRUCTURE],
      useFactory: ({ kinesis, config }: Infrastructure) => new EventPublisher(kinesis, config.kinesis.streamName),
    },
    WritesService,
    {
      provide: WriteStatusRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new WriteStatusRepository(redis, config.redis.prefix),
    },
    WriteOutcomesGateway,
  ],
  exports: [WritesService],
})
export class WritesModule {}
