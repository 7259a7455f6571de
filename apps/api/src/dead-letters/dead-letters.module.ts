import { Module } from '@nestjs/common';
import { DeadLetterRepository, DeadLetterStreamRepository } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

/** GET /api/v1/dead-letters (admin). */
@Module({
  controllers: [DeadLettersController],
  providers: [
    {
      provide: DeadLetterRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new DeadLetterRepository(dataSource),
    },
    {
      provide: DeadLetterStreamRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new DeadLetterStreamRepository(redis, config.redis.prefix),
    },
    DeadLettersService,
  ],
})
export class DeadLettersModule {}
