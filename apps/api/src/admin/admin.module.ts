import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { QueueBoardSessionRepository } from './queue-board-session.repository';
import { QueueBoardService } from './queue-board.service';

/** The queue board at /admin/queues (mounted by createApiApplication, outside Nest's router). */
@Module({
  providers: [
    {
      provide: QueueBoardSessionRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new QueueBoardSessionRepository(redis, config.redis.prefix),
    },
    QueueBoardService,
  ],
})
export class AdminModule {}
